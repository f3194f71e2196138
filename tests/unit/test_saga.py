"""The saga alone, with a fake unit of work and fake steps: every crash point, then resume.

The fake units keep flows in memory and apply a unit's writes only at its commit, as a
database would; the fake steps answer as the services do (each idempotent per
application id, payment-svc paying an application once). A crash is an exception
injected after a step's service did its work (before the gateway recorded it) or at a
commit (before it took effect); the flow is then resumed as the sweep does it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from qinqing_devtools.demo import golden, rental_policy
from qinqing_gateway.models import Flow, FlowStatus
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.saga import Saga
from qinqing_gateway.steps import NotPaid, Paid, PayoutResult, Pending, StepFailed, StepRetry
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.identity import BankAccount, EnterpriseProfile
from qinqing_shared.contracts.payment import Payout, PayoutStatus
from qinqing_shared.contracts.subsidy import Application, ApplicationStatus, Decision
from qinqing_shared.idempotency import Claim
from qinqing_shared.metrics import ServiceMetrics
from qinqing_shared.problems import Problem

ON = dt.date(2026, 9, 1)
POLICY = Policy.model_validate(rental_policy())
PROFILE = EnterpriseProfile.model_validate(golden()["enterprises"][0])
AMOUNT = 1_800_000


class Crash(Exception):
    """The gateway process dies here."""


# --- the fake unit of work ---------------------------------------------------------


@dataclass
class FakeDatabase:
    flows: dict[str, dict[str, Any]] = field(default_factory=dict)
    steps: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    answers: dict[tuple[str, str], tuple[int, dict[str, Any]]] = field(default_factory=dict)
    commits: int = 0
    crash_at_commit: int | None = None  # the n-th commit (from 1) fails before it applies


class FakeFlows:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.staged: list[Callable[[], None]] = []

    async def add(self, flow: Flow, steps: dict[str, dict[str, Any]]) -> None:
        values = {c: getattr(flow, c) for c in COLUMNS}
        self.staged.append(lambda: self.db.flows.setdefault(flow.application_id, values))
        self.staged.append(lambda: self.db.steps.setdefault(flow.application_id, dict(steps)))

    async def get(self, application_id: str) -> tuple[Flow, dict[str, Any]] | None:
        values = self.db.flows.get(application_id)
        if values is None:
            return None
        return Flow(**values), dict(self.db.steps[application_id])

    async def record(self, application_id: str, step: str, result: dict[str, Any]) -> None:
        self.staged.append(lambda: self.db.steps[application_id].setdefault(step, result))

    async def end(self, application_id: str, status: FlowStatus, answer: dict[str, Any]) -> None:
        def apply() -> None:
            self.db.flows[application_id] |= {"status": status, "result": answer}

        self.staged.append(apply)

    async def stale(self, cutoff: dt.datetime, limit: int) -> list[str]:
        running = [k for k, v in self.db.flows.items() if v["status"] == FlowStatus.RUNNING]
        return running[:limit]

    async def running(self) -> int:
        return len(await self.stale(dt.datetime.now(dt.UTC), len(self.db.flows)))


COLUMNS = ("application_id", "policy_id", "uscc", "client_id", "idempotency_key")
COLUMNS += ("applied_on", "status", "result", "created_at", "updated_at")


class FakeUnit:
    def __init__(self, db: FakeDatabase, claim: Claim | None) -> None:
        self.db = db
        self.claim = claim
        self.flows = FakeFlows(db)

    async def answer(self, status: int, body: dict[str, Any]) -> None:
        assert self.claim is not None
        claim = self.claim
        self.flows.staged.append(
            lambda: self.db.answers.__setitem__((claim.client_id, claim.key), (status, body))
        )
        claim.answered = True

    async def commit(self) -> None:
        self.db.commits += 1
        if self.db.commits == self.db.crash_at_commit:
            raise Crash(f"commit {self.db.commits}")
        for write in self.flows.staged:
            write()
        self.flows.staged.clear()


class FakeUnits:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db

    @contextlib.asynccontextmanager
    async def write(
        self, claim: Claim | None = None, *, autocommit: bool = False
    ) -> AsyncIterator[FakeUnit]:
        yield FakeUnit(self.db, claim)  # what was not committed is dropped with the unit

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[FakeUnit]:
        yield FakeUnit(self.db, None)


# --- the fake services -------------------------------------------------------------


@dataclass
class FakeSteps:
    eligible: bool = True
    credit_allowed: bool = True
    budget_left: bool = True
    pending_answers: int = 0  # how many times the bank answers "not yet" first
    crash_after: str | None = None  # the step after whose work the gateway dies
    down: str | None = None  # a service that does not answer
    refuses: str | None = None  # a service that refuses the step for good
    calls: list[str] = field(default_factory=list)
    payouts: dict[str, Payout] = field(default_factory=dict)  # by application: once
    transfers: int = 0  # money the bank actually moved

    def _enter(self, step: str) -> None:
        self.calls.append(step)
        if self.down == step:
            raise StepRetry(Problem(503, "dependency-unavailable", "Down", f"{step} is down"))
        if self.refuses == step:
            raise StepFailed(Problem(422, "invalid-request", "Refused", f"{step} refused"))

    def _leave(self, step: str) -> None:
        if self.crash_after == step:
            self.crash_after = None  # a process dies once; the resumed one goes on
            raise Crash(f"after {step}")

    async def profile(self, flow: Any) -> EnterpriseProfile:
        self._enter("profile")
        self._leave("profile")
        return PROFILE

    async def check_credit(self, flow: Any) -> CreditCheck:
        self._enter("credit")
        check = CreditCheck(
            id=f"check-{flow.application_id}",
            application_id=flow.application_id,
            uscc=flow.uscc,
            allowed=self.credit_allowed,
            fast_track=False,
            reasons=[] if self.credit_allowed else ["black list"],
            records=[],
        )
        self._leave("credit")
        return check

    async def decide(
        self, flow: Any, policy: Policy, enterprise: EnterpriseProfile, credit: CreditCheck
    ) -> Application:
        self._enter("decide")
        assert enterprise.employees  # decided on the whole profile, never the payee alone
        approved = self.eligible and credit.allowed
        status = ApplicationStatus.APPROVED if approved else ApplicationStatus.REJECTED
        app = application(flow.application_id, status)
        self._leave("decide")
        return app

    async def pay(self, flow: Any, app: Application, payee: BankAccount) -> PayoutResult:
        self._enter("pay")
        if not self.budget_left:
            self._leave("pay")
            return NotPaid(reason="The policy's budget is exhausted")
        if flow.application_id not in self.payouts:
            self.payouts[flow.application_id] = payout(flow.application_id, app)
            self.transfers += 1
        answer: PayoutResult
        if self.pending_answers:
            self.pending_answers -= 1
            answer = Pending(payout=self.payouts[flow.application_id])
        else:
            answer = Paid(payout=self.payouts[flow.application_id])
        self._leave("pay")
        return answer

    async def reject(self, flow: Any, reason: str) -> Application:
        self._enter("reject")
        app = application(flow.application_id, ApplicationStatus.REJECTED, reason)
        self._leave("reject")
        return app


def application(app_id: str, status: ApplicationStatus, reason: str = "") -> Application:
    rejected = status == ApplicationStatus.REJECTED
    return Application(
        id=app_id,
        policy_id=POLICY.id,
        uscc=PROFILE.uscc,
        status=status,
        amount_fen=0 if rejected else AMOUNT,
        currency="CNY",
        applied_on=ON,
        beneficiaries=[],
        decision=Decision(
            outcome="rejected" if rejected else "approved",
            policy_id=POLICY.id,
            policy_version=POLICY.version,
            evaluated_on=ON,
            reasons=[reason] if reason else [],
            trace=[],
        ),
        payout_order="signed-order" if status == ApplicationStatus.APPROVED else None,
    )


def payout(app_id: str, app: Application) -> Payout:
    return Payout(
        id=f"payout-{app_id}",
        application_id=app_id,
        policy_id=app.policy_id,
        uscc=app.uscc,
        amount_fen=app.amount_fen,
        currency="CNY",
        status=PayoutStatus.COMPLETED,
        bank_reference="BANK-1",
        completed_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
    )


# --- the tests ---------------------------------------------------------------------


@dataclass
class World:
    db: FakeDatabase
    steps: FakeSteps
    saga: Saga
    claim: Claim

    @property
    def flow(self) -> dict[str, Any]:
        return self.db.flows[self.claim.resource_id]

    @property
    def answer(self) -> tuple[int, dict[str, Any]] | None:
        return self.db.answers.get((self.claim.client_id, self.claim.key))

    async def start(self) -> Any:
        return await self.saga.start(
            claim=self.claim, applied_on=ON, policy=POLICY, enterprise=PROFILE
        )


@pytest.fixture
def world(tmp_path: Path) -> World:
    db, steps = FakeDatabase(), FakeSteps()
    receipts = ReceiptDesk(KeyRing(tmp_path / "receipts", "EdDSA"), "https://qinqing.test")
    saga = Saga(FakeUnits(db), steps, ServiceMetrics(f"saga_{id(db)}"), receipts)
    return World(db, steps, saga, Claim("app-1", "key-1", "app-0001", taken_over=False))


async def test_a_flow_runs_every_step_once_and_ends_paid(world: World) -> None:
    view = await world.start()
    assert view.status == "paid"
    assert view.amount_fen == AMOUNT
    assert world.steps.calls == ["credit", "decide", "pay"]
    assert world.flow["status"] == FlowStatus.PAID
    assert world.answer is not None
    assert world.answer[0] == 200
    assert world.answer[1]["status"] == "paid"
    assert world.claim.held
    assert world.steps.transfers == 1


# the calls of a flow whose gateway died after a step, then of the resumed flow: only
# the step whose result was not recorded runs again, and the profile is read again
# when the decision is still to come (employees are not kept at rest)
RESUMED = {
    "credit": ["credit", "credit", "profile", "decide", "pay"],
    "decide": ["credit", "decide", "profile", "decide", "pay"],
    "pay": ["credit", "decide", "pay", "pay"],
}


@pytest.mark.parametrize("step", RESUMED)
async def test_a_crash_after_any_step_resumes_to_one_paid_state_and_one_payout(
    world: World, step: str
) -> None:
    world.steps.crash_after = step
    with pytest.raises(Crash):
        await world.start()
    assert world.flow["status"] == FlowStatus.RUNNING
    view = await world.saga.run(world.claim.resource_id)  # the sweep takes it over
    assert view.status == "paid"
    assert world.flow["status"] == FlowStatus.PAID
    assert world.answer is not None
    assert world.answer[1]["status"] == "paid"
    assert world.steps.transfers == 1
    assert len(world.steps.payouts) == 1
    assert world.steps.calls == RESUMED[step]


@pytest.mark.parametrize("commit", [1, 2, 3, 4])
async def test_a_crash_at_any_commit_resumes_to_one_paid_state_and_one_payout(
    world: World, commit: int
) -> None:
    """Commits: the new flow, credit, decision, the end (with the payout)."""
    world.db.crash_at_commit = commit
    with pytest.raises(Crash):
        await world.start()
    if commit == 1:  # the flow was never written: the request is retried, as new
        assert world.db.flows == {}
        view = await world.start()
    else:
        assert world.flow["status"] == FlowStatus.RUNNING
        view = await world.saga.run(world.claim.resource_id)
    assert view.status == "paid"
    assert world.flow["status"] == FlowStatus.PAID
    assert world.answer is not None
    assert world.answer[1]["status"] == "paid"
    assert world.steps.transfers == 1


async def test_a_final_flow_answers_what_it_answered_without_running_again(
    world: World,
) -> None:
    first = await world.start()
    calls = list(world.steps.calls)
    again = await world.saga.run(world.claim.resource_id)
    assert again == first
    assert world.steps.calls == calls


async def test_an_ineligible_application_is_rejected_without_payout(
    world: World,
) -> None:
    world.steps.eligible = False
    view = await world.start()
    assert view.status == "rejected"
    assert view.amount_fen == 0
    assert world.steps.calls == ["credit", "decide"]
    assert world.steps.transfers == 0
    assert world.flow["status"] == FlowStatus.REJECTED
    assert view.receipt is not None


async def test_credit_that_denies_rejects_before_any_payout(world: World) -> None:
    world.steps.credit_allowed = False
    view = await world.start()
    assert view.status == "rejected"
    assert world.steps.calls == ["credit", "decide"]
    assert world.steps.transfers == 0


async def test_an_exhausted_budget_rejects_the_application_with_the_reason(
    world: World,
) -> None:
    world.steps.budget_left = False
    view = await world.start()
    assert view.status == "rejected"
    assert view.decision is not None
    assert view.decision.reasons == ["The policy's budget is exhausted"]
    assert world.steps.calls == ["credit", "decide", "pay", "reject"]
    assert world.flow["status"] == FlowStatus.REJECTED
    assert world.db.steps[world.claim.resource_id]["payout"]["kind"] == "rejected"


async def test_a_payout_the_bank_has_not_settled_leaves_the_flow_running_and_unanswered(
    world: World,
) -> None:
    world.steps.pending_answers = 1
    view = await world.start()
    assert view.status == "processing"
    assert world.flow["status"] == FlowStatus.RUNNING
    assert world.answer is None
    resumed = await world.saga.run(world.claim.resource_id)
    assert resumed.status == "paid"
    assert world.steps.transfers == 1
    assert world.answer is not None


async def test_a_service_that_is_down_leaves_the_flow_running_to_retry(world: World) -> None:
    world.steps.down = "decide"
    with pytest.raises(StepRetry):
        await world.start()
    assert world.flow["status"] == FlowStatus.RUNNING
    assert world.answer is None
    assert "credit" in world.db.steps[world.claim.resource_id]
    world.steps.down = None
    assert (await world.saga.run(world.claim.resource_id)).status == "paid"


async def test_a_step_refused_for_good_ends_the_flow_failed_with_that_problem(
    world: World,
) -> None:
    world.steps.refuses = "decide"
    with pytest.raises(StepFailed) as failed:
        await world.start()
    assert failed.value.problem.status == 422
    assert world.flow["status"] == FlowStatus.FAILED
    assert world.answer is not None
    assert world.answer[0] == 422
    with pytest.raises(StepFailed):  # answered again as is, never run again
        await world.saga.run(world.claim.resource_id)
    assert world.steps.calls.count("decide") == 1


async def test_the_sweep_resumes_only_running_flows(world: World) -> None:
    world.steps.crash_after = "credit"
    with pytest.raises(Crash):
        await world.start()
    assert await world.saga.sweep(0) == 1
    assert world.flow["status"] == FlowStatus.PAID
    assert await world.saga.sweep(0) == 0
    assert world.steps.transfers == 1
