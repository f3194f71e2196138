"""Logic of subsidy-svc: evaluate, then approve or reject, then mark paid. Never commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError

from qinqing_shared.auth.signing import Signer
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.events import (
    APPLICATION_APPROVED,
    APPLICATION_CLAWED_BACK,
    APPLICATION_REJECTED,
    APPLICATION_SUBMITTED,
    ApplicationApproved,
    ApplicationClawedBack,
    ApplicationRejected,
    ApplicationSubmitted,
    CommitmentEvent,
)
from qinqing_shared.contracts.subsidy import (
    Application,
    ApplicationStatus,
    Beneficiary,
    Decision,
    EvaluationRequest,
    Simulation,
    SimulationRequest,
)
from qinqing_shared.ids import mask_id_number, mask_name
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import not_found
from subsidy_svc.eligibility.engine import Evaluation, claim_subjects, evaluate
from subsidy_svc.errors import ClaimsContended, CreditCheckMismatch
from subsidy_svc.models import ApplicationRow
from subsidy_svc.repository import SubsidyRepository
from subsidy_svc.said import Said


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def decide(
    repo: SubsidyRepository, outbox: Outbox, *, request: EvaluationRequest, signer: Signer
) -> Application:
    """Evaluate an application, then approve or reject it on its credit verdict, in one
    step: the row is written once, as decided; deciding the same id again answers the
    decision made (its payout order signed again)."""
    existing = await repo.application(request.application_id)
    if existing is not None:
        return await _credit_applied(repo, outbox, existing, request.credit, signer)
    _check_credit(request.credit, request.application_id, request.enterprise.uscc)
    for _ in range(3):
        try:
            async with repo.session.begin_nested():
                row = await _evaluate_and_claim(repo, request)
            break
        except IntegrityError:  # a concurrent application took a claim first: look again
            continue
    else:
        raise ClaimsContended("Other applications are claiming for these employees; retry.")
    outbox.add(
        repo.session,
        APPLICATION_SUBMITTED,
        ApplicationSubmitted(
            application_id=row.id, policy_id=row.policy_id, uscc=row.uscc
        ).model_dump(),
        key=row.id,
    )
    if row.status == ApplicationStatus.REJECTED:
        _rejected_event(outbox, repo, row)
    else:
        _approved_event(outbox, repo, row)
    return to_application(row, signer)


async def _evaluate_and_claim(
    repo: SubsidyRepository, request: EvaluationRequest
) -> ApplicationRow:
    """The decided row written: eligible and allowed funds (approved, its claims taken),
    or rejected (by the rules, or by the credit verdict: then nothing is claimed)."""
    policy, enterprise, on = request.policy, request.enterprise, request.applied_on
    claims = await repo.claims_this_year(policy.id, on.year, claim_subjects(policy, enterprise))
    result = evaluate(policy, enterprise, on, claims, request.credit.commitments)
    row = _row(request, result)
    credit = request.credit
    if row.status == ApplicationStatus.ELIGIBLE and not credit.allowed:
        _reject_row(row, Said(credit.reasons, credit.reasons_zh or None))
    elif row.status == ApplicationStatus.ELIGIBLE:
        row.status = ApplicationStatus.APPROVED
        _set_outcome(row, ApplicationStatus.APPROVED, Said([], []))
    await repo.add_application(row)
    await repo.add_commitments(row.id, result.commitments)
    if row.status != ApplicationStatus.APPROVED:
        return row
    claimed = [(a.person.id_number, a.amount_fen) for a in result.awards]
    if result.enterprise_fen > 0:  # the enterprise's own claim, keyed by its USCC
        claimed.append((enterprise.uscc, result.enterprise_fen))
    await repo.add_claims(
        [
            {
                "application_id": row.id,
                "policy_id": policy.id,
                "id_number": subject,
                "year": on.year,
                "amount_fen": amount,
            }
            for subject, amount in claimed
        ]
    )
    return row


def beneficiaries(result: Evaluation) -> list[Beneficiary]:
    """Who the decision pays, masked."""
    return [
        Beneficiary(
            id_number_masked=mask_id_number(a.person.id_number),
            name_masked=mask_name(a.person.name),
            amount_fen=a.amount_fen,
        )
        for a in result.awards
    ]


def _row(request: EvaluationRequest, result: Evaluation) -> ApplicationRow:
    outcome = ApplicationStatus.ELIGIBLE if result.eligible else ApplicationStatus.REJECTED
    decision = Decision(
        outcome=outcome,
        policy_id=request.policy.id,
        policy_version=request.policy.version,
        evaluated_on=request.applied_on,
        reasons=result.reasons,
        reasons_zh=result.reasons_zh,
        trace=result.trace,
    )
    return ApplicationRow(
        id=request.application_id,
        policy_id=request.policy.id,
        policy_version=request.policy.version,
        uscc=request.enterprise.uscc,
        status=outcome,
        amount_fen=result.amount_fen,
        currency=request.policy.currency,
        applied_on=request.applied_on,
        decision=decision.model_dump(mode="json"),
        beneficiaries=[b.model_dump() for b in beneficiaries(result)],
        created_at=_now(),
        updated_at=_now(),
        payee_proof=request.enterprise.attestation,
        claims_after_clawback=request.policy.rules.claims_after_clawback,
    )


def _check_credit(credit: CreditCheck, application_id: str, uscc: str) -> None:
    if credit.application_id != application_id or credit.uscc != uscc:
        raise CreditCheckMismatch(
            f"The credit check is for {credit.application_id} of {credit.uscc}.",
        )


async def _credit_applied(
    repo: SubsidyRepository,
    outbox: Outbox,
    row: ApplicationRow,
    credit: CreditCheck,
    signer: Signer,
) -> Application:
    """An application decided before, asked again: its decision (one recorded eligible
    and not yet judged on its credit, by an earlier version, is judged now).

    ``credit`` is credit-svc's verdict, its signature already checked by the caller.
    """
    _check_credit(credit, row.id, row.uscc)
    if row.status != ApplicationStatus.ELIGIBLE:
        return to_application(row, signer)
    if not credit.allowed:
        said = Said(credit.reasons, credit.reasons_zh or None)
        return await reject(repo, outbox, application_id=row.id, said=said)
    row.status = ApplicationStatus.APPROVED
    _set_outcome(row, ApplicationStatus.APPROVED, Said([], []))
    _approved_event(outbox, repo, row)
    return to_application(row, signer)


def _approved_event(outbox: Outbox, repo: SubsidyRepository, row: ApplicationRow) -> None:
    outbox.add(
        repo.session,
        APPLICATION_APPROVED,
        ApplicationApproved(
            application_id=row.id,
            policy_id=row.policy_id,
            policy_version=row.policy_version,
            uscc=row.uscc,
            amount_fen=row.amount_fen,
            currency=row.currency,
            beneficiaries=len(row.beneficiaries),
        ).model_dump(),
        key=row.id,
    )


async def reject(
    repo: SubsidyRepository, outbox: Outbox, *, application_id: str, said: Said
) -> Application:
    """Reject an application not yet paid, releasing its claims."""
    row = await _get(repo, application_id)
    if row.status in (
        ApplicationStatus.REJECTED,
        ApplicationStatus.PAID,
        ApplicationStatus.REVERSED,
        ApplicationStatus.CLAWED_BACK,
    ):
        return to_application(row)
    await repo.release_claims(row.id)
    _reject_row(row, said)
    _rejected_event(outbox, repo, row)
    return to_application(row)


def _reject_row(row: ApplicationRow, said: Said) -> None:
    row.status, row.amount_fen, row.beneficiaries = ApplicationStatus.REJECTED, 0, []
    _set_outcome(row, ApplicationStatus.REJECTED, said)


async def mark_paid(repo: SubsidyRepository, *, application_id: str) -> None:
    """An approved application is paid; any other (unknown, rejected, paid) stays as it is."""
    await repo.mark_paid(application_id, _now())


async def mark_reversed(repo: SubsidyRepository, *, application_id: str) -> None:
    """A paid (or approved) application whose payout was reversed: the money came back.
    Its claims stay: the year's subsidy for those people was used, then returned."""
    await repo.mark_reversed(application_id, _now())


