"""Department ingest and credit commitments while processes are killed (``make chaos``,
tests/e2e/test_chaos.py).

Pilot enterprises whose employee has no housing record are registered by the departments
themselves (REST batches, each department with its own credentials), each commits that
its employee owns no home and is paid; then the housing bureau sends its records: every
other employee owns a home (the commitment is broken: clawed back), the rest do not
(kept). Services, the bank, NATS and PostgreSQL are killed meanwhile. After the kills,
with no manual step: every commitment verified, each broken one's payout demanded back
exactly once (the application ``clawed_back``, the enterprise owing its amount), each
kept one still paid and owing nothing.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from qinqing_devtools import chaos, feeds
from qinqing_devtools.demo import RENTAL_POLICY_ID
from qinqing_devtools.platform import Platform

HOUSING = "housing-department"
AS_OF = dt.date(2026, 8, 31)


@dataclass
class CommitmentOutcome:
    enterprises: int = 0
    paid: int = 0
    broken: int = 0  # verified broken, and clawed back once as they should
    kept: int = 0  # verified kept, still paid, owing nothing
    kills: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def without_home(n: int) -> dict[str, Any]:
    """Pilot ``n``, its employee's housing record not sent."""
    body = chaos.pilot_enterprise(n)
    employee = {k: v for k, v in body["employees"][0].items() if k != "owns_home_in_city"}
    return body | {"employees": [employee]}


async def retried(
    call: Callable[[], Awaitable[httpx.Response]], deadline: float
) -> httpx.Response | None:
    """A call asked again while the platform answers 5xx or not at all (a process was
    killed); its first other answer, or None at the deadline."""
    pause = 0.2
    while time.monotonic() < deadline:
        try:
            answer = await call()
        except httpx.HTTPError:
            answer = None
        if answer is not None and answer.status_code < 500:
            return answer
        await asyncio.sleep(pause)
        pause = min(pause * 1.5, 2.0)
    return None


async def register(platform: Platform, enterprises: list[dict[str, Any]], deadline: float) -> None:
    """Each department sends its records (a batch sent again is answered duplicate)."""
    platform.grant(chaos.LOAD_APP, [e["uscc"] for e in enterprises])
    found = feeds.records(enterprises, dt.date.today())
    url = platform.url("identity-svc")
    while True:
        try:
            refused = await feeds.send(url, platform.auth, found)
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(1)
            continue
        if any(refused.values()):
            raise RuntimeError(f"the register refused records: {refused}")
        return


async def commit_and_apply(
    client: httpx.AsyncClient, enterprise: dict[str, Any], deadline: float
) -> dict[str, Any]:
    """Commit for the employee, then apply until the answer is final."""
    body = {
        "uscc": enterprise["uscc"],
        "policy_id": RENTAL_POLICY_ID,
        "clause": "no_home",
        "id_number": enterprise["employees"][0]["id_number"],
        "signed_by": "Chaos Pilot, general manager",
    }
    made = await retried(lambda: client.post("/v1/commitments", json=body), deadline)
    if made is None or made.status_code != 200:
        return {"status": "not committed", "answer": made.text if made else None}
    key = str(uuid.uuid4())
    return await chaos.apply_until_final(client, enterprise["uscc"], key, deadline)


async def housing_says(
    platform: Platform, enterprises: list[dict[str, Any]], deadline: float
) -> None:
    """The housing bureau's records: every other employee owns a home."""
    records = [
        {
            "record_id": f"HOU-CHAOS-{e['uscc']}",
            "as_of": AS_OF.isoformat(),
            "data": {
                "id_number": e["employees"][0]["id_number"],
                "owns_home_in_city": index % 2 == 0,
            },
        }
        for index, e in enumerate(enterprises)
    ]
    async with httpx.AsyncClient(
        base_url=platform.url("identity-svc"), timeout=60, auth=platform.auth(HOUSING)
    ) as client:
        answer = await retried(
            lambda: client.post("/facts/home-ownership/batch", json={"records": records}),
            deadline,
        )
    if answer is None or answer.status_code != 200 or answer.json()["refused"]:
        raise RuntimeError(f"the housing records were not taken: {answer and answer.text}")


