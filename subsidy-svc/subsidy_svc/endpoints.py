"""HTTP API of subsidy-svc (internal: the gateway's saga calls it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from qinqing_shared.contracts.subsidy import (
    Application,
    CreditOutcome,
    EvaluationRequest,
    PersonClaim,
    RejectionRequest,
)
from qinqing_shared.deps import OutboxDep, ReadSessionDep, SessionDep
from qinqing_shared.ids import IdNumber, mask_id_number
from qinqing_shared.problems import not_found
from subsidy_svc import service
from subsidy_svc.repository import SubsidyRepository

router = APIRouter(tags=["applications"])


@router.post("/applications", response_model=Application)
async def submit(request: EvaluationRequest, session: SessionDep, outbox: OutboxDep) -> Application:
    """Evaluate an application (idempotent per application id) and record the decision."""
    return await service.submit(SubsidyRepository(session), outbox, request=request)


@router.post("/applications/{application_id}/credit", response_model=Application)
async def apply_credit(
    application_id: str, outcome: CreditOutcome, session: SessionDep, outbox: OutboxDep
) -> Application:
    """Approve or reject an eligible application on its credit check."""
    return await service.apply_credit(
        SubsidyRepository(session), outbox, application_id=application_id, credit=outcome.credit
    )


@router.post("/applications/{application_id}/rejection", response_model=Application)
async def reject(
    application_id: str, request: RejectionRequest, session: SessionDep, outbox: OutboxDep
) -> Application:
    """Reject an application that cannot be paid (e.g. the budget ran out)."""
    return await service.reject(
        SubsidyRepository(session), outbox, application_id=application_id, reasons=[request.reason]
    )


@router.get("/applications/{application_id}", response_model=Application)
async def get_application(application_id: str, session: ReadSessionDep) -> Application:
    row = await SubsidyRepository(session).application(application_id)
    if row is None:
        raise not_found("Application", application_id)
    return service.to_application(row)


@router.get("/persons/{id_number}/claims", response_model=list[PersonClaim], tags=["persons"])
async def person_claims(
    id_number: Annotated[IdNumber, Path(description="Resident ID number")], session: ReadSessionDep
) -> list[PersonClaim]:
    """The subsidies claimed for a person, by policy and year."""
    rows = await SubsidyRepository(session).claims_of(id_number)
    return [
        PersonClaim(
            id_number_masked=mask_id_number(c.id_number),
            policy_id=c.policy_id,
            year=c.year,
            amount_fen=c.amount_fen,
            application_id=c.application_id,
            application_status=status,
        )
        for c, status in rows
    ]