async def claw_back(
    repo: SubsidyRepository, outbox: Outbox, *, commitment: CommitmentEvent
) -> list[str]:
    """A broken commitment: every application approved or paid on it is clawed back
    (payment-svc books what the enterprise owes and demands it). Its claims are kept
    (the year's subsidy counts as used) or released, as its policy said."""
    clawed = []
    for row in await repo.relying_on(commitment.commitment_id):
        reason = f"Credit commitment {commitment.commitment_id} ({commitment.clause}) was broken."
        reason_zh = (
            f"信用承诺 {commitment.commitment_id}（{commitment.clause}）未履行，款项已追回。"
        )
        row.status = ApplicationStatus.CLAWED_BACK
        if row.claims_after_clawback == "released":
            await repo.release_claims(row.id)
        # decided approved; the status says what came after
        row.decision = Said([reason], [reason_zh]).added_to(row.decision)
        row.updated_at = _now()
        outbox.add(
            repo.session,
            APPLICATION_CLAWED_BACK,
            ApplicationClawedBack(
                application_id=row.id,
                policy_id=row.policy_id,
                uscc=row.uscc,
                amount_fen=row.amount_fen,
                currency=row.currency,
                commitment_id=commitment.commitment_id,
                reason=reason,
            ).model_dump(),
            key=row.id,
        )
        clawed.append(row.id)
    return clawed


