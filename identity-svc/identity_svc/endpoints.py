"""HTTP API of identity-svc: the gateway reads profiles, departments and enterprises write."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request
from pydantic import BaseModel

from identity_svc import audit as audit_chain
from identity_svc import service
from identity_svc.errors import BankUnavailable, PayeeAccountNotVerified
from identity_svc.repository import IdentityRepository
from qinqing_shared import audit
from qinqing_shared.app import Runtime
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import (
    AUDIT_READ,
    MARKET_REGULATION,
    OPERATIONS_READ,
    PAYEE_WRITE,
)
from qinqing_shared.auth.signing import digest
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.identity import (
    BankAccount,
    EnterpriseProfile,
    ProfileLookup,
    ProfileLookupResult,
)
from qinqing_shared.deps import ReadUnitDep, RuntimeDep, WriteUnitDep
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import responses
from qinqing_shared.uow import UnitOfWork

router = APIRouter(tags=["enterprises"], responses=GUARDED_RESPONSES)
UsccPath = Annotated[Uscc, Path(description="Unified Social Credit Code (GB 32100-2015)")]


def signed(profile: EnterpriseProfile, request: Request) -> EnterpriseProfile:
    """The profile with identity-svc's signature over it and over its payee account."""
    runtime: Runtime = request.app.state.runtime
    claims = {
        "sub": profile.uscc,
        "sha256": digest(profile.signed_content()),
        "payee": profile.bank_account.model_dump(),
    }
    return profile.model_copy(update={"attestation": runtime.signs().sign(claims)})


@router.get("/enterprises/{uscc}/profile", response_model=EnterpriseProfile, responses={404: {}})
async def get_profile(
    uscc: UsccPath,
    uow: WriteUnitDep,
    request: Request,
    caller: Caller = allow(services=("gateway",)),
    x_on_behalf_of: Annotated[str | None, Header(max_length=100)] = None,
) -> EnterpriseProfile:
    """The enterprise and its employees' department facts, signed (the gateway only:
    unmasked personal data). Every read is audited, with the caller it was for."""
    profile = await service.get_profile(IdentityRepository(uow.session), uscc=uscc)
    audit.record(
        uow.outbox,
        uow.session,
        actor=caller.client_id,
        on_behalf_of=x_on_behalf_of,
        action="profile.read",
        object_type="enterprise",
        object_id=uscc,
        uscc=uscc,
    )
    await uow.commit()
    return signed(profile, request)


class ProfilePage(BaseModel):
    items: list[EnterpriseProfile]
    next_after: str | None = None  # the cursor of the next page; none after the last