async def run(
    platform: Platform,
    numbers: list[int],
    controls: dict[str, chaos.Control],
    *,
    seed: int,
    kill_every: float | None,
    settle_seconds: float = 300,
) -> CommitmentOutcome:
    """Ingest, commitments, payouts and housing records while killing (every
    ``kill_every`` seconds; None: once after each of the three steps, as a test wants
    it: the same kills on any machine); then check."""
    started = time.monotonic()
    deadline = started + settle_seconds
    enterprises = [without_home(n) for n in numbers]
    outcome = CommitmentOutcome(enterprises=len(enterprises))
    kills, stop, rng = chaos.Outcome(), asyncio.Event(), random.Random(seed)
    plan = chaos.Plan(applications=0, seed=seed, kill_every=kill_every or 0)
    killer = (
        asyncio.create_task(chaos.kill_while(controls, plan, stop, kills)) if kill_every else None
    )

    async def step_done() -> None:
        if killer is None:
            await chaos.kill_and_restart(controls, rng.choice(sorted(controls)), rng, kills)

    try:
        await register(platform, enterprises, deadline)
        await step_done()
        answers = await paid(platform, enterprises, deadline)
        await step_done()
        await housing_says(platform, enterprises, deadline)
        await step_done()
    finally:
        stop.set()
        if killer is not None:
            await killer
    outcome.kills = kills.kills
    outcome.paid = sum(a["status"] == "paid" for a in answers)
    if outcome.paid != len(enterprises):
        statuses = sorted({str(a["status"]) for a in answers})
        outcome.problems.append(f"{outcome.paid} of {len(enterprises)} paid ({statuses})")
    await settle(platform, enterprises, answers, outcome, deadline)
    outcome.seconds = time.monotonic() - started
    return outcome


async def paid(
    platform: Platform, enterprises: list[dict[str, Any]], deadline: float
) -> list[dict[str, Any]]:
    """Each enterprise commits and applies (the load app, which each granted)."""
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=30, auth=platform.auth(chaos.LOAD_APP)
    ) as client:
        limit = asyncio.Semaphore(8)

        async def one(enterprise: dict[str, Any]) -> dict[str, Any]:
            async with limit:
                return await commit_and_apply(client, enterprise, deadline)

        return list(await asyncio.gather(*(one(e) for e in enterprises)))


async def settle(
    platform: Platform,
    enterprises: list[dict[str, Any]],
    answers: list[dict[str, Any]],
    outcome: CommitmentOutcome,
    deadline: float,
) -> None:
    """Wait (bounded) until every commitment is verified and its money where it belongs."""
    waiting: dict[str, str] = {}
    async with httpx.AsyncClient(timeout=30, auth=platform.auth(chaos.OPERATOR)) as client:
        while True:
            waiting = {}
            for index, (enterprise, answer) in enumerate(zip(enterprises, answers, strict=True)):
                expected = "broken" if index % 2 == 0 else "kept"
                found = await _where(platform, client, enterprise["uscc"], answer, expected)
                if found:
                    waiting[enterprise["uscc"]] = found
            if not waiting or time.monotonic() > deadline:
                break
            await asyncio.sleep(1)
    settled = len(enterprises) - len(waiting)
    outcome.broken = sum(
        1 for i, e in enumerate(enterprises) if i % 2 == 0 and e["uscc"] not in waiting
    )
    outcome.kept = settled - outcome.broken
    outcome.problems += [f"{uscc}: {why}" for uscc, why in sorted(waiting.items())]


async def _where(
    platform: Platform,
    client: httpx.AsyncClient,
    uscc: str,
    answer: dict[str, Any],
    expected: str,
) -> str | None:
    """What is not yet as it should be for this enterprise (None: all of it is)."""
    gateway = platform.gateway_url + "/v1"
    commitments = (await client.get(f"{gateway}/enterprises/{uscc}/commitments")).json()
    outcomes = [c["outcome"] for c in commitments]
    if outcomes != [expected]:
        return f"commitments {outcomes}, expected [{expected}]"
    payment = platform.url("payment-svc")
    demands = (await client.get(f"{payment}/enterprises/{uscc}/clawbacks")).json()
    owed = (await client.get(f"{payment}/accounts/receivable:{uscc}/balance")).json()
    view = (await client.get(f"{gateway}/applications/{answer.get('id')}")).json()
    amount = answer.get("amount_fen", 0)
    found = (view.get("status"), [d["amount_fen"] for d in demands], owed["balance_fen"])
    if expected == "kept":
        return None if found == ("paid", [], 0) else f"kept, but {found}"
    return None if found == ("clawed_back", [amount], -amount) else f"broken, but {found}"
