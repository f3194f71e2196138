"""A city paid without applying while processes are killed (``make chaos``).

Human resources publishes a proactive policy with no notice period over the whole demo
city (the job-retention refund's rules, under an id of its own): the gateway's run
evaluates every enterprise, gives each eligible one a notice and pays it through the
instant flow. Meanwhile, every few seconds, a service, the sandbox bank, NATS or
PostgreSQL is SIGKILLed and restarted. Then, with no manual step: the run done; every
notice taken and decided (paid, or refused as an applicant would be); each paid one
paid exactly once (one payout event for each paid notice, read in subsidy-svc's own
tables, and the policy's budget paid exactly what those notices were decided);
outboxes drained, the ledger balanced and reconciliation clean.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import text

from qinqing_devtools import chaos
from qinqing_devtools.chaos_commitments import retried
from qinqing_devtools.demo import job_retention_policy
from qinqing_devtools.platform import SERVICES, Platform
from qinqing_shared.db import create_engine

POLICY_ID = "hz-chaos-proactive-2026"
DEPARTMENT = "hrss-department"


@dataclass
class ProactiveOutcome:
    evaluated: int = 0
    eligible: int = 0
    notices: dict[str, int] = field(default_factory=dict)
    applications: dict[str, int] = field(default_factory=dict)
    paid_twice: list[str] = field(default_factory=list)  # paid notices without one event
    decided_fen: int = 0  # what subsidy-svc decided to pay the paid notices
    budget_paid_fen: int = 0  # what payment-svc's budget of the policy says was paid
    kills: list[str] = field(default_factory=list)
    checks: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def policy() -> dict[str, Any]:
    """The job-retention refund's rules, paid at once (no notice period)."""
    return job_retention_policy() | {
        "id": POLICY_ID,
        "name": "Chaos proactive refund 2026",
        "name_zh": "混沌测试免申即享返还",
        "notice_days": 0,
        "budget_fen": 10**13,
    }


async def run(
    platform: Platform,
    controls: dict[str, chaos.Control],
    *,
    seed: int,
    kill_every: float,
    settle_seconds: float,
) -> ProactiveOutcome:
    outcome, stop = ProactiveOutcome(), asyncio.Event()
    started = time.monotonic()
    deadline = started + settle_seconds
    killer = asyncio.create_task(_kill_while(controls, seed, kill_every, stop, outcome))
    try:
        await _publish(platform, deadline)
        run_view = await _until_done(platform, deadline)
    finally:
        stop.set()
        await killer
    run_view = await _until_done(platform, time.monotonic() + 300) or run_view
    outcome.seconds = time.monotonic() - started
    if run_view is not None:
        outcome.evaluated, outcome.eligible = run_view["evaluated"], run_view["eligible"]
        outcome.notices, outcome.applications = run_view["notices"], run_view["applications"]
    outcome.checks = await chaos.check(platform)
    await _paid_once(platform, outcome)
    outcome.problems = verdict(outcome, run_view)
    return outcome


async def _kill_while(
    controls: dict[str, chaos.Control],
    seed: int,
    every: float,
    stop: asyncio.Event,
    outcome: ProactiveOutcome,
) -> None:
    rng, names = random.Random(seed), sorted(controls)
    kills = chaos.Outcome()
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), every)
            break
        except TimeoutError:
            await chaos.kill_and_restart(controls, rng.choice(names), rng, kills)
    outcome.kills = kills.kills


async def _publish(platform: Platform, deadline: float) -> None:
    """Human resources drafts the policy and publishes it (asked again while killed)."""
    catalog = f"{platform.url('catalog-svc')}/policies/{POLICY_ID}"
    async with httpx.AsyncClient(timeout=30, auth=platform.auth(DEPARTMENT)) as hrss:
        drafted = await retried(lambda: hrss.post(f"{catalog}/drafts", json=policy()), deadline)
        if drafted is None or drafted.status_code not in (201, 409):
            raise RuntimeError(f"the draft was refused: {drafted and drafted.text}")
        published = await retried(lambda: hrss.post(f"{catalog}/drafts/1/publish"), deadline)
        if published is None or published.status_code >= 400:
            raise RuntimeError(f"the policy was not published: {published and published.text}")


async def _until_done(platform: Platform, deadline: float) -> dict[str, Any] | None:
    """The run as its department follows it, once done with every application decided
    (None: not by the deadline; the last view seen is kept by the caller)."""
    path = f"/v1/policies/{POLICY_ID}/versions/1/proactive-run"
    seen: dict[str, Any] | None = None
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=30, auth=platform.auth(DEPARTMENT)
    ) as hrss:
        while time.monotonic() < deadline:
            answer = await retried(lambda: hrss.get(path), deadline)
            if answer is not None and answer.status_code == 200:
                seen = answer.json()
                if seen["state"] == "done" and set(seen["applications"]) <= {"paid", "rejected"}:
                    return seen
            await asyncio.sleep(1)
    return seen


async def _paid_once(platform: Platform, outcome: ProactiveOutcome) -> None:
    """Each paid notice has one payout event (read in subsidy-svc's own tables, against
    the NATS stream), and the policy's budget paid what those notices were decided."""
    subsidy = next(s for s in SERVICES if s.name == "subsidy-svc")
    engine = create_engine(platform.database_url(subsidy))
    try:
        async with engine.connect() as db:
            rows = (
                await db.execute(
                    text(
                        "SELECT n.id, a.amount_fen FROM notices n "
                        "JOIN applications a ON a.id = n.id "
                        "WHERE n.policy_id = :p AND a.status = 'paid'"
                    ),
                    {"p": POLICY_ID},
                )
            ).all()
    finally:
        await engine.dispose()
    events: Counter[str] = Counter(outcome.checks.get("payout_events", {}))
    outcome.paid_twice = [notice_id for notice_id, _ in rows if events[notice_id] != 1]
    outcome.decided_fen = sum(int(amount) for _, amount in rows)
    async with httpx.AsyncClient(timeout=30, auth=platform.auth(chaos.OPERATOR)) as operator:
        budget = await operator.get(f"{platform.gateway_url}/v1/budgets/{POLICY_ID}")
    outcome.budget_paid_fen = int(budget.json()["paid_fen"]) if budget.status_code == 200 else -1


def verdict(outcome: ProactiveOutcome, run_view: dict[str, Any] | None) -> list[str]:
    """Every way the run broke a promise; empty when it kept them all."""
    problems = []
    if run_view is None or run_view["state"] != "done":
        problems.append(f"the run did not finish: {run_view}")
    left = {k: v for k, v in outcome.notices.items() if k != "taken"}
    if left:
        problems.append(f"notices not paid: {left}")
    decided = sum(outcome.applications.values())
    if decided != outcome.notices.get("taken", 0) or decided != outcome.eligible:
        problems.append(
            f"{decided} applications for {outcome.notices.get('taken', 0)} notices taken "
            f"of {outcome.eligible} eligible"
        )
    if outcome.paid_twice:
        problems.append(f"{len(outcome.paid_twice)} notices without exactly one payout event")
    if outcome.budget_paid_fen != outcome.decided_fen:
        problems.append(
            f"the budget paid {outcome.budget_paid_fen} fen for {outcome.decided_fen} decided"
        )
    checks = outcome.checks
    if not checks.get("outboxes_drained") or not checks.get("ledger_balanced"):
        problems.append(f"outboxes drained / ledger balanced: {checks}")
    if checks.get("differences"):
        problems.append(f"{len(checks['differences'])} reconciliation differences")
    return problems
