"""HTTP API of direct interaction at catalog-svc.

The gateway files a request for an enterprise (its own token: it checked the
enterprise's grant); everyone else calls with their own token: the enterprise or its
app follows, replies, rates and reopens; the department that holds a request takes,
asks, transfers, answers and closes it; supervisors and the oversight desk read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from catalog_svc.errors import (
    DecisionMismatch,
    OutcomeMismatch,
    RequestNotFound,
    RequestStateConflict,
    UnknownDepartment,
    UnknownLink,
    UnknownTopic,
)
from catalog_svc.interaction.desk import Desk
from catalog_svc.interaction.repository import RequestRepository
from catalog_svc.interaction.rights import may_read, oversees
from catalog_svc.interaction.views import summary_of, view_of
from catalog_svc.models import InteractionRequest
from catalog_svc.schemas import TopicOut
from qinqing_shared import audit
from qinqing_shared.app import Runtime
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import (
    OPERATIONS_READ,
    REQUESTS_ANSWER,
    REQUESTS_OVERSEE,
    REQUESTS_SUPERVISE,
    REQUESTS_WRITE,
)
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.interaction import (
    REQUEST_ID,
    Answer,
    Rating,
    Reply,
    RequestFiling,
    RequestStatus,
    RequestSummary,
    RequestView,
    Transfer,
)
from qinqing_shared.contracts.subsidy import ItemDecision
from qinqing_shared.deps import ReadUnitDep, WriteUnitDep
from qinqing_shared.problems import responses
from qinqing_shared.ratelimit import limit_anonymous
from qinqing_shared.uow import UnitOfWork

RequestIdPath = Annotated[str, Path(pattern=REQUEST_ID, description="the request's id")]
router = APIRouter(tags=["requests"], responses=GUARDED_RESPONSES)
READERS = (REQUESTS_WRITE, REQUESTS_ANSWER, REQUESTS_SUPERVISE, REQUESTS_OVERSEE, OPERATIONS_READ)
HANDLERS = (REQUESTS_ANSWER, REQUESTS_SUPERVISE)
ANSWERED = responses(RequestNotFound, RequestStateConflict)


def _desk(request: Request) -> Desk:
    desk: Desk = request.app.state.requests
    return desk


DeskDep = Annotated[Desk, Depends(_desk)]


async def _shown(uow: UnitOfWork, caller: Caller, row: InteractionRequest) -> RequestView:
    """The whole request, free text and history: the read is recorded (audit)."""
    repo = RequestRepository(uow.session)
    department = await repo.department(row.department_code)
    audit.record(
        uow.outbox,
        uow.session,
        actor=caller.actor,
        action="request.read",
        object_type="request",
        object_id=row.id,
        uscc=row.uscc,
    )
    name = department.name if department else row.department_code
    return view_of(row, await repo.steps(row.id), name)


async def _verified(request: Request, decision: ItemDecision) -> None:
    """The decision exactly as subsidy-svc signed it (422 otherwise)."""
    runtime: Runtime = request.app.state.runtime
    assert runtime.attestations is not None
    await runtime.attestations.verify_digest(
        decision.attestation,
        "subsidy-svc",
        "The service item's decision",
        decision.request_id,
        decision.signed_content(),
    )


async def _answer(uow: UnitOfWork, caller: Caller, row: InteractionRequest) -> RequestView:
    view = await _shown(uow, caller, row)
    await uow.commit()
    return view


@router.get(
    "/request-topics", response_model=list[TopicOut], dependencies=[Depends(limit_anonymous)]
)
async def list_topics(unit: ReadUnitDep) -> list[TopicOut]:
    """What an enterprise may raise, where it goes, and its time limits in working days."""
    return [TopicOut.model_validate(t) for t in await RequestRepository(unit.session).topics()]


@router.post(
    "/requests",
    response_model=RequestView,
    status_code=201,
    responses=responses(UnknownTopic, UnknownLink, DecisionMismatch),
)
async def file_request(
    body: RequestFiling,
    request: Request,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(services=("gateway",)),
) -> RequestView:
    """The gateway files an enterprise's request (it checked who may act for the
    enterprise). Filing the same id again answers the request filed. A service item
    decided at once comes with subsidy-svc's signed decision, and is answered with it."""
    if body.decision is not None:
        await _verified(request, body.decision)
    row = await desk.submit(uow, body)
    return await _answer(uow, caller, row)


