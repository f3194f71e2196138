"""HTTP API of credit-svc."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from credit_svc import service
from credit_svc.models import CreditRecord
from credit_svc.repository import CreditRepository
from qinqing_shared.contracts.credit import CreditCheck, CreditCheckRequest, CreditRecordOut
from qinqing_shared.deps import OutboxDep, ReadSessionDep, SessionDep
from qinqing_shared.ids import Uscc

router = APIRouter()


@router.post("/checks", response_model=CreditCheck, tags=["checks"])
async def create_check(
    request: CreditCheckRequest, session: SessionDep, outbox: OutboxDep
) -> CreditCheck:
    """Check an enterprise for one application (idempotent per application id)."""
    return await service.check(CreditRepository(session), outbox, request=request)


@router.get("/enterprises/{uscc}/records", response_model=list[CreditRecordOut], tags=["records"])
async def list_records(
    uscc: Annotated[Uscc, Path(description="USCC")], session: ReadSessionDep
) -> list[CreditRecordOut]:
    rows: list[CreditRecord] = list(await CreditRepository(session).records(uscc))
    return [CreditRecordOut.model_validate(r, from_attributes=True) for r in rows]
