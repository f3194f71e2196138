"""HTTP API of credit-svc: the gateway's checks (signed verdicts), operators' reads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from credit_svc import service
from credit_svc.models import CreditRecord
from credit_svc.repository import CreditRepository
from qinqing_shared.app import Runtime
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import OPERATIONS_READ
from qinqing_shared.auth.signing import digest
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.credit import CreditCheck, CreditCheckRequest, CreditRecordOut
from qinqing_shared.deps import ReadUnitDep, WriteUnitDep
from qinqing_shared.ids import Uscc

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