def payout_order(row: ApplicationRow, signer: Signer) -> str:
    """What payment-svc may pay for this application, and to whom (identity's proof)."""
    claims = {
        "sub": row.id,
        "policy_id": row.policy_id,
        "policy_version": row.policy_version,
        "uscc": row.uscc,
        "amount_fen": row.amount_fen,
        "currency": row.currency,
        "payee": row.payee_proof,
    }
    return signer.sign(claims, audience="payment-svc")


def _set_outcome(row: ApplicationRow, outcome: str, said: Said) -> None:
    row.decision = said.added_to(row.decision) | {"outcome": outcome}
    row.updated_at = _now()


def _rejected_event(outbox: Outbox, repo: SubsidyRepository, row: ApplicationRow) -> None:
    outbox.add(
        repo.session,
        APPLICATION_REJECTED,
        ApplicationRejected(
            application_id=row.id,
            policy_id=row.policy_id,
            uscc=row.uscc,
            reasons=row.decision["reasons"],
        ).model_dump(),
        key=row.id,
    )


async def _get(repo: SubsidyRepository, application_id: str) -> ApplicationRow:
    row = await repo.application(application_id)
    if row is None:
        raise not_found("Application", application_id)
    return row


def to_application(row: ApplicationRow, signer: Signer | None = None) -> Application:
    """The application; an approved one with its payout order when ``signer`` is given."""
    order = (
        payout_order(row, signer) if signer and row.status == ApplicationStatus.APPROVED else None
    )
    return Application(
        payout_order=order,
        id=row.id,
        policy_id=row.policy_id,
        uscc=row.uscc,
        status=row.status,
        amount_fen=row.amount_fen,
        currency=row.currency,
        applied_on=row.applied_on,
        beneficiaries=[Beneficiary.model_validate(b) for b in row.beneficiaries],
        decision=Decision.model_validate(row.decision),
    )


async def simulate(repo: SubsidyRepository, request: SimulationRequest, real: bool) -> Simulation:
    """What the policy would decide on ``request.on``: nothing written, nothing claimed.

    A real enterprise's employees' claims this year count, as they would in an
    application; made-up facts have none."""
    policy, enterprise, on = request.policy, request.enterprise, request.on
    claims: dict[str, int] = {}
    if real:
        claims = await repo.claims_this_year(policy.id, on.year, claim_subjects(policy, enterprise))
    result = evaluate(policy, enterprise, on, claims)
    return Simulation(
        policy_id=policy.id,
        policy_version=policy.version,
        uscc=enterprise.uscc,
        on=on,
        eligible=result.eligible,
        amount_fen=result.amount_fen,
        currency=policy.currency,
        beneficiaries=beneficiaries(result),
        reasons=result.reasons,
        reasons_zh=result.reasons_zh,
        trace=result.trace,
        real_enterprise=real,
    )
