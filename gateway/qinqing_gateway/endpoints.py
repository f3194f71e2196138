"""The public /v1 API."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import JSONResponse

from qinqing_gateway.peers import Peers
from qinqing_gateway.saga import RETRYABLE, Saga
from qinqing_gateway.schemas import ApplicationView, ApplyRequest
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.idempotency import (
    IdempotencyStore,
    Replay,
    fingerprint,
    replay_response,
    require_key,
)
from qinqing_shared.ids import IdNumber
from qinqing_shared.problems import Problem, problem_response

router = APIRouter(prefix="/v1")
CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
PolicyId = Annotated[str, Path(max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")]


def _peers(request: Request) -> Peers:
    peers: Peers = request.app.state.peers
    return peers


def _saga(request: Request) -> Saga:
    saga: Saga = request.app.state.saga
    return saga


@router.post(
    "/policies/{policy_id}/applications",
    response_model=ApplicationView,
    tags=["applications"],
    responses={400: {}, 404: {}, 409: {}, 422: {}, 503: {}},
)
async def apply(
    policy_id: PolicyId,
    body: ApplyRequest,
    request: Request,
    idempotency_key: Annotated[str | None, Header()] = None,
    x_client_id: Annotated[str, Header(max_length=100)] = "anonymous",
) -> Any:
    """Ask for a subsidy: identity, eligibility, credit and payout in one call.

    Send an ``Idempotency-Key``: the same key and body answer the same, and pay once.
    """
    key = require_key(idempotency_key)
    keys: IdempotencyStore = request.app.state.keys
    print_ = fingerprint("POST", request.url.path, body.model_dump(mode="json"))
    claim = await keys.begin(x_client_id, key, print_)
    if isinstance(claim, Replay):
        return replay_response(claim)
    saga = _saga(request)
    try:
        if claim.taken_over and await saga.exists(claim.resource_id):
            return await saga.run(claim.resource_id)
        try:
            policy, enterprise = await _prerequisites(_peers(request), policy_id, body.uscc)
        except Problem:
            await keys.release(claim)
            raise
        return await saga.start(
            application_id=claim.resource_id,
            client_id=x_client_id,
            key=key,
            applied_on=_today(request),
            policy=policy,
            enterprise=enterprise,
        )
    except Problem as problem:
        if problem.slug == "payout-pending":
            view = await saga.view(claim.resource_id)
            location = {"Location": f"/v1/applications/{claim.resource_id}"}
            return JSONResponse(view.model_dump(mode="json"), status_code=202, headers=location)
        if problem.status < 500 and problem.slug not in RETRYABLE:
            raise
        problem.extra["application_id"] = claim.resource_id
        response = problem_response(problem, request)
        response.headers["Retry-After"] = "5"
        return response


def _today(request: Request) -> dt.date:
    pinned: dt.date | None = request.app.state.settings.business_date
    return pinned or dt.datetime.now(CHINA).date()


async def _prerequisites(
    peers: Peers, policy_id: str, uscc: str
) -> tuple[Policy, EnterpriseProfile]:
    # Independent reads, both at once; when both fail, the policy's problem is answered.
    answers = await asyncio.gather(
        peers.catalog.request("GET", f"/policies/{policy_id}"),
        peers.identity.request("GET", f"/enterprises/{uscc}/profile"),
        return_exceptions=True,
    )
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    policy, profile = answers
    return Policy.model_validate(policy), EnterpriseProfile.model_validate(profile)


@router.get("/applications/{application_id}", response_model=ApplicationView, tags=["applications"])
async def get_application(
    application_id: Annotated[str, Path(max_length=36)], request: Request
) -> ApplicationView:
    """An application's status, amount, beneficiaries and decision with its trace."""
    return await _saga(request).view(application_id)


@router.get("/policies/{policy_id}", response_model=Policy, tags=["catalog"])
async def get_policy(policy_id: PolicyId, request: Request) -> Any:
    return await _peers(request).catalog.request("GET", f"/policies/{policy_id}")


@router.get("/services", tags=["catalog"])
async def search_services(request: Request) -> Any:
    """Search services: ``district``, ``department``, ``kind``, ``q``, ``page``, ``page_size``."""
    query = str(request.url.query)
    return await _peers(request).catalog.request(
        "GET", "/services" + (f"?{query}" if query else "")
    )


@router.get("/stats", tags=["catalog"])
async def stats(request: Request) -> Any:
    """What the platform did: services, departments, districts, cash transactions."""
    return await _peers(request).catalog.request("GET", "/stats")


@router.get("/persons/{id_number}/claims", tags=["persons"])
async def person_claims(
    id_number: Annotated[IdNumber, Path(description="Resident ID number (GB 11643-1999)")],
    request: Request,
) -> Any:
    """Subsidies claimed for a person; the ID number is answered masked."""
    return await _peers(request).subsidy.request("GET", f"/persons/{id_number}/claims")


@router.get("/budgets/{policy_id}", tags=["ledger"])
async def get_budget(policy_id: PolicyId, request: Request) -> Any:
    """A policy's budget: funded, paid and remaining, in fen."""
    return await _peers(request).payment.request("GET", f"/budgets/{policy_id}")


@router.get("/ledger/balance", tags=["ledger"])
async def ledger_balance(request: Request) -> Any:
    """Debits and credits over the whole ledger: equal, always."""
    return await _peers(request).payment.request("GET", "/ledger/balance")


@router.get("/reconciliation", tags=["ledger"])
async def reconciliation(request: Request) -> Any:
    """Ledger, payouts, bank statement and published events compared (operators)."""
    return await _peers(request).payment.request("GET", "/reconciliation")
