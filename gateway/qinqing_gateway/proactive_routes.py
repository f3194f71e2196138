"""The public API of proactive payouts (qinqing_gateway.proactive): an enterprise reads
the notices it was given and may decline one before the money moves; a department
follows its proactive policy's run."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request

from qinqing_gateway.access import ensure_may_act_for
from qinqing_gateway.peers import Peers
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import (
    APPLICATIONS_READ,
    APPLICATIONS_WRITE,
    OPERATIONS_READ,
    POLICIES_WRITE,
)
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.catalog import MAX_VERSION
from qinqing_shared.contracts.subsidy import Notice, ProactiveRun
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import Problem
from qinqing_shared.uow import Units

router = APIRouter(prefix="/v1", tags=["proactive"], responses=GUARDED_RESPONSES)
NoticeId = Annotated[str, Path(max_length=36, pattern=r"^[0-9a-f-]{36}$")]
PolicyId = Annotated[str, Path(max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")]


def _peers(request: Request) -> Peers:
    peers: Peers = request.app.state.peers
    return peers


def _units(request: Request) -> Units:
    units: Units = request.app.state.runtime.units
    return units


@router.get("/enterprises/{uscc}/notices", response_model=list[Notice])
async def notices_of(
    uscc: Annotated[Uscc, Path(description="Unified Social Credit Code (GB 32100-2015)")],
    request: Request,
    caller: Caller = allow(scopes=(APPLICATIONS_READ, OPERATIONS_READ)),
) -> Any:
    """What the enterprise will be, or was, paid without applying, newest first: the
    enterprise itself, an app it granted access, and operators."""
    if caller.kind != "operator":
        await ensure_may_act_for(_units(request), caller, uscc)
    return await _peers(request).subsidy.request("GET", f"/enterprises/{uscc}/notices")


async def _notice(request: Request, caller: Caller, notice_id: str) -> Notice:
    """The notice, if the caller may act for its enterprise; 404 as if unknown if not."""
    found = await _peers(request).subsidy.request("GET", f"/notices/{notice_id}")
    notice = Notice.model_validate(found)
    if caller.kind == "operator":
        return notice
    try:
        await ensure_may_act_for(_units(request), caller, notice.uscc)
    except Problem:
        raise _unknown(notice_id) from None
    return notice


def _unknown(notice_id: str) -> Problem:
    return Problem(404, "notice-not-found", "No such notice", f"There is no notice {notice_id}.")


@router.get("/notices/{notice_id}", response_model=Notice, responses={404: {}})
async def get_notice(
    notice_id: NoticeId,
    request: Request,
    caller: Caller = allow(scopes=(APPLICATIONS_READ, OPERATIONS_READ)),
) -> Any:
    """One notice: what will be paid, when, and (once paid) its application's status."""
    return await _notice(request, caller, notice_id)


@router.post("/notices/{notice_id}/decline", response_model=Notice, responses={404: {}, 409: {}})
async def decline_notice(
    notice_id: NoticeId,
    request: Request,
    caller: Caller = allow(scopes=(APPLICATIONS_WRITE,)),
) -> Any:
    """Decline a proactive payment before its notice period ends: it is never paid.
    Declining twice is declining once; a payment already started answers 409."""
    notice = await _notice(request, caller, notice_id)
    path = f"/notices/{notice.id}/declining"  # subsidy-svc records it in the audit chain
    headers = {"X-On-Behalf-Of": caller.client_id}
    return await _peers(request).subsidy.request("POST", path, headers=headers)


@router.get(
    "/policies/{policy_id}/versions/{version}/proactive-run",
    response_model=ProactiveRun,
    responses={404: {}},
)
async def proactive_run(
    policy_id: PolicyId,
    version: Annotated[int, Path(ge=1, le=MAX_VERSION)],
    request: Request,
    caller: Caller = allow(scopes=(POLICIES_WRITE, OPERATIONS_READ)),
) -> Any:
    """How far a proactive policy version's run has come: enterprises evaluated, notices
    by status, their applications by status. The policy's department and operators."""
    path = f"/proactive-runs/{policy_id}/{version}"
    run = ProactiveRun.model_validate(await _peers(request).subsidy.request("GET", path))
    if caller.kind != "operator" and caller.department != run.department_code:
        raise Problem(
            404,
            "proactive-run-not-found",
            "No such proactive run",
            f"Policy {policy_id} version {version} has no run of yours.",
        )
    return run
