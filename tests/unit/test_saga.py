"""The saga alone, with a fake unit of work and fake steps: every crash point, then resume.

The fake units keep flows in memory and apply a unit's writes only at its commit, as a
database would; the fake steps answer as the services do (each idempotent per
application id, payment-svc paying an application once). A crash is an exception
injected after a step's service did its work (before the gateway recorded it) or at a
commit (before it took effect); the flow is then resumed as the sweep does it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
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
    autocommits: list[bool] = field(default_factory=list)  # what each write unit asked
    stale_queries: list[tuple[dt.datetime, int]] = field(default_factory=list)


def as_stored(value: dict[str, Any]) -> dict[str, Any]:
    """What a JSON column gives back: JSON types only (a date left as an object fails)."""
    return json.loads(json.dumps(value))


class FakeFlows:
    def __init__(self, db: FakeDatabase) -> None:
        self.db = db
        self.staged: list[Callable[[], None]] = []

    async def add(self, flow: Flow, steps: dict[str, dict[str, Any]]) -> bool:
        if flow.application_id in self.db.flows:
            return False
        values = {c: getattr(flow, c) for c in COLUMNS}
        kept = as_stored(steps)
        self.staged.append(lambda: self.db.flows.setdefault(flow.application_id, values))
        self.staged.append(lambda: self.db.steps.setdefault(flow.application_id, kept))
        return True

    async def get(self, application_id: str) -> tuple[Flow, dict[str, Any]] | None:
        values = self.db.flows.get(application_id)
        if values is None:
            return None
        return Flow(**values), dict(self.db.steps[application_id])

    async def record(self, application_id: str, step: str, result: dict[str, Any]) -> None:
        kept = as_stored(result)
        self.staged.append(lambda: self.db.steps[application_id].setdefault(step, kept))

    async def end(self, application_id: str, status: FlowStatus, answer: dict[str, Any]) -> None:
        kept = as_stored(answer)

        def apply() -> None:
            self.db.flows[application_id] |= {"status": status, "result": kept}

        self.staged.append(apply)

    async def stale(self, cutoff: dt.datetime, limit: int) -> list[str]:
        await asyncio.sleep(0)  # a query: another instance's sweep may read meanwhile
        self.db.stale_queries.append((cutoff, limit))
        running = [
            k
            for k, v in self.db.flows.items()
            if v["status"] == FlowStatus.RUNNING and v["updated_at"] < cutoff
        ]
        return running[:limit]

    async def take(self, application_id: str, cutoff: dt.datetime) -> bool:
        # one atomic UPDATE in the database: checked and moved with no await between
        flow = self.db.flows[application_id]
        if flow["status"] != FlowStatus.RUNNING or flow["updated_at"] >= cutoff:
            return False
        flow["updated_at"] = dt.datetime.now(dt.UTC)
        return True

    async def running(self) -> int:
        return sum(v["status"] == FlowStatus.RUNNING for v in self.db.flows.values())


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
        self.db.autocommits.append(autocommit)
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
    payees: list[BankAccount] = field(default_factory=list)  # where each payout was asked to
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
        assert flow.uscc == PROFILE.uscc  # the flow's own enterprise
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
        self.payees.append(payee)
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

    async def reject(self, flow: Any, why: NotPaid) -> Application:
        self._enter("reject")
        # subsidy-svc keeps the amount it had decided on the rejected application
        app = application(flow.application_id, ApplicationStatus.REJECTED, why.reason)
        app = app.model_copy(update={"amount_fen": AMOUNT})
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
    metrics: ServiceMetrics

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
    metrics = ServiceMetrics(f"saga_{id(db)}")
    saga = Saga(FakeUnits(db), steps, metrics, receipts)
    return World(db, steps, saga, Claim("app-1", "key-1", "app-0001", taken_over=False), metrics)


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
    assert world.steps.payees == [PROFILE.bank_account] * RESUMED[step].count("pay")


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
    assert view.amount_fen == 0  # nothing was paid, whatever had been decided
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
    assert str(failed.value) == "decide refused"
    assert world.claim.answered  # stored under the request's own claim
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


# --- what is kept, what is measured, what the sweep does ---------------------------


async def exposition(world: World) -> list[str]:
    return (await world.metrics.exposition()).decode().splitlines()


async def test_a_new_flow_is_kept_with_its_subject_and_no_personal_data(world: World) -> None:
    before = dt.datetime.now(dt.UTC)
    await world.start()
    flow = world.flow
    assert (flow["application_id"], flow["policy_id"], flow["uscc"]) == (
        "app-0001",
        POLICY.id,
        PROFILE.uscc,
    )
    assert (flow["client_id"], flow["idempotency_key"], flow["applied_on"]) == (
        "app-1",
        "key-1",
        ON,
    )
    assert before <= flow["created_at"] <= flow["updated_at"] <= dt.datetime.now(dt.UTC)
    kept = world.db.steps["app-0001"]
    assert kept["policy"]["id"] == POLICY.id
    assert kept["enterprise"] == {
        "uscc": PROFILE.uscc,
        "bank_account": PROFILE.bank_account.model_dump(mode="json"),
    }
    assert "employees" not in json.dumps(kept)


async def test_steps_are_recorded_each_in_a_unit_of_its_own_the_end_in_one(
    world: World,
) -> None:
    await world.start()
    # the new flow, credit and decision (each its own statement), then the end
    assert world.db.autocommits == [False, True, True, False]
    assert world.claim.answered  # the end stored the answer under the request's claim
    payout = world.db.steps["app-0001"]["payout"]
    assert (payout["kind"], payout["payout"]["id"]) == ("paid", "payout-app-0001")


async def test_the_answer_and_its_receipt_name_the_payout(world: World) -> None:
    view = await world.start()
    assert view.payout is not None
    assert (view.payout.id, view.payout.bank_reference) == ("payout-app-0001", "BANK-1")
    assert view.payout.completed_at == dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    assert world.flow["result"]["payout"]["bank_reference"] == "BANK-1"
    assert world.flow["result"]["receipt"] == view.receipt


async def test_flows_are_counted_by_answer_step_and_stop(world: World) -> None:
    await world.start()
    world.steps.refuses = "credit"
    other = Claim("app-1", "key-2", "app-0002", taken_over=False)
    with pytest.raises(StepFailed):
        await world.saga.start(claim=other, applied_on=ON, policy=POLICY, enterprise=PROFILE)
    world.steps.refuses, world.steps.down = None, "credit"
    third = Claim("app-1", "key-3", "app-0003", taken_over=False)
    with pytest.raises(StepRetry):
        await world.saga.start(claim=third, applied_on=ON, policy=POLICY, enterprise=PROFILE)
    lines = await exposition(world)
    for line in (
        "# HELP qinqing_flow_answers_total Applications answered, by the status answered",
        'qinqing_flow_answers_total{status="paid"} 1.0',
        'qinqing_flow_answers_total{status="failed"} 1.0',
        "# HELP qinqing_flow_steps_total Saga steps recorded, by step",
        'qinqing_flow_steps_total{step="credit"} 1.0',
        'qinqing_flow_steps_total{step="decision"} 1.0',
        'qinqing_flow_steps_total{step="payout"} 1.0',
        "# HELP qinqing_flow_stops_total Flows stopped before their end, by why: retry (not "
        "now) or failed (for good)",
        'qinqing_flow_stops_total{outcome="failed"} 1.0',
        'qinqing_flow_stops_total{outcome="retry"} 1.0',
        "# HELP qinqing_flows_running Applications not yet final: being advanced, at the "
        "bank, or to be resumed",
        "qinqing_flows_running 1.0",
    ):
        assert line in lines


async def test_a_failed_flow_answers_its_problem_and_a_bodiless_one_502(world: World) -> None:
    world.steps.refuses = "decide"
    with pytest.raises(StepFailed):
        await world.start()
    with pytest.raises(Problem) as again:
        await world.saga.view("app-0001")
    assert (again.value.status, again.value.detail) == (422, "decide refused")
    world.flow["result"] = {"type": "about:blank", "title": "Lost", "detail": "no status"}
    with pytest.raises(StepFailed) as lost:
        await world.saga.run("app-0001")
    assert lost.value.problem.status == 502


async def test_a_flow_still_running_is_seen_as_processing(world: World) -> None:
    world.steps.down = "credit"
    with pytest.raises(StepRetry):
        await world.start()
    view = await world.saga.view("app-0001")
    assert view.model_dump() == {
        "id": "app-0001",
        "policy_id": POLICY.id,
        "uscc": PROFILE.uscc,
        "status": "processing",
        "amount_fen": 0,
        "currency": "CNY",
        "applied_on": ON,
        "beneficiaries": [],
        "decision": None,
        "payout": None,
        "clawback": None,
        "receipt": None,
    }


async def test_a_flow_is_shown_only_to_whom_it_may_concern(world: World) -> None:
    paid = await world.start()
    assert await world.saga.view("app-0001", lambda flow: flow.client_id == "app-1") == paid
    assert await world.saga.view("app-0001") == paid
    with pytest.raises(Problem) as hidden:
        await world.saga.view("app-0001", lambda flow: flow.client_id == "app-2")
    assert (hidden.value.status, hidden.value.detail) == (
        404,
        "No application 'app-0001' is known.",
    )
    with pytest.raises(Problem) as unknown:
        await world.saga.run("app-9999")
    assert unknown.value.detail == "No application 'app-9999' is known."


async def test_an_approved_application_without_a_positive_amount_is_never_paid(
    world: World,
) -> None:
    async def decide_zero(*args: Any) -> Application:
        return application("app-0001", ApplicationStatus.APPROVED).model_copy(
            update={"amount_fen": 0}
        )

    world.steps.decide = decide_zero  # type: ignore[method-assign]
    with pytest.raises(StepRetry) as retry:
        await world.start()
    assert (retry.value.problem.status, retry.value.problem.detail) == (
        502,
        "An approved application must carry a positive amount.",
    )
    assert world.steps.transfers == 0


async def test_one_fen_is_paid(world: World) -> None:
    async def decide_one(*args: Any) -> Application:
        return application("app-0001", ApplicationStatus.APPROVED).model_copy(
            update={"amount_fen": 1}
        )

    world.steps.decide = decide_one  # type: ignore[method-assign]
    assert (await world.start()).status == "paid"
    assert world.steps.transfers == 1


async def test_a_flow_advanced_here_already_is_not_advanced_twice_at_once(
    world: World,
) -> None:
    world.steps.down = "credit"
    with pytest.raises(StepRetry):
        await world.start()
    world.steps.down = None
    world.saga._running.add("app-0001")  # another request is advancing it right now
    with pytest.raises(StepRetry) as busy:
        await world.saga.run("app-0001")
    assert (busy.value.problem.status, busy.value.problem.slug) == (409, "request-in-progress")
    assert busy.value.problem.detail == "This application is being processed; ask again."
    assert world.steps.calls == ["credit"]
    world.saga._running.clear()
    assert (await world.saga.run("app-0001")).status == "paid"


async def test_a_resumed_flow_decides_on_the_profile_read_again(world: World) -> None:
    seen: list[tuple[str, str]] = []
    decide = world.steps.decide

    async def watching(flow: Any, policy: Policy, enterprise: Any, credit: Any) -> Application:
        seen.append((policy.id, enterprise.uscc))
        return await decide(flow, policy, enterprise, credit)

    world.steps.decide = watching  # type: ignore[method-assign]
    world.steps.crash_after = "credit"
    with pytest.raises(Crash):
        await world.start()
    await world.saga.run("app-0001")
    assert seen == [(POLICY.id, PROFILE.uscc)]


async def test_a_crashed_requests_retry_takes_over_its_flow_never_a_new_one(
    world: World,
) -> None:
    world.steps.crash_after = "decide"
    with pytest.raises(Crash):
        await world.start()
    retry = Claim("app-1", "key-1", "app-0001", taken_over=True)
    view = await world.saga.take_over(retry)
    assert view is not None
    assert view.status == "paid"
    assert retry.held and retry.answered
    assert list(world.db.flows) == ["app-0001"]
    assert world.steps.transfers == 1
    never_started = Claim("app-1", "key-9", "app-0009", taken_over=True)
    assert await world.saga.take_over(never_started) is None
    fresh = Claim("app-1", "key-1", "app-0001", taken_over=False)
    assert await world.saga.take_over(fresh) is None


async def test_a_second_start_under_the_same_claim_resumes_the_flow_never_a_new_one(
    world: World,
) -> None:
    """A slow request and the retry that took its key over both reach start(): the one
    that finds the flow already recorded runs that flow (its steps as recorded)."""
    world.steps.crash_after = "decide"
    with pytest.raises(Crash):
        await world.start()
    retry = Claim("app-1", "key-1", "app-0001", taken_over=True)
    view = await world.saga.start(claim=retry, applied_on=ON, policy=POLICY, enterprise=PROFILE)
    assert (view.id, view.status) == ("app-0001", "paid")
    assert list(world.db.flows) == ["app-0001"]
    assert world.steps.transfers == 1
    assert world.steps.calls.count("credit") == 1, "the recorded credit verdict, not asked again"
    assert retry.held


async def test_the_sweep_takes_flows_left_longer_than_it_waits_500_at_a_time(
    world: World,
) -> None:
    world.steps.crash_after = "credit"
    with pytest.raises(Crash):
        await world.start()
    assert await world.saga.sweep(60) == 0  # left a moment ago: maybe still advancing
    cutoff, limit = world.db.stale_queries[-1]
    assert limit == 500
    assert dt.timedelta(seconds=59) < dt.datetime.now(dt.UTC) - cutoff < dt.timedelta(seconds=61)
    assert world.flow["status"] == FlowStatus.RUNNING
    assert await world.saga.sweep(0) == 1
    assert world.flow["status"] == FlowStatus.PAID


async def test_of_two_gateways_sweeping_at_once_one_takes_a_left_flow(
    world: World, tmp_path: Path
) -> None:
    world.steps.crash_after = "credit"
    with pytest.raises(Crash):
        await world.start()
    receipts = ReceiptDesk(KeyRing(tmp_path / "other", "EdDSA"), "https://qinqing.test")
    metrics = ServiceMetrics(f"saga_other_{id(world.db)}")  # another process's
    other = Saga(FakeUnits(world.db), world.steps, metrics, receipts)
    taken = await asyncio.gather(world.saga.sweep(0), other.sweep(0))
    assert sorted(taken) == [0, 1]
    assert world.steps.calls.count("decide") == 1  # advanced by one instance only
    assert world.flow["status"] == FlowStatus.PAID


async def left_flows(world: World, count: int) -> list[str]:
    """``count`` flows whose gateway died after the credit step."""
    ids = []
    for n in range(count):
        claim = Claim("app-1", f"key-left-{n}", f"app-left-{n}", taken_over=False)
        world.steps.crash_after = "credit"
        with pytest.raises(Crash):
            await world.saga.start(claim=claim, applied_on=ON, policy=POLICY, enterprise=PROFILE)
        ids.append(claim.resource_id)
    return ids


async def test_the_sweep_takes_every_left_flow_but_those_this_process_is_advancing(
    world: World,
) -> None:
    busy, *left = await left_flows(world, 3)
    world.saga._running.add(busy)  # a live request of this process advances it
    autocommits = len(world.db.autocommits)
    assert await world.saga.sweep(0) == 2
    assert [world.db.flows[i]["status"] for i in left] == [FlowStatus.PAID] * 2
    assert world.db.flows[busy]["status"] == FlowStatus.RUNNING
    assert world.db.autocommits[autocommits] is True  # the lease: one statement, at once


async def test_a_taken_flow_that_stops_again_is_left_to_its_instance_until_stale(
    world: World,
) -> None:
    world.steps.down = "credit"
    with pytest.raises(StepRetry):
        await world.start()
    assert await world.saga.sweep(0) == 1  # taken: its time is now
    assert await world.saga.sweep(60) == 0  # not stale for a minute: nobody takes it
    assert world.db.stale_queries[-1][1] == 500
    world.steps.down = None
    assert await world.saga.sweep(0) == 1
    assert world.flow["status"] == FlowStatus.PAID


async def test_a_flow_the_sweep_cannot_resume_yet_is_logged_and_left(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.steps.down = "credit"
    with pytest.raises(StepRetry):
        await world.start()
    with caplog.at_level(logging.WARNING, logger="gateway.saga"):
        assert await world.saga.sweep(0) == 1
    assert [r.getMessage() for r in caplog.records] == [
        "flow app-0001 not resumed yet: credit is down"
    ]
    assert world.flow["status"] == FlowStatus.RUNNING


async def test_the_sweep_runs_at_once_then_on_its_period_and_survives_a_failure(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.steps.down = "credit"
    with pytest.raises(StepRetry):
        await world.start()
    world.steps.down = None
    sweeps: list[float] = []
    sweep = world.saga.sweep

    async def counted(stale_after: float) -> int:
        sweeps.append(stale_after)
        if len(sweeps) == 2:
            raise RuntimeError("database restarting")
        return await sweep(stale_after)

    world.saga.sweep = counted  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="gateway.saga"):
        task = asyncio.create_task(world.saga.sweep_forever(0.01, 30))
        for _ in range(500):
            if len(sweeps) >= 3:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    assert sweeps[:3] == [0, 30, 30]
    assert world.flow["status"] == FlowStatus.PAID  # the first sweep, at once
    failed = [r for r in caplog.records if r.getMessage() == "sweep failed"]
    assert len(failed) == 1
    assert failed[0].exc_info
    assert failed[0].exc_info[0] is RuntimeError


async def test_two_requests_for_one_flow_at_once_advance_it_once(world: World) -> None:
    world.steps.down = "credit"
    with pytest.raises(StepRetry):
        await world.start()
    world.steps.down = None
    entered, release = asyncio.Event(), asyncio.Event()
    check_credit = world.steps.check_credit

    async def slow_credit(flow: Any) -> CreditCheck:
        entered.set()
        await release.wait()
        return await check_credit(flow)

    world.steps.check_credit = slow_credit  # type: ignore[method-assign]
    first = asyncio.create_task(world.saga.run("app-0001"))
    await entered.wait()
    with pytest.raises(StepRetry) as busy:
        await world.saga.run("app-0001")
    assert busy.value.problem.slug == "request-in-progress"
    release.set()
    assert (await first).status == "paid"
    assert world.steps.transfers == 1


async def test_every_log_line_of_an_advancing_flow_names_its_application(
    world: World,
) -> None:
    from qinqing_shared.logs import APPLICATION_ID

    seen: list[str | None] = []
    check_credit = world.steps.check_credit

    async def watched(flow: Any) -> CreditCheck:
        seen.append(APPLICATION_ID.get())
        return await check_credit(flow)

    world.steps.check_credit = watched  # type: ignore[method-assign]
    await world.start()
    assert seen == ["app-0001"]
