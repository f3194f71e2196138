"""HttpSteps: what each step asks of its service, and how each answer becomes an outcome.

The services are stood in for by peers that answer as the real ones do (their answers
are the same contracts); the problem each may answer decides the outcome: retry later
(every 5xx, and the 409s that mean "busy with this very application"), or fail for good.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest

from qinqing_gateway.steps import HttpSteps, NotPaid, Paid, Pending, StepFailed, StepRetry
from qinqing_shared.contracts.payment import PayoutStatus
from qinqing_shared.contracts.subsidy import ApplicationStatus
from qinqing_shared.problems import Problem
from tests.unit.test_saga import AMOUNT, POLICY, PROFILE, application, payout

ON = dt.date(2026, 9, 1)


@dataclass
class Subject:
    application_id: str = "app-0001"
    policy_id: str = POLICY.id
    uscc: str = PROFILE.uscc
    client_id: str = "app-1"
    applied_on: dt.date = ON


@dataclass
class Peer:
    """One service: answers (or problems) in turn, and the calls it received."""

    answers: list[Any] = field(default_factory=list)
    calls: list[tuple[str, str, Any, dict[str, str] | None]] = field(default_factory=list)

    async def request(
        self, method: str, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        self.calls.append((method, path, json, headers))
        answer = self.answers.pop(0)
        if isinstance(answer, Problem):
            raise answer
        return answer


@dataclass
class Peers:
    identity: Peer = field(default_factory=Peer)
    credit: Peer = field(default_factory=Peer)
    subsidy: Peer = field(default_factory=Peer)
    payment: Peer = field(default_factory=Peer)


@pytest.fixture
def peers() -> Peers:
    return Peers()


@pytest.fixture
def steps(peers: Peers) -> HttpSteps:
    return HttpSteps(peers)  # type: ignore[arg-type]


def problem(status: int, slug: str, detail: str = "said no") -> Problem:
    return Problem(status, slug, slug.replace("-", " ").title(), detail)


def credit_check() -> dict[str, Any]:
    return {
        "id": "check-1",
        "application_id": "app-0001",
        "uscc": PROFILE.uscc,
        "allowed": True,
        "fast_track": False,
        "reasons": [],
        "records": [],
    }


async def test_the_profile_is_read_for_the_client_the_flow_runs_for(
    steps: HttpSteps, peers: Peers
) -> None:
    peers.identity.answers = [PROFILE.model_dump(mode="json")]
    assert await steps.profile(Subject()) == PROFILE
    assert peers.identity.calls == [
        ("GET", f"/enterprises/{PROFILE.uscc}/profile", None, {"X-On-Behalf-Of": "app-1"})
    ]


async def test_credit_is_checked_for_the_application_on_its_date(
    steps: HttpSteps, peers: Peers
) -> None:
    peers.credit.answers = [credit_check()]
    check = await steps.check_credit(Subject())
    assert (check.id, check.allowed) == ("check-1", True)
    assert peers.credit.calls == [
        (
            "POST",
            "/checks",
            {"application_id": "app-0001", "uscc": PROFILE.uscc, "on": "2026-09-01"},
            None,
        )
    ]


async def test_the_decision_is_asked_with_everything_it_rests_on(
    steps: HttpSteps, peers: Peers
) -> None:
    approved = application("app-0001", ApplicationStatus.APPROVED)
    peers.subsidy.answers = [approved.model_dump(mode="json")]
    credit = await _credit(steps, peers)
    assert await steps.decide(Subject(), POLICY, PROFILE, credit) == approved
    method, path, body, _ = peers.subsidy.calls[0]
    assert (method, path) == ("POST", "/applications")
    assert body == {
        "application_id": "app-0001",
        "applied_on": "2026-09-01",
        "policy": POLICY.model_dump(mode="json"),
        "enterprise": PROFILE.model_dump(mode="json"),
        "credit": credit.model_dump(mode="json"),
    }


async def _credit(steps: HttpSteps, peers: Peers) -> Any:
    peers.credit.answers = [credit_check()]
    return await steps.check_credit(Subject())


async def test_a_payout_is_asked_once_per_application_with_its_signed_order(
    steps: HttpSteps, peers: Peers
) -> None:
    approved = application("app-0001", ApplicationStatus.APPROVED)
    paid = payout("app-0001", approved)
    peers.payment.answers = [paid.model_dump(mode="json")]
    outcome = await steps.pay(Subject(), approved, PROFILE.bank_account)
    assert outcome == Paid(payout=paid)
    assert peers.payment.calls == [
        (
            "POST",
            "/payouts",
            {
                "application_id": "app-0001",
                "policy_id": POLICY.id,
                "uscc": PROFILE.uscc,
                "amount_fen": AMOUNT,
                "currency": "CNY",
                "payee": PROFILE.bank_account.model_dump(mode="json"),
                "order": "signed-order",
            },
            {"Idempotency-Key": "payout-app-0001"},
        )
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (PayoutStatus.SENT, "pending"),
        (PayoutStatus.RESERVED, "pending"),
        (PayoutStatus.FAILED, "not-paid"),
    ],
)
async def test_a_payout_not_completed_is_pending_or_not_paid(
    steps: HttpSteps, peers: Peers, status: str, expected: str
) -> None:
    approved = application("app-0001", ApplicationStatus.APPROVED)
    answer = payout("app-0001", approved).model_copy(
        update={"status": status, "reason": "account frozen", "completed_at": None}
    )
    peers.payment.answers = [answer.model_dump(mode="json")]
    outcome = await steps.pay(Subject(), approved, PROFILE.bank_account)
    assert outcome.kind == expected
    if isinstance(outcome, NotPaid):
        assert (outcome.reason, outcome.reason_zh) == (
            "The bank refused the payout: account frozen",
            "银行拒绝了这笔付款：account frozen",
        )
    else:
        assert isinstance(outcome, Pending)
        assert outcome.payout.status == status


async def test_an_exhausted_budget_is_not_paid_with_the_reason(
    steps: HttpSteps, peers: Peers
) -> None:
    approved = application("app-0001", ApplicationStatus.APPROVED)
    peers.payment.answers = [problem(409, "budget-exhausted", "120 fen left")]
    outcome = await steps.pay(Subject(), approved, PROFILE.bank_account)
    assert outcome == NotPaid(
        reason="The policy's budget is exhausted: 120 fen left", reason_zh="该政策的预算已用完。"
    )


async def test_a_rejection_is_recorded_with_its_reason(steps: HttpSteps, peers: Peers) -> None:
    rejected = application("app-0001", ApplicationStatus.REJECTED, "no budget")
    peers.subsidy.answers = [rejected.model_dump(mode="json")]
    why = NotPaid(reason="no budget", reason_zh="预算已用完")
    assert await steps.reject(Subject(), why) == rejected
    assert peers.subsidy.calls == [
        (
            "POST",
            "/applications/app-0001/rejection",
            {"reason": "no budget", "reason_zh": "预算已用完"},
            None,
        )
    ]


async def test_a_bank_reason_is_quoted_at_most_500_characters(
    steps: HttpSteps, peers: Peers
) -> None:
    approved = application("app-0001", ApplicationStatus.APPROVED)
    answer = payout("app-0001", approved).model_copy(
        update={"status": PayoutStatus.FAILED, "reason": "x" * 501, "completed_at": None}
    )
    peers.payment.answers = [answer.model_dump(mode="json")]
    outcome = await steps.pay(Subject(), approved, PROFILE.bank_account)
    assert isinstance(outcome, NotPaid)
    assert outcome.reason == "The bank refused the payout: " + "x" * 500


# Each problem a service may answer, and what the saga makes of it.
CLASSIFIED = [
    (problem(503, "dependency-unavailable"), StepRetry),
    (problem(502, "dependency-failed"), StepRetry),
    (problem(500, "internal-error"), StepRetry),
    (problem(409, "request-in-progress"), StepRetry),  # busy with this very application
    (problem(409, "claims-contended"), StepRetry),
    (problem(409, "application-exists"), StepFailed),
    (problem(422, "invalid-request"), StepFailed),
    (problem(499, "client-closed"), StepFailed),
    (problem(404, "enterprise-not-found"), StepFailed),
]


@pytest.mark.parametrize(("answer", "outcome"), CLASSIFIED)
async def test_every_step_retries_on_not_now_and_fails_on_no(
    steps: HttpSteps, peers: Peers, answer: Problem, outcome: type[Exception]
) -> None:
    approved = application("app-0001", ApplicationStatus.APPROVED)
    for peer in (peers.identity, peers.credit, peers.subsidy, peers.payment):
        peer.answers = [answer]
    peers.subsidy.answers = [answer, answer]
    calls = [
        steps.profile(Subject()),
        steps.check_credit(Subject()),
        steps.decide(Subject(), POLICY, PROFILE, (await _credit_now(peers, steps))),
        steps.pay(Subject(), approved, PROFILE.bank_account),
        steps.reject(Subject(), NotPaid(reason="no")),
    ]
    for call in calls:
        with pytest.raises(outcome) as stopped:
            await call
        assert stopped.value.problem is answer  # type: ignore[attr-defined]


async def _credit_now(peers: Peers, steps: HttpSteps) -> Any:
    pending = list(peers.credit.answers)
    peers.credit.answers = [credit_check()]
    check = await steps.check_credit(Subject())
    peers.credit.answers = pending
    return check
