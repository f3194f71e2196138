"""HTTP API of subsidy-svc: the gateway's saga, and operators' person look-ups.

It decides only on what it can verify: the enterprise as identity-svc signed it, the
policy as catalog-svc signed it, the credit verdict as credit-svc signed it.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from qinqing_shared import audit
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import OPERATIONS_READ, PERSONS_READ
from qinqing_shared.auth.signing import Signer, digest
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.subsidy import (
    Application,
    ApplicationBatch,
    ApplicationBatchItem,
    BatchApplication,
    EvaluationRequest,
    FactCheck,
    FactCheckRequest,
    ItemDecision,
    ItemDecisionRequest,
    PersonClaim,
    PersonLookup,
    RejectionRequest,
    Simulation,
    SimulationRequest,
)
from qinqing_shared.deps import ReadUnitDep, WriteUnitDep
from qinqing_shared.ids import mask_id_number
from qinqing_shared.problems import Problem, not_found, responses
from subsidy_svc import batches, service, signed
from subsidy_svc.eligibility import commitments, items
from subsidy_svc.errors import ClaimsContended, CreditCheckMismatch, ItemNotInstant
from subsidy_svc.repository import SubsidyRepository
from subsidy_svc.said import Said

router = APIRouter(tags=["applications"], responses={**GUARDED_RESPONSES, 422: {}})
GATEWAY = ("gateway",)


def _signer(request: Request) -> Signer:
    return signed.runtime(request).signs()


@router.post(
    "/applications",
    response_model=Application,
    responses=responses(ClaimsContended, CreditCheckMismatch),
)
async def submit(
    body: EvaluationRequest,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> Application:
    """Decide an application (idempotent per application id) and record the decision:
    eligibility on the signed policy and profile, then credit-svc's signed verdict."""
    await signed.verify_policy(request, body.policy)
    await signed.verify_profile(request, body.enterprise)
    await signed.verify_credit(request, body.credit, body.application_id)
    decided = await service.decide(
        SubsidyRepository(uow.session), uow.outbox, request=body, signer=_signer(request)
    )
    await uow.commit()
    return decided


@router.post(
    "/applications/batch",
    response_model=list[ApplicationBatchItem],
)
async def submit_batch(
    body: ApplicationBatch,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> list[ApplicationBatchItem]:
    """Decide applications of one policy at once (a proactive run's payouts), each as
    ``POST /applications`` would decide it alone, idempotent per application id, in one
    transaction. One whose profile or credit verdict is not as signed, or that cannot
    be decided now, is answered with its problem; the others are decided."""
    await signed.verify_policy(request, body.policy)
    refused: dict[str, Problem] = {}
    for item in body.items:
        problem = await _unverified(request, item)
        if problem is not None:
            refused[item.application_id] = problem
    ready = [item for item in body.items if item.application_id not in refused]
    decided = await batches.decide_many(
        SubsidyRepository(uow.session),
        uow.outbox,
        policy=body.policy,
        applied_on=body.applied_on,
        items=ready,
        signer=_signer(request),
    )
    await uow.commit()
    return [_batch_item(item.application_id, {**decided, **refused}) for item in body.items]


async def _unverified(request: Request, item: BatchApplication) -> Problem | None:
    """Why this application of a batch cannot be decided as given, if it cannot."""
    try:
        await signed.verify_profile(request, item.enterprise)
        await signed.verify_credit(request, item.credit, item.application_id)
    except Problem as problem:
        return problem
    return None


def _batch_item(
    application_id: str, outcomes: dict[str, Application | Problem]
) -> ApplicationBatchItem:
    outcome = outcomes[application_id]
    if isinstance(outcome, Problem):
        return ApplicationBatchItem(application_id=application_id, problem=outcome.body())
    return ApplicationBatchItem(application_id=application_id, application=outcome)


@router.post("/simulations", response_model=Simulation, tags=["simulations"])
async def simulate(
    body: SimulationRequest,
    unit: ReadUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> Simulation:
    """What a policy would decide and pay, without applying: nothing is written.

    An enterprise signed by identity-svc is the real one (its employees' claims this
    year count), and is decided only on catalog-svc's signed policy. An unsigned one is
    made-up facts, decided as given: on a signed policy, or on an unsigned one (a
    department's draft, previewed before it is published)."""
    real = body.enterprise.attestation is not None
    if real or body.policy.attestation is not None:
        await signed.verify_policy(request, body.policy)
    if real:
        await signed.verify_profile(request, body.enterprise)
    return await service.simulate(SubsidyRepository(unit.session), body, real)


@router.post("/fact-checks", response_model=FactCheck, tags=["commitments"])
async def check_fact(
    body: FactCheckRequest,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> FactCheck:
    """What the departments' data tells of a policy's clause for one employee, or of a
    service item's condition for the enterprise: unknown (a commitment may stand for
    it), holds (one is kept) or contradicts (one is broken). The policy (or the item's
    handling) and the profile must be signed by their owners."""
    if body.policy is not None:
        await signed.verify_policy(request, body.policy)
    if body.item is not None:
        await signed.verify_item(request, body.item)
    await signed.verify_profile(request, body.enterprise)
    return commitments.check_fact(body)


@router.post(
    "/item-decisions",
    response_model=ItemDecision,
    tags=["service items"],
    responses=responses(ItemNotInstant),
)
async def decide_item(
    body: ItemDecisionRequest,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> ItemDecision:
    """Decide a service item at once (秒批) on the enterprise's data: granted, refused,
    or undecided (a fact unknown: its department decides). Nothing is written here:
    catalog-svc records the request with this decision, signed, as its answer."""
    await signed.verify_item(request, body.item)
    await signed.verify_profile(request, body.enterprise)
    await signed.verify_credit(request, body.credit, body.request_id)
    decided = items.decide_item(body)
    claims = {"sub": decided.request_id, "sha256": digest(decided.signed_content())}
    return decided.model_copy(update={"attestation": _signer(request).sign(claims)})


@router.post("/applications/{application_id}/rejection", response_model=Application)
async def reject(
    application_id: str,
    body: RejectionRequest,
    uow: WriteUnitDep,
    _caller: Caller = allow(services=GATEWAY),
) -> Application:
    """Reject an application that cannot be paid (e.g. the budget ran out)."""
    answer = await service.reject(
        SubsidyRepository(uow.session),
        uow.outbox,
        application_id=application_id,
        said=Said([body.reason], None if body.reason_zh is None else [body.reason_zh]),
    )
    await uow.commit()
    return answer


@router.get("/applications/{application_id}", response_model=Application, responses={404: {}})
async def get_application(
    application_id: str,
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=GATEWAY),
) -> Application:
    row = await SubsidyRepository(unit.session).application(application_id)
    if row is None:
        raise not_found("Application", application_id)
    return service.to_application(row)


@router.post("/persons/claims", response_model=list[PersonClaim], tags=["persons"])
async def person_claims(
    body: PersonLookup,
    uow: WriteUnitDep,
    caller: Caller = allow(scopes=(PERSONS_READ,)),
) -> list[PersonClaim]:
    """The subsidies claimed for a person, by policy and year (operators; the number is
    sent in the body, never in a URL, and answered masked). Every look-up is audited."""
    audit.record(
        uow.outbox,
        uow.session,
        actor=caller.client_id,
        action="person.claims.read",
        object_type="person",
        object_id=mask_id_number(body.id_number),
    )
    rows = await SubsidyRepository(uow.session).claims_of(body.id_number)
    await uow.commit()
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
