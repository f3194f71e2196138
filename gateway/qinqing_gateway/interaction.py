"""/v1 routes of direct interaction (诉求直达): an enterprise, or an app it granted
access, raises a request to the department that owns it and follows it to its answer.

catalog-svc keeps the requests (docs/interaction.md). The gateway files a request with
its own token once it has checked who may act for the enterprise and that a linked
application is the enterprise's; everything else goes with the caller's own token, and
catalog-svc checks the caller is a party to the request.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from qinqing_gateway.access import ensure_may_act_for, public_view
from qinqing_gateway.items import decide_item
from qinqing_gateway.models import Flow
from qinqing_gateway.peers import Peers
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import OPERATIONS_READ, REQUESTS_OVERSEE, REQUESTS_WRITE
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.interaction import (
    REQUEST_ID,
    Rating,
    Reply,
    RequestFiling,
    RequestIn,
    RequestStatus,
    RequestSummary,
    RequestView,
)
from qinqing_shared.idempotency import Answer, Claim, IdempotencyStore, answer_response, fingerprint
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import limit_anonymous
from qinqing_shared.uow import Units

router = APIRouter(prefix="/v1", tags=["requests"], responses=GUARDED_RESPONSES)
RequestIdPath = Annotated[str, Path(pattern=REQUEST_ID, description="the request's id")]
READERS = (REQUESTS_WRITE, REQUESTS_OVERSEE, OPERATIONS_READ)
# what a complaint carries of its application's final answer
DECISION_KEYS = ("status", "amount_fen", "currency", "applied_on", "decision")


def _catalog(request: Request) -> Any:
    peers: Peers = request.app.state.peers
    return peers.catalog


def _units(request: Request) -> Units:
    units: Units = request.app.state.runtime.units
    return units


def _forwarded(caller: Caller) -> dict[str, str]:
    return {"Authorization": f"Bearer {caller.token}"}


def unknown_application(application_id: str) -> Problem:
    return Problem(
        422,
        "unknown-link",
        "Linked object not found",
        f"No application {application_id!r} of this enterprise.",
    )


async def _linked(units: Units, body: RequestIn) -> tuple[RequestIn, dict[str, Any] | None]:
    """A linked application must be the enterprise's; its policy is linked with it, so
    a complaint goes to the department whose policy decided it, with the decision and
    its trace as an app may read them (no person's own facts)."""
    application_id = body.links.application_id
    if application_id is None:
        return body, None
    async with units.read() as unit:
        flow = await unit.session.get(Flow, application_id)
    if flow is None or flow.uscc != body.uscc:
        raise unknown_application(application_id)
    links = body.links.model_copy(update={"policy_id": flow.policy_id})
    seen: dict[str, Any] = {
        "id": flow.application_id,
        "policy_id": flow.policy_id,
        "status": flow.status,
    }
    if flow.result is not None:
        final = public_view(flow.result)
        seen |= {k: final.get(k) for k in DECISION_KEYS}
    return body.model_copy(update={"links": links}), seen


@router.post(
    "/requests",
    response_model=RequestView,
    status_code=201,
    responses={400: {}, 409: {}, 422: {}},
)
async def submit_request(
    body: RequestIn,
    request: Request,
    caller: Caller = allow(scopes=(REQUESTS_WRITE,)),
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Any:
    """Raise a request (a question about a policy, a problem with a permit, a complaint
    about a decision, a need for help, a service item) with the department that owns it:
    the one of the linked policy, service or application, else the topic's. The answer
    names who has it and by when it must be taken in hand and answered (working days).
    A service item its department decides from data is answered at once: granted or
    refused, with the decision and its trace (``decision``). An enterprise for itself,
    an app for an enterprise that granted it access. Send an ``Idempotency-Key``: the
    same key and body file one request."""
    units = _units(request)
    await ensure_may_act_for(units, caller, body.uscc)
    linked, application = await _linked(units, body)
    keys: IdempotencyStore = request.app.state.keys
    print_ = fingerprint("POST", request.url.path, body.model_dump(mode="json"))

    async def action(claim: Claim) -> Answer:
        decision = await decide_item(request, caller, linked, claim.resource_id)
        filing = RequestFiling(
            **linked.model_dump(),
            id=claim.resource_id,
            client_id=caller.client_id,
            actor=caller.actor,
            application=application,
            decision=decision,
        )
        filed = await _catalog(request).request("POST", "/requests", filing.model_dump(mode="json"))
        return Answer(201, filed)

    answer = await keys.once(caller.client_id, idempotency_key, print_, action)
    response = answer_response(answer)
    if isinstance(response, JSONResponse):
        response.headers["Location"] = f"/v1/requests/{answer.body['id']}"
    return response


@router.get("/requests", response_model=list[RequestSummary])
async def list_requests(
    request: Request,
    caller: Caller = allow(scopes=READERS),
    uscc: Annotated[str | None, Query(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")] = None,
    status: RequestStatus | None = None,
    escalated: bool | None = None,
) -> Any:
    """The latest 100 requests the caller may see, newest first, without their text: an
    enterprise its own, an app those it submitted (``uscc`` to narrow), the oversight
    desk and operators any."""
    params = {"uscc": uscc, "status": status, "escalated": escalated}
    query = urlencode({k: str(v).lower() for k, v in params.items() if v is not None})
    path = "/requests" + (f"?{query}" if query else "")
    return await _catalog(request).request("GET", path, headers=_forwarded(caller))


@router.get("/requests/{request_id}", response_model=RequestView, responses={404: {}})
async def read_request(
    request_id: RequestIdPath, request: Request, caller: Caller = allow(scopes=READERS)
) -> Any:
    """A request with its text and whole history: who has it, what each department did
    and when (the read is in the enterprise's records of use)."""
    path = f"/requests/{request_id}"
    return await _catalog(request).request("GET", path, headers=_forwarded(caller))


async def _step(request: Request, caller: Caller, request_id: str, step: str, body: Any) -> Any:
    path = f"/requests/{request_id}/{step}"
    return await _catalog(request).request(
        "POST", path, body.model_dump(mode="json"), _forwarded(caller)
    )


STEP_RESPONSES: dict[int | str, dict[str, Any]] = {404: {}, 409: {}, 422: {}}


@router.post("/requests/{request_id}/replies", response_model=RequestView, responses=STEP_RESPONSES)
async def reply(
    request_id: RequestIdPath,
    body: Reply,
    request: Request,
    caller: Caller = allow(scopes=(REQUESTS_WRITE,)),
) -> Any:
    """Answer the department's question; its time to answer starts again."""
    return await _step(request, caller, request_id, "replies", body)


@router.post("/requests/{request_id}/ratings", response_model=RequestView, responses=STEP_RESPONSES)
async def rate(
    request_id: RequestIdPath,
    body: Rating,
    request: Request,
    caller: Caller = allow(scopes=(REQUESTS_WRITE,)),
) -> Any:
    """Rate the answer from 1 to 5, once per answer; 2 or less sends the request back to
    the department, with a new time to answer."""
    return await _step(request, caller, request_id, "ratings", body)


@router.post(
    "/requests/{request_id}/reopenings", response_model=RequestView, responses=STEP_RESPONSES
)
async def reopen(
    request_id: RequestIdPath,
    body: Reply,
    request: Request,
    caller: Caller = allow(scopes=(REQUESTS_WRITE,)),
) -> Any:
    """Send an answered or closed request back to its department, with a reason."""
    return await _step(request, caller, request_id, "reopenings", body)


@router.get("/request-topics", dependencies=[Depends(limit_anonymous)])
async def topics(request: Request) -> Any:
    """The topics an enterprise may raise, the department each goes to when nothing it
    links to names one, and their time limits in working days."""
    return await _catalog(request).request("GET", "/request-topics")