@router.get("/requests", response_model=list[RequestSummary])
async def list_requests(
    unit: ReadUnitDep,
    caller: Caller = allow(scopes=READERS),
    uscc: Annotated[str | None, Query(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")] = None,
    department: Annotated[str | None, Query(max_length=20)] = None,
    status: RequestStatus | None = None,
    escalated: bool | None = None,
) -> list[RequestSummary]:
    """The latest 100 requests the caller may see, newest first, without their text:
    an enterprise its own, an app those it submitted, a department those it holds, the
    oversight desk and operators any (``department`` to narrow)."""
    repo = RequestRepository(unit.session)
    if caller.kind == "enterprise":
        uscc = caller.uscc
    elif caller.kind == "department":
        department = caller.department
    elif not oversees(caller) and caller.kind != "app":
        raise forbidden("This caller may not list requests.")
    client_id = caller.client_id if caller.kind == "app" else None
    rows = await repo.listed(
        uscc=uscc, client_id=client_id, department=department, status=status, escalated=escalated
    )
    return [summary_of(r) for r in rows]


@router.get("/requests/{request_id}", response_model=RequestView, responses=ANSWERED)
async def read_request(
    request_id: RequestIdPath, uow: WriteUnitDep, caller: Caller = allow(scopes=READERS)
) -> RequestView:
    """One request with its text and whole history (the read is in the enterprise's
    records of use)."""
    row = await RequestRepository(uow.session).get(request_id)
    if row is None or not may_read(caller, row):
        raise RequestNotFound(f"No request {request_id!r} you may read.")
    return await _answer(uow, caller, row)


# -- the enterprise ---------------------------------------------------------------------


@router.post("/requests/{request_id}/replies", response_model=RequestView, responses=ANSWERED)
async def reply(
    request_id: RequestIdPath,
    body: Reply,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(scopes=(REQUESTS_WRITE,)),
) -> RequestView:
    """Answer the department's question; the time to answer starts again."""
    return await _answer(uow, caller, await desk.clarify(uow, caller, request_id, body.text))


@router.post("/requests/{request_id}/ratings", response_model=RequestView, responses=ANSWERED)
async def rate(
    request_id: RequestIdPath,
    body: Rating,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(scopes=(REQUESTS_WRITE,)),
) -> RequestView:
    """Rate the answer, 1 to 5, once per answer; 2 or less sends it back."""
    row = await desk.rate(uow, caller, request_id, body.rating, body.comment)
    return await _answer(uow, caller, row)


@router.post("/requests/{request_id}/reopenings", response_model=RequestView, responses=ANSWERED)
async def reopen(
    request_id: RequestIdPath,
    body: Reply,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(scopes=(REQUESTS_WRITE,)),
) -> RequestView:
    """Send an answered or closed request back to its department, with a reason."""
    return await _answer(uow, caller, await desk.reopen(uow, caller, request_id, body.text))


# -- the department ---------------------------------------------------------------------


@router.post("/requests/{request_id}/acceptance", response_model=RequestView, responses=ANSWERED)
async def accept(
    request_id: RequestIdPath,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(scopes=HANDLERS),
) -> RequestView:
    """Take the request in hand (within the topic's time to acknowledge)."""
    return await _answer(uow, caller, await desk.accept(uow, caller, request_id))


@router.post("/requests/{request_id}/questions", response_model=RequestView, responses=ANSWERED)
async def ask(
    request_id: RequestIdPath,
    body: Answer,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(scopes=HANDLERS),
) -> RequestView:
    """Ask the enterprise to clarify; the time to answer waits for its reply."""
    return await _answer(uow, caller, await desk.ask(uow, caller, request_id, body.text))


@router.post(
    "/requests/{request_id}/transfers",
    response_model=RequestView,
    responses={**ANSWERED, **responses(UnknownDepartment)},
)
async def transfer(
    request_id: RequestIdPath,
    body: Transfer,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(scopes=HANDLERS),
) -> RequestView:
    """Pass the request to the department that owns it, with the reason on record.
    Your department no longer sees it afterwards."""
    row = await desk.transfer(uow, caller, request_id, body.to_department, body.reason)
    return await _answer(uow, caller, row)


@router.post(
    "/requests/{request_id}/answers",
    response_model=RequestView,
    responses={**ANSWERED, **responses(OutcomeMismatch)},
)
async def answer(
    request_id: RequestIdPath,
    body: Answer,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(scopes=HANDLERS),
) -> RequestView:
    """Answer the request, on the record."""
    row = await desk.answer(uow, caller, request_id, body.text, body.outcome)
    return await _answer(uow, caller, row)


@router.post("/requests/{request_id}/closure", response_model=RequestView, responses=ANSWERED)
async def close(
    request_id: RequestIdPath,
    uow: WriteUnitDep,
    desk: DeskDep,
    caller: Caller = allow(scopes=HANDLERS),
) -> RequestView:
    """Close an answered request."""
    return await _answer(uow, caller, await desk.close(uow, caller, request_id))
