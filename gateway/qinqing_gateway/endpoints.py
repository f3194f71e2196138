"""The public /v1 API."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from qinqing_gateway.access import as_seen_by, ensure_may_act_for, may_read
from qinqing_gateway.config import Settings
from qinqing_gateway.errors import DraftNotFound
from qinqing_gateway.peers import Peers
from qinqing_gateway.policies import PolicyCache
from qinqing_gateway.saga import Saga
from qinqing_gateway.schemas import ApplicationView, ApplyRequest, PersonLookup, SimulateRequest
from qinqing_gateway.steps import StepFailed, StepRetry
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import (
    APPLICATIONS_READ,
    APPLICATIONS_WRITE,
    OPERATIONS_READ,
    PERSONS_READ,
    POLICIES_WRITE,
)
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.subsidy import Simulation
from qinqing_shared.idempotency import (
    Answer,
    Claim,
    IdempotencyStore,
    Replay,
    fingerprint,
    replay_response,
)
from qinqing_shared.ids import mask_id_number
from qinqing_shared.problems import Problem, problem_response
from qinqing_shared.ratelimit import limit_anonymous
from qinqing_shared.uow import Units

router = APIRouter(prefix="/v1", responses=GUARDED_RESPONSES)
audit = logging.getLogger("qinqing.audit")
PUBLIC = [Depends(limit_anonymous)]  # anonymous routes: counted per address
PolicyId = Annotated[str, Path(max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")]


def _peers(request: Request) -> Peers:
    peers: Peers = request.app.state.peers
    return peers


def _units(request: Request) -> Units:
    units: Units = request.app.state.runtime.units
    return units


def _policies(request: Request) -> PolicyCache:
    policies: PolicyCache = request.app.state.policies
    return policies


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
    caller: Caller = allow(scopes=(APPLICATIONS_WRITE,)),
    idempotency_key: Annotated[str | None, Header()] = None,
) -> Any:
    """Ask for a subsidy: identity, eligibility, credit and payout in one call.

    An enterprise asks for itself; an app for an enterprise that granted it access.
    Send an ``Idempotency-Key``: the same key and body answer the same, and pay once.
    Keys are kept per client (the token's ``client_id``) for 24 hours.
    """
    saga = _saga(request)
    await ensure_may_act_for(_units(request), caller, body.uscc)
    keys: IdempotencyStore = request.app.state.keys
    print_ = fingerprint("POST", request.url.path, body.model_dump(mode="json"))

    async def action(claim: Claim) -> Answer:
        try:
            view = await _apply(request, saga, caller, claim, policy_id, body)
        except StepRetry as retry:
            if claim.held:  # the caller may follow it meanwhile
                retry.problem.extra["application_id"] = claim.resource_id
            raise
        if view.status == "processing":  # the flow holds the key meanwhile
            return Answer(202, view.model_dump(mode="json"), final=False)
        return Answer(200, view.model_dump(mode="json"))  # stored by the flow's end

    try:
        answer = await keys.once(caller.client_id, idempotency_key, print_, action)
    except StepFailed as failed:
        raise failed.problem from None
    except StepRetry as retry:  # the flow stays running: ask again (same key), or read it
        return _retry_later(request, retry.problem)
    except Problem as problem:  # before any flow: the key was released
        if problem.status < 500:
            raise
        return _retry_later(request, problem)
    if isinstance(answer, Replay) and answer.status != 200:
        return replay_response(answer)
    headers = {"Idempotency-Replayed": "true"} if isinstance(answer, Replay) else {}
    if answer.status == 202:
        headers["Location"] = f"/v1/applications/{answer.body['id']}"
    return JSONResponse(as_seen_by(caller, answer.body), answer.status, headers=headers)


async def _apply(
    request: Request,
    saga: Saga,
    caller: Caller,
    claim: Claim,
    policy_id: str,
    body: ApplyRequest,
) -> ApplicationView:
    if (resumed := await saga.take_over(claim)) is not None:
        return resumed
    applied_on = _today(request)
    policy, enterprise = await _prerequisites(
        request, policy_id, body.uscc, caller.client_id, applied_on
    )  # a problem here releases the key: nothing was created
    return await saga.start(
        claim=claim, applied_on=applied_on, policy=policy, enterprise=enterprise
    )


def _retry_later(request: Request, problem: Problem) -> Any:
    response = problem_response(problem, request)
    response.headers["Retry-After"] = "5"
    return response


def _today(request: Request) -> dt.date:
    settings: Settings = request.app.state.settings
    return settings.today()


async def _prerequisites(
    request: Request, policy_id: str, uscc: str, on_behalf_of: str, on: dt.date
) -> tuple[Policy, EnterpriseProfile]:
    # Independent reads, both at once; when both fail, the policy's problem is answered.
    # identity-svc audits the profile read with the caller it was read for.
    for_caller = {"X-On-Behalf-Of": on_behalf_of}
    answers = await asyncio.gather(
        _policies(request).get(policy_id, on),
        _peers(request).identity.request("GET", f"/enterprises/{uscc}/profile", headers=for_caller),
        return_exceptions=True,
    )
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    policy, profile = answers
    assert isinstance(policy, Policy)
    return policy, EnterpriseProfile.model_validate(profile)


@router.get(
    "/applications/{application_id}",
    response_model=ApplicationView,
    tags=["applications"],
    responses={404: {}},
)
async def get_application(
    application_id: Annotated[str, Path(max_length=36)],
    request: Request,
    caller: Caller = allow(scopes=(APPLICATIONS_READ, OPERATIONS_READ)),
) -> Any:
    """An application's status, amount, beneficiaries and decision with its trace.

    Readable by the app that made it, the enterprise it is for, and operators.
    """
    view = await _saga(request).view(application_id, lambda flow: may_read(caller, flow))
    return as_seen_by(caller, view.model_dump(mode="json"))


@router.post(
    "/policies/{policy_id}/simulations",
    response_model=Simulation,
    tags=["simulations"],
    responses={404: {}, 422: {}},
)
async def simulate(
    policy_id: PolicyId,
    body: SimulateRequest,
    request: Request,
    caller: Caller = allow(scopes=(APPLICATIONS_READ, OPERATIONS_READ, POLICIES_WRITE)),
) -> Any:
    """What the policy would decide and pay, with its trace, without applying or paying.

    For a real enterprise (``uscc``): the enterprise itself, an app it granted access,
    or an operator; its employees' claims this year count, and the read is audited.
    For made-up facts (``enterprise``): anyone with a token; they are kept nowhere. A
    department previews its own draft (``draft``) on made-up facts before publishing.
    """
    peers, on = _peers(request), body.on or _today(request)
    if body.uscc is not None:
        if caller.kind != "operator":
            await ensure_may_act_for(_units(request), caller, body.uscc)
        policy, enterprise = await _prerequisites(
            request, policy_id, body.uscc, caller.client_id, on
        )
    else:
        assert body.enterprise is not None
        if body.draft is not None:
            policy = await _draft(request, caller, policy_id, body.draft)
        else:
            policy = await _policies(request).get(policy_id, on)
        enterprise = body.enterprise.model_copy(update={"attestation": None})  # never "real"
    asked = {
        "on": on.isoformat(),
        "policy": policy.model_dump(mode="json"),
        "enterprise": enterprise.model_dump(mode="json"),
    }
    simulation: dict[str, Any] = await peers.subsidy.request("POST", "/simulations", asked)
    if body.uscc is None:
        return simulation  # the caller's own made-up facts: nothing to hide from it
    seen = as_seen_by(caller, {"decision": simulation})["decision"]
    shown = {key: seen[key] for key in ("trace", "reasons", "reasons_zh") if key in seen}
    return simulation | shown


async def _draft(request: Request, caller: Caller, policy_id: str, version: int) -> Policy:
    """The caller's department's draft, as catalog-svc shows it to that department
    (unsigned: subsidy-svc decides it on made-up facts only)."""
    if caller.kind != "department":
        raise forbidden("Only the policy's department previews its drafts.")
    path = f"/policies/{policy_id}/drafts"
    drafts = await _peers(request).catalog.request("GET", path, headers=_forwarded(caller))
    for draft in drafts:
        if draft["policy"]["version"] == version:
            return Policy.model_validate(draft["policy"])
    raise DraftNotFound(f"Policy {policy_id} has no draft version {version} of yours.")


@router.get("/policies/{policy_id}", response_model=Policy, tags=["catalog"], dependencies=PUBLIC)
async def get_policy(
    policy_id: PolicyId,
    request: Request,
    on: Annotated[
        dt.date | None,
        Query(description="the version deciding applications made that day (default: today)"),
    ] = None,
) -> Any:
    """A published policy with its rules, as catalog-svc signed it: the version in
    effect on ``on``."""
    policy = await _policies(request).get(policy_id, on or _today(request))
    return policy.model_dump(mode="json")


@router.get("/policies/{policy_id}/versions", tags=["catalog"], dependencies=PUBLIC)
async def policy_history(policy_id: PolicyId, request: Request) -> Any:
    """Every published version of a policy, oldest first, each with its dates: which
    version decided an application is named in its decision (``policy_version``)."""
    return await _peers(request).catalog.request("GET", f"/policies/{policy_id}/versions")


@router.get("/policies", tags=["catalog"], dependencies=PUBLIC)
async def list_policies(request: Request) -> Any:
    """Published policies: ``q`` (in the name), ``department``, ``page``, ``page_size``."""
    query = str(request.url.query)
    return await _peers(request).catalog.request(
        "GET", "/policies" + (f"?{query}" if query else "")
    )


@router.get("/services", tags=["catalog"], dependencies=PUBLIC)
async def search_services(request: Request) -> Any:
    """Search services: ``district``, ``department``, ``kind``, ``q``, ``page``, ``page_size``."""
    query = str(request.url.query)
    return await _peers(request).catalog.request(
        "GET", "/services" + (f"?{query}" if query else "")
    )


@router.get(
    "/services/{code}/handling",
    tags=["catalog"],
    dependencies=PUBLIC,
    responses={404: {}},
)
async def item_handling(
    code: Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9-]+$")], request: Request
) -> Any:
    """How a service item is handled: routed to its department, or decided at once from
    department data (``instant``) on the conditions shown, as catalog-svc signed it."""
    return await _peers(request).catalog.request("GET", f"/services/{code}/handling")


@router.get("/districts", tags=["catalog"], dependencies=PUBLIC)
async def districts(request: Request) -> Any:
    """The city's 14 districts: code and name."""
    return await _peers(request).catalog.request("GET", "/districts")


@router.get("/departments", tags=["catalog"], dependencies=PUBLIC)
async def departments(request: Request) -> Any:
    """The city's departments: code and name."""
    return await _peers(request).catalog.request("GET", "/departments")


@router.get("/stats", tags=["catalog"], dependencies=PUBLIC)
async def stats(request: Request) -> Any:
    """What the platform did: services, departments, districts, cash transactions, by
    department and district, the latest payouts (where and how much, never to whom) and
    payouts per minute over the last 30 minutes."""
    return await _peers(request).catalog.request("GET", "/stats")


def _forwarded(caller: Caller) -> dict[str, str]:
    """The caller's own token, for a service that checks the caller itself."""
    return {"Authorization": f"Bearer {caller.token}"}


@router.post("/persons/claims", tags=["persons"], responses={422: {}})
async def person_claims(
    body: PersonLookup, request: Request, caller: Caller = allow(scopes=(PERSONS_READ,))
) -> Any:
    """Subsidies claimed for a person, looked up by ID number (in the body, never a URL).

    Operators only; every look-up is written to the audit log. Answered masked.
    """
    audit.info("person look-up by %s for %s", caller.client_id, mask_id_number(body.id_number))
    payload = body.model_dump()
    return await _peers(request).subsidy.request(
        "POST", "/persons/claims", payload, _forwarded(caller)
    )


@router.get("/budgets/{policy_id}", tags=["ledger"])
async def get_budget(
    policy_id: PolicyId,
    request: Request,
    caller: Caller = allow(scopes=(OPERATIONS_READ, POLICIES_WRITE)),
) -> Any:
    """A policy's budget: funded, paid and remaining, in fen (operators, and the
    department whose policy it is)."""
    path = f"/budgets/{policy_id}"
    return await _peers(request).payment.request("GET", path, headers=_forwarded(caller))


@router.get("/budgets/{policy_id}/payouts", tags=["ledger"])
async def budget_payouts(
    policy_id: PolicyId,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=100, description="how many, the newest first")] = 20,
    caller: Caller = allow(scopes=(OPERATIONS_READ, POLICIES_WRITE)),
) -> Any:
    """A policy's latest payouts, the newest first: when, to which enterprise, how much
    and how they stand (operators, and the department whose policy it is)."""
    path = f"/budgets/{policy_id}/payouts?limit={limit}"
    return await _peers(request).payment.request("GET", path, headers=_forwarded(caller))


@router.get("/ledger/balance", tags=["ledger"])
async def ledger_balance(
    request: Request, caller: Caller = allow(scopes=(OPERATIONS_READ,))
) -> Any:
    """Debits and credits over the whole ledger: equal, always (operators)."""
    return await _peers(request).payment.request(
        "GET", "/ledger/balance", headers=_forwarded(caller)
    )


@router.get("/reconciliation", tags=["ledger"])
async def reconciliation(
    request: Request, caller: Caller = allow(scopes=(OPERATIONS_READ,))
) -> Any:
    """Ledger, payouts, bank statement and published events compared (operators)."""
    return await _peers(request).payment.request(
        "GET", "/reconciliation", headers=_forwarded(caller)
    )
