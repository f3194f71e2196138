"""HTTP API of identity-svc: the gateway reads profiles, departments and enterprises write."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from identity_svc import service
from identity_svc.repository import IdentityRepository
from qinqing_shared.app import Runtime
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import FACTS_WRITE, MARKET_REGULATION, PAYEE_WRITE
from qinqing_shared.auth.signing import digest
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.identity import BankAccount, EnterpriseProfile
from qinqing_shared.deps import OutboxDep, ReadSessionDep, RuntimeDep, SessionDep
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import Problem

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
    session: ReadSessionDep,
    request: Request,
    _caller: Caller = allow(services=("gateway",)),
) -> EnterpriseProfile:
    """The enterprise and its employees' department facts, signed (the gateway only:
    unmasked personal data)."""
    return signed(await service.get_profile(IdentityRepository(session), uscc=uscc), request)


@router.put("/enterprises/{uscc}", response_model=EnterpriseProfile, responses={422: {}})
async def put_enterprise(
    uscc: UsccPath,
    profile: EnterpriseProfile,
    session: SessionDep,
    outbox: OutboxDep,
    caller: Caller = allow(scopes=(FACTS_WRITE,)),
) -> EnterpriseProfile:
    """Register or replace an enterprise with its employees' facts (market regulation)."""
    if caller.department != MARKET_REGULATION:
        raise forbidden(f"Only department {MARKET_REGULATION} registers enterprises.")
    if profile.uscc != uscc:
        raise Problem(
            422,
            "uscc-mismatch",
            "USCC mismatch",
            f"The path names {uscc} but the body names {profile.uscc}.",
        )
    profile = profile.model_copy(update={"attestation": None})
    return await service.register(
        IdentityRepository(session), outbox, profile=profile, by=caller.client_id
    )


@router.put("/enterprises/{uscc}/payee-account", response_model=BankAccount, responses={404: {}})
async def change_payee_account(
    uscc: UsccPath,
    account: BankAccount,
    request: Request,
    runtime: RuntimeDep,
    outbox: OutboxDep,
    caller: Caller = allow(scopes=(PAYEE_WRITE,)),
) -> BankAccount:
    """Change where subsidies are paid: the enterprise itself or market regulation, and
    only to an account the bank confirms the enterprise holds."""
    own = caller.kind == "enterprise" and caller.uscc == uscc
    if not own and caller.department != MARKET_REGULATION:
        raise forbidden(f"Only enterprise {uscc} or {MARKET_REGULATION} changes its account.")
    async with runtime.db.sessionmaker() as session:  # no transaction open during the call
        name = await service.registered_name(IdentityRepository(session), uscc=uscc)
    await request.app.state.account_holders.verify(account, uscc, name)
    async with runtime.db.sessionmaker() as session, session.begin():
        return await service.change_payee(
            IdentityRepository(session), outbox, uscc=uscc, account=account, by=caller.client_id
        )