@router.get("/profiles", response_model=ProfilePage)
async def profiles_page(
    uow: WriteUnitDep,
    request: Request,
    x_on_behalf_of: Annotated[str, Header(max_length=100)],
    after: Annotated[Uscc | None, Query(description="the last USCC of the page before")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    caller: Caller = allow(services=("gateway",)),
) -> ProfilePage:
    """Every enterprise's profile, signed, a page at a time in USCC order: what a proactive
    policy's run evaluates (the gateway only, naming the run in ``X-On-Behalf-Of``).
    Each profile read is audited, like a single one."""
    repo = IdentityRepository(uow.session)
    profiles = await service.profiles_after(repo, after=after, limit=limit)
    _audit_reads(uow, caller, x_on_behalf_of, profiles)
    await uow.commit()
    last = profiles[-1].uscc if len(profiles) == limit else None
    return ProfilePage(items=[signed(p, request) for p in profiles], next_after=last)


@router.post("/profiles/lookup", response_model=ProfileLookupResult)
async def profiles_lookup(
    body: ProfileLookup,
    uow: WriteUnitDep,
    request: Request,
    x_on_behalf_of: Annotated[str, Header(max_length=100)],
    caller: Caller = allow(services=("gateway",)),
) -> ProfileLookupResult:
    """These enterprises' profiles, signed, in one read: a batch of proactive payouts
    (the gateway only, naming the run in ``X-On-Behalf-Of``). Each profile read is
    audited, like a single one; those not registered are listed as missing."""
    profiles = await service.profiles_of(IdentityRepository(uow.session), body.usccs)
    _audit_reads(uow, caller, x_on_behalf_of, profiles)
    await uow.commit()
    found = {p.uscc for p in profiles}
    missing = sorted({u for u in body.usccs if u not in found})
    return ProfileLookupResult(items=[signed(p, request) for p in profiles], missing=missing)


def _audit_reads(
    uow: UnitOfWork, caller: Caller, on_behalf_of: str, profiles: list[EnterpriseProfile]
) -> None:
    for profile in profiles:
        audit.record(
            uow.outbox,
            uow.session,
            actor=caller.client_id,
            on_behalf_of=on_behalf_of,
            action="profile.read",
            object_type="enterprise",
            object_id=profile.uscc,
            uscc=profile.uscc,
        )


@router.put(
    "/enterprises/{uscc}/payee-account",
    response_model=BankAccount,
    responses={404: {}, **responses(PayeeAccountNotVerified, BankUnavailable)},
)
async def change_payee_account(
    uscc: UsccPath,
    account: BankAccount,
    request: Request,
    runtime: RuntimeDep,
    caller: Caller = allow(scopes=(PAYEE_WRITE,)),
) -> BankAccount:
    """Change where subsidies are paid: the enterprise itself or market regulation, and
    only to an account the bank confirms the enterprise holds."""
    own = caller.kind == "enterprise" and caller.uscc == uscc
    if not own and caller.department != MARKET_REGULATION:
        raise forbidden(f"Only enterprise {uscc} or {MARKET_REGULATION} changes its account.")
    async with runtime.units.read() as unit:  # nothing open during the bank's check
        name = await service.registered_name(IdentityRepository(unit.session), uscc=uscc)
    await request.app.state.account_holders.verify(account, uscc, name)
    async with runtime.units.write() as uow:
        audit.record(
            uow.outbox,
            uow.session,
            actor=caller.client_id,
            action="payee.changed",
            object_type="enterprise",
            object_id=uscc,
            uscc=uscc,
        )
        changed = await service.change_payee(
            IdentityRepository(uow.session),
            uow.outbox,
            uscc=uscc,
            account=account,
            by=caller.client_id,
        )
        await uow.commit()
        return changed


class AuditEntryOut(BaseModel):
    seq: int
    at: dt.datetime
    actor: str
    on_behalf_of: str | None
    action: str
    object_type: str
    object_id: str
    outcome: str
    source: str
    hash: str


@router.get("/enterprises/{uscc}/audit", response_model=list[AuditEntryOut], tags=["audit"])
async def records_of_use(
    uscc: UsccPath,
    unit: ReadUnitDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    caller: Caller = allow(scopes=(AUDIT_READ, OPERATIONS_READ)),
) -> list[AuditEntryOut]:
    """Who read or changed this enterprise's data, and when (the enterprise itself,
    operators): the records of past use, newest first."""
    if caller.kind == "enterprise" and caller.uscc != uscc:
        raise forbidden(f"Only enterprise {uscc} itself reads its records of use.")
    rows = await audit_chain.records_of(unit.session, uscc, limit)
    return [AuditEntryOut.model_validate(r, from_attributes=True) for r in rows]


class VerificationOut(BaseModel):
    entries: int
    intact: bool
    first_broken: int | None
    head: str


@router.get("/audit/verification", response_model=VerificationOut, tags=["audit"])
async def verify_chain(
    unit: ReadUnitDep, _caller: Caller = allow(scopes=(OPERATIONS_READ,))
) -> VerificationOut:
    """Recompute the whole audit chain: intact, or the first entry that does not follow."""
    found = await audit_chain.verify(unit.session)
    return VerificationOut(**found.__dict__)
