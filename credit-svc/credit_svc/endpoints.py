"""HTTP API of credit-svc: the gateway's checks (signed verdicts), departments' records
(filed, lifted by credit repair), operators' reads and ratings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Request

from credit_svc import commitments, records, service
from credit_svc.errors import (
    AlreadyLifted,
    CommitmentClosed,
    CommitmentRefused,
    RecordIdReused,
    RepairTooEarly,
)
from credit_svc.models import CreditRecord
from credit_svc.repository import CreditRepository
from qinqing_shared.app import Runtime
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import CREDIT_WRITE, OPERATIONS_READ
from qinqing_shared.auth.signing import digest
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.credit import (
    Commitment,
    CommitmentFiling,
    CommitmentToVerify,
    CreditCheck,
    CreditCheckBatch,
    CreditCheckRequest,
    CreditRecordIn,
    CreditRecordOut,
    Filed,
    LiftIn,
    Rating,
    VerdictIn,
)
from qinqing_shared.deps import ReadUnitDep, WriteUnitDep
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import responses

router = APIRouter(responses=GUARDED_RESPONSES)


@router.post("/checks", response_model=CreditCheck, tags=["checks"])
async def create_check(
    body: CreditCheckRequest,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=("gateway",)),
) -> CreditCheck:
    """Check an enterprise for one application (idempotent per application id); the
    verdict is signed, so subsidy-svc takes it from credit-svc, not from whoever relays it."""
    check = await service.check(CreditRepository(uow.session), uow.outbox, request=body)
    await uow.commit()
    return _signed(check, request)


@router.post("/checks/batch", response_model=list[CreditCheck], tags=["checks"])
async def create_checks(
    body: CreditCheckBatch,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=("gateway",)),
) -> list[CreditCheck]:
    """Check several applications at once (a batch of proactive payouts): each as
    ``POST /checks`` would alone, idempotent per application id, each verdict signed."""
    checks = await service.check_many(CreditRepository(uow.session), uow.outbox, body.checks)
    await uow.commit()
    return [_signed(check, request) for check in checks]


def _signed(check: CreditCheck, request: Request) -> CreditCheck:
    runtime: Runtime = request.app.state.runtime
    claims = {"sub": check.application_id, "sha256": digest(check.signed_content())}
    return check.model_copy(update={"attestation": runtime.signs().sign(claims)})


@router.get("/enterprises/{uscc}/records", response_model=list[CreditRecordOut], tags=["records"])
async def list_records(
    uscc: Annotated[Uscc, Path(description="USCC")],
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=("gateway",)),
) -> list[CreditRecordOut]:
    """An enterprise's credit records in force and past (operators)."""
    rows: list[CreditRecord] = list(await CreditRepository(unit.session).records(uscc))
    return [CreditRecordOut.model_validate(r, from_attributes=True) for r in rows]


def department_of(caller: Caller) -> str:
    if caller.kind != "department" or not caller.department:
        raise forbidden("Only a department files or lifts credit records.")
    return caller.department


@router.post(
    "/records", response_model=Filed, tags=["records"], responses=responses(RecordIdReused)
)
async def file_record(
    body: CreditRecordIn,
    uow: WriteUnitDep,
    caller: Caller = allow(scopes=(CREDIT_WRITE,)),
) -> Filed:
    """A department files a credit record (black list, red list, violation) against an
    enterprise, under its own record id: once (the same record again is a duplicate)."""
    department = department_of(caller)
    now = dt.datetime.now(dt.UTC)
    repo = CreditRepository(uow.session)
    filed = await records.file(
        repo, uow.outbox, body, department=department, by=caller.actor, now=now
    )
    await uow.commit()
    return filed


@router.post(
    "/records/{record_id}/lift",
    response_model=CreditRecordOut,
    tags=["records"],
    responses={404: {}, **responses(AlreadyLifted, RepairTooEarly)},
)
async def lift_record(
    body: LiftIn,
    uow: WriteUnitDep,
    record_id: Annotated[str, Path(max_length=100, description="<department>:<record id>")],
    caller: Caller = allow(scopes=(CREDIT_WRITE,)),
) -> CreditRecordOut:
    """Credit repair: the filing department lifts its record, after the period the rules
    set and with the enterprise's repair commitment. The record stays in the history."""
    department = department_of(caller)
    repo = CreditRepository(uow.session)
    lifted = await records.lift(
        repo,
        uow.outbox,
        record_id,
        body,
        department=department,
        by=caller.actor,
        today=dt.date.today(),
    )
    await uow.commit()
    return lifted


@router.get("/enterprises/{uscc}/rating", response_model=Rating, tags=["records"])
async def get_rating(
    uscc: Annotated[Uscc, Path(description="USCC")],
    unit: ReadUnitDep,
    on: dt.date | None = None,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=("gateway",)),
) -> Rating:
    """The enterprise's credit grade on a day (today by default), explained record by
    record (operators)."""
    return await records.rating(CreditRepository(unit.session), uscc, on or dt.date.today())


CommitmentId = Annotated[str, Path(max_length=64)]


@router.post(
    "/commitments",
    response_model=Commitment,
    tags=["commitments"],
    responses=responses(CommitmentRefused),
)
async def make_commitment(
    body: CommitmentFiling,
    uow: WriteUnitDep,
    _caller: Caller = allow(services=("gateway",)),
) -> Commitment:
    """An enterprise's commitment, with its policy's terms (the gateway files it for the
    enterprise or the app it granted): once per id, one open per clause and person."""
    repo = CreditRepository(uow.session)
    made = await commitments.make(repo, uow.outbox, body, dt.datetime.now(dt.UTC))
    await uow.commit()
    return made


@router.get(
    "/commitments/{commitment_id}",
    response_model=CommitmentToVerify,
    tags=["commitments"],
    responses={404: {}},
)
async def get_commitment(
    commitment_id: CommitmentId,
    unit: ReadUnitDep,
    _caller: Caller = allow(services=("gateway",)),
) -> CommitmentToVerify:
    """A commitment with what its verifier needs (the fact and the person)."""
    return commitments.to_verify(
        await commitments.find(CreditRepository(unit.session), commitment_id)
    )


@router.post(
    "/commitments/{commitment_id}/verdict",
    response_model=Commitment,
    tags=["commitments"],
    responses={404: {}, **responses(CommitmentClosed)},
)
async def close_commitment(
    commitment_id: CommitmentId,
    body: VerdictIn,
    uow: WriteUnitDep,
    _caller: Caller = allow(services=("gateway",)),
) -> Commitment:
    """The verifier's finding: kept, broken (a violation is filed), or lapsed."""
    repo = CreditRepository(uow.session)
    closed = await commitments.close(repo, uow.outbox, commitment_id, body, dt.datetime.now(dt.UTC))
    await uow.commit()
    return closed


@router.get(
    "/enterprises/{uscc}/commitments", response_model=list[Commitment], tags=["commitments"]
)
async def list_commitments(
    uscc: Annotated[Uscc, Path(description="USCC")],
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=("gateway",)),
) -> list[Commitment]:
    """An enterprise's commitments, open and verified (the person masked)."""
    return await commitments.of_enterprise(CreditRepository(unit.session), uscc)
