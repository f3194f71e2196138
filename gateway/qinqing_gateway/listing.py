"""An enterprise's applications, newest first: for its portal and the apps it uses."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel

from qinqing_gateway.access import ensure_may_act_for
from qinqing_gateway.flows import of_enterprise
from qinqing_gateway.models import Flow, FlowStatus
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import APPLICATIONS_READ, OPERATIONS_READ
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.ids import Uscc
from qinqing_shared.uow import Units

router = APIRouter(prefix="/v1/enterprises", tags=["applications"], responses=GUARDED_RESPONSES)
Status = Literal["processing", "paid", "rejected", "clawed_back", "failed"]


class ApplicationSummary(BaseModel):
    id: str
    policy_id: str
    status: Status
    amount_fen: int  # paid, or to be paid; 0 while undecided or when rejected
    applied_on: dt.date
    created_at: dt.datetime


class ApplicationPage(BaseModel):
    items: list[ApplicationSummary]
    total: int
    page: int
    page_size: int


def _summary(flow: Flow) -> ApplicationSummary:
    status = FlowStatus(flow.status)
    shown: Status = "processing" if status == FlowStatus.RUNNING else status.value  # type: ignore[assignment]
    result = flow.result or {}
    amount = result.get("amount_fen", 0) if status != FlowStatus.FAILED else 0
    return ApplicationSummary(
        id=flow.application_id,
        policy_id=flow.policy_id,
        status=shown,
        amount_fen=int(amount or 0),
        applied_on=flow.applied_on,
        created_at=flow.created_at,
    )


@router.get("/{uscc}/applications", response_model=ApplicationPage)
async def list_applications(
    uscc: Annotated[Uscc, Path(description="Unified Social Credit Code (GB 32100-2015)")],
    request: Request,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    caller: Caller = allow(scopes=(APPLICATIONS_READ, OPERATIONS_READ)),
) -> ApplicationPage:
    """The enterprise's applications, newest first: all of them for the enterprise
    itself and operators; an app it granted access sees those the app made."""
    units: Units = request.app.state.runtime.units
    only: str | None = None
    if caller.kind != "operator":
        await ensure_may_act_for(units, caller, uscc)
        only = caller.client_id if caller.kind == "app" else None
    async with units.read() as unit:
        flows, total = await of_enterprise(
            unit.session, uscc, only, (page - 1) * page_size, page_size
        )
    return ApplicationPage(
        items=[_summary(f) for f in flows], total=total, page=page, page_size=page_size
    )
