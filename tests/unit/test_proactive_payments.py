"""The gateway pays a proactive policy's due notices (qinqing_gateway.proactive): a
notice whose payment cannot start is marked failed with why, once; one the enterprise
declined at the last moment, or a service that is down, is not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qinqing_gateway.proactive import ProactiveDesk
from qinqing_gateway.steps import StepFailed
from qinqing_shared.contracts.subsidy import Notice, NoticeStatus
from qinqing_shared.problems import Problem
from tests.unit.test_saga import POLICY, PROFILE
from tests.unit.test_steps import Peers, problem

NOW = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)


def notice(notice_id: str = "n-1") -> dict[str, Any]:
    return taken(notice_id).model_dump(mode="json")


def taken(notice_id: str = "n-1") -> Notice:
    """A notice the round took for payment, left by the bulk path to be paid alone."""
    return Notice(
        id=notice_id,
        policy_id=POLICY.id,
        policy_version=POLICY.version,
        uscc=PROFILE.uscc,
        amount_fen=3_000_000,
        currency="CNY",
        beneficiaries=[],
        status=NoticeStatus.TAKEN,
        noticed_at=NOW,
        pay_after=NOW,
        taken_at=NOW,
    )


class Saga:
    """The instant flow, as far as the desk sees it: a flow exists or is started."""

    def __init__(self, fails: Problem | None = None) -> None:
        self.fails, self.started = fails, []

    async def exists(self, application_id: str) -> bool:
        return False

    async def start(self, **given: Any) -> None:
        self.started.append(given["claim"].resource_id)
        if self.fails is not None:
            raise StepFailed(self.fails)


def desk(peers: Peers, saga: Saga) -> ProactiveDesk:
    return ProactiveDesk(
        peers,  # type: ignore[arg-type]
        saga,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]  # the bulk path: not used by _pay_each
        clock=None,  # type: ignore[arg-type]
        today=lambda: NOW.date(),
        units=None,  # type: ignore[arg-type]
        policies=None,  # type: ignore[arg-type]
        page_size=200,
        batches_per_round=1,
        concurrency=1,
        recheck=dt.timedelta(minutes=5),
    )


def subsidy_calls(peers: Peers) -> list[tuple[str, str, Any]]:
    return [(method, path, body) for method, path, body, _ in peers.subsidy.calls]


async def test_a_notice_whose_enterprise_identity_no_longer_holds_is_failed_with_why() -> None:
    peers, saga = Peers(), Saga()
    peers.subsidy.answers = [notice(), notice()]
    peers.identity.answers = [problem(404, "enterprise-not-found", "No enterprise '9133'.")]
    assert await desk(peers, saga)._pay_each(POLICY, [taken()]) == (1, 0)
    assert subsidy_calls(peers) == [
        ("POST", "/notices/n-1/taking", None),
        ("POST", "/notices/n-1/failure", {"reason": "Enterprise Not Found: No enterprise '9133'."}),
    ]
    assert saga.started == []


async def test_a_flow_that_failed_for_good_fails_its_notice_with_the_problem() -> None:
    peers = Peers()
    saga = Saga(fails=problem(422, "invalid-request", "x" * 600))
    peers.subsidy.answers = [notice(), notice()]
    peers.identity.answers = [PROFILE.model_dump(mode="json")]
    await desk(peers, saga)._pay_each(POLICY, [taken()])
    assert saga.started == ["n-1"]
    assert subsidy_calls(peers)[-1] == ("POST", "/notices/n-1/failure", {"reason": "x" * 500})


async def test_a_notice_declined_at_the_last_moment_is_not_failed() -> None:
    peers, saga = Peers(), Saga()
    peers.subsidy.answers = [problem(409, "notice-declined")]
    await desk(peers, saga)._pay_each(POLICY, [taken()])
    assert [path for _, path, _ in subsidy_calls(peers)] == ["/notices/n-1/taking"]
    assert saga.started == []


async def test_identity_down_is_no_failure_the_round_is_tried_again() -> None:
    peers, saga = Peers(), Saga()
    peers.subsidy.answers = [notice()]
    peers.identity.answers = [problem(503, "dependency-unavailable")]
    with pytest.raises(Problem) as down:
        await desk(peers, saga)._pay_each(POLICY, [taken()])
    assert down.value.status == 503
    assert [path for _, path, _ in subsidy_calls(peers)] == ["/notices/n-1/taking"]


async def test_a_service_down_for_some_notices_leaves_them_due_and_the_round_goes_on() -> None:
    """A long run meets kills and restarts: a round that moved some notices is progress
    (the job's backoff does not grow); the ones a service did not answer stay due."""
    peers, saga = Peers(), Saga()
    peers.subsidy.answers = [notice("n-1"), notice("n-2")]
    peers.identity.answers = [
        problem(503, "dependency-unavailable"),
        PROFILE.model_dump(mode="json"),
    ]
    assert await desk(peers, saga)._pay_each(POLICY, [taken("n-1"), taken("n-2")]) == (2, 1)
    assert saga.started == ["n-2"]
    assert [path for _, path, _ in subsidy_calls(peers)] == [
        "/notices/n-1/taking",
        "/notices/n-2/taking",
    ], "the one identity did not answer for is not failed: it is due again"


def run_view(state: str, cursor: str | None) -> dict[str, Any]:
    return {
        "policy_id": POLICY.id,
        "policy_version": POLICY.version,
        "department_code": POLICY.department_code,
        "state": state,
        "cursor": cursor,
        "evaluated": 0,
        "eligible": 0,
        "started_at": NOW.isoformat(),
    }


@pytest.mark.parametrize(
    ("answer", "reached"),
    [
        (run_view("evaluating", "91330106MA2H00022G"), ["91330106MA2H00014Q"]),
        (run_view("evaluating", None), []),
        (run_view("paying", "91330110MA2H000307"), ["91330106MA2H00014Q", "91330199MA7000001X"]),
        (problem(404, "proactive-run-not-found"), []),
    ],
)
async def test_new_facts_are_evaluated_again_only_for_enterprises_the_run_has_passed(
    answer: Any, reached: list[str]
) -> None:
    """One the run has not reached yet is left to the run: its profile is not read twice."""
    peers = Peers()
    peers.subsidy.answers = [answer]
    usccs = ["91330106MA2H00014Q", "91330199MA7000001X"]
    assert await desk(peers, Saga())._reached(POLICY, usccs) == reached
    path = f"/proactive-runs/{POLICY.id}/{POLICY.version}"
    assert subsidy_calls(peers) == [("GET", path, None)]
