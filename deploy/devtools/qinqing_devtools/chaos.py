"""Chaos runs: applications under ``kill -9``, then the money checked end to end.

Seeded and reproducible in what it asks and what it kills (not in the timing of a
two-core machine). ``qinqing-chaos`` runs the long version against a platform of its
own; the test suite runs a short one.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

import httpx
import nats

from qinqing_devtools import feeds
from qinqing_devtools.demo import rental_policy
from qinqing_devtools.platform import SERVICES, Platform
from qinqing_shared.ids import id_check_char, uscc_check_char

FINAL = ("paid", "rejected")


class Target(Protocol):
    """What a run needs of the platform it runs against: the local processes (Platform)
    or a compose stack (qinqing_devtools.compose_test)."""

    @property
    def gateway_url(self) -> str: ...

    @property
    def nats_admin_url(self) -> str: ...

    def url(self, service: str) -> str: ...

    def auth(self, client_id: str) -> httpx.Auth: ...

    def grant(self, client_id: str, usccs: list[str]) -> None: ...

    def kill(self, service: str) -> None: ...

    def restart(self, service: str) -> None: ...


POLICY_PATH = "/v1/policies/hz-rental-subsidy-2026/applications"


@dataclass(frozen=True)
class Plan:
    applications: int
    seed: int
    kill_every: float
    targets: tuple[str, ...] = ()
    concurrency: int = 16
    settle_seconds: float = 240
    # at most this many applications started per second (None: as fast as answered)
    rate: float | None = None
    # Kill after every this many final answers instead of every ``kill_every`` seconds:
    # the kills follow the run's progress, so a fast machine and a slow one see the same
    # number of kills (applications // kill_after_answers - 1), none after the last part.
    kill_after_answers: int | None = None


@dataclass
class Outcome:
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> final answer
    kills: list[str] = field(default_factory=list)
    last_restart: float = 0.0
    last_answer: float = 0.0
    refused: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0
    recovery_seconds: float = 0
    checks: dict[str, Any] = field(default_factory=dict)

    @property
    def statuses(self) -> Counter[str]:
        return Counter(a["status"] for a in self.answers.values())


async def apply_until_final(
    client: httpx.AsyncClient, uscc: str, key: str, deadline: float, path: str = POLICY_PATH
) -> dict[str, Any]:
    """What a careful client does: retry with the same key until the answer is final."""
    pause = 0.2
    while time.monotonic() < deadline:
        try:
            answer = await client.post(path, json={"uscc": uscc}, headers={"Idempotency-Key": key})
        except httpx.HTTPError:
            answer = None
        if answer is not None and answer.status_code == 200 and answer.json()["status"] in FINAL:
            return dict(answer.json())
        if answer is not None and answer.status_code in (400, 404, 422):
            return {"status": "refused", "problem": answer.json()}
        await asyncio.sleep(pause)
        pause = min(pause * 1.5, 2.0)
    return {"status": "unfinished"}


Control = tuple[Callable[[], None], Callable[[], None]]  # kill, restart


def controls_for(platform: Target, names: Iterable[str]) -> dict[str, Control]:
    return {n: (partial(platform.kill, n), partial(platform.restart, n)) for n in names}


async def kill_while(
    controls: dict[str, Control], plan: Plan, stop: asyncio.Event, outcome: Outcome
) -> None:
    rng = random.Random(plan.seed)
    names = sorted(controls)
    if plan.kill_after_answers:
        every = plan.kill_after_answers
        for threshold in range(every, plan.applications, every):
            if not await _answered(outcome, threshold, stop):
                return
            await kill_and_restart(controls, rng.choice(names), rng, outcome)
        return
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), plan.kill_every)
            return
        except TimeoutError:
            pass
        await kill_and_restart(controls, rng.choice(names), rng, outcome)


async def _answered(outcome: Outcome, count: int, stop: asyncio.Event) -> bool:
    """Wait until ``count`` applications have their final answer (False: stopped)."""
    while len(outcome.answers) < count:
        if stop.is_set():
            return False
        await asyncio.sleep(0.05)
    return True


async def kill_and_restart(
    controls: dict[str, Control], target: str, rng: random.Random, outcome: Outcome
) -> None:
    kill, restart = controls[target]
    await asyncio.to_thread(kill)
    outcome.kills.append(target)
    await asyncio.sleep(rng.uniform(0.2, 1.0))
    await asyncio.to_thread(restart)
    outcome.last_restart = time.monotonic()


async def run(
    platform: Target,
    usccs: list[str],
    plan: Plan,
    controls: dict[str, Control] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Outcome:
    """Send ``plan.applications`` applications while killing processes; then check.
    ``transport``: how to reach the gateway (e.g. spread over several instances)."""
    controls = controls if controls is not None else controls_for(platform, plan.targets)
    outcome, stop = Outcome(), asyncio.Event()
    rng = random.Random(plan.seed)
    work = [
        (str(uuid.UUID(int=rng.getrandbits(128))), rng.choice(usccs))
        for _ in range(plan.applications)
    ]
    started = time.monotonic()
    deadline = started + plan.settle_seconds
    killer = asyncio.create_task(kill_while(controls, plan, stop, outcome))
    limit = asyncio.Semaphore(plan.concurrency)
    limits = httpx.Limits(max_connections=plan.concurrency * 2)
    platform.grant(LOAD_APP, sorted({uscc for _, uscc in work}))
    async with httpx.AsyncClient(
        base_url=platform.gateway_url,
        timeout=30,
        limits=limits,
        auth=platform.auth(LOAD_APP),
        transport=transport,
    ) as client:

        async def one(index: int, key: str, uscc: str) -> None:
            if plan.rate:
                await asyncio.sleep(max(0.0, started + index / plan.rate - time.monotonic()))
            async with limit:
                outcome.answers[key] = await apply_until_final(client, uscc, key, deadline)
                outcome.last_answer = time.monotonic()

        sending = asyncio.gather(*(one(i, key, uscc) for i, (key, uscc) in enumerate(work)))
        await asyncio.wait([sending], timeout=max(plan.settle_seconds - 60, 1))
        stop.set()
        await killer
        await sending
        # how long answers kept coming in after the last killed process came back
        outcome.recovery_seconds = max(0.0, outcome.last_answer - outcome.last_restart)
    outcome.seconds = time.monotonic() - started
    outcome.refused = [a for a in outcome.answers.values() if a["status"] == "refused"]
    outcome.checks = await check(platform)
    return outcome


async def check(platform: Target, wait: float = 60) -> dict[str, Any]:
    """The money, end to end: drained outboxes, one event per payout, a clean book."""
    async with httpx.AsyncClient(timeout=30, auth=platform.auth(OPERATOR)) as client:
        drained = await _drained(platform, client, wait)
        api = platform.gateway_url + "/v1"
        ledger = (await client.get(api + "/ledger/balance")).json()
        budget = (await client.get(api + "/budgets/hz-rental-subsidy-2026")).json()
        report = (await client.get(api + "/reconciliation")).json()
    events = await payout_events(platform.nats_admin_url)
    return {
        "outboxes_drained": drained,
        "ledger_balanced": ledger["balanced"],
        "budget": budget,
        "differences": report["differences"],
        "payout_events": events,
    }


async def _drained(platform: Target, client: httpx.AsyncClient, wait: float) -> bool:
    deadline = time.monotonic() + wait
    with_outbox = [s.name for s in SERVICES if s.name != "gateway"]
    while time.monotonic() < deadline:
        pending = [
            (await client.get(platform.url(n) + "/outbox")).json()["pending"] for n in with_outbox
        ]
        if not any(pending):
            return True
        await asyncio.sleep(0.5)
    return False


async def payout_events(nats_url: str) -> dict[str, int]:
    """payout.completed events per application id, read by an independent subscriber."""
    subject = "qinqing.payment.payout.completed.v1"
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        info = await js.stream_info("QINQING_PAYMENT", subjects_filter=subject)
        count = (info.state.subjects or {}).get(subject, 0)
        counts: Counter[str] = Counter()
        if count:
            sub = await js.subscribe(subject, ordered_consumer=True)
            for _ in range(count):
                counts[json.loads((await sub.next_msg(timeout=10)).data)["application_id"]] += 1
            await sub.unsubscribe()
        return dict(counts)
    finally:
        await client.close()


def verdict(outcome: Outcome) -> list[str]:
    """Every way the run broke a promise; empty when it kept them all."""
    problems = []
    unfinished = [k for k, a in outcome.answers.items() if a["status"] not in FINAL]
    if unfinished:
        problems.append(f"{len(unfinished)} applications not in a final state")
    paid = {a["id"] for a in outcome.answers.values() if a["status"] == "paid"}
    events = outcome.checks["payout_events"]
    if not paid <= set(events):
        problems.append(f"{len(paid - set(events))} paid applications without a payout event")
    rejected = {a["id"] for a in outcome.answers.values() if a["status"] == "rejected"}
    if rejected & set(events):
        problems.append(f"{len(rejected & set(events))} rejected applications were paid")
    if any(n != 1 for n in events.values()):
        problems.append("an application has more than one payout event")
    if not outcome.checks["ledger_balanced"]:
        problems.append("debits differ from credits")
    if outcome.checks["budget"]["remaining_fen"] < 0:
        problems.append("a budget went below zero")
    if not outcome.checks["outboxes_drained"]:
        problems.append("an outbox was not drained")
    if outcome.checks["differences"]:
        found = [
            f"{d['source']}/{d['kind']} {d['reference']}: {d['detail']}"
            for d in outcome.checks["differences"]
        ]
        problems.append(f"{len(found)} reconciliation differences: {found}")
    return problems


PILOT_POLICY = "hz-rental-subsidy-2026-pilot"
LOAD_APP = "load-app"  # the app load and fault runs apply as (see qinqing_devtools.clients)
OPERATOR = "demo-operator"
PILOT_AMOUNT = 1_000_000  # a bachelor's year


def pilot_enterprise(n: int) -> dict[str, Any]:
    """An active enterprise with one employee the rental subsidy pays (n < 90,000)."""
    uscc_body = f"91330106MA8{n:06d}"
    person = f"3301{n // 1000 + 10:02d}19980101{n % 1000:03d}"
    person += id_check_char(person)
    return {
        "uscc": uscc_body + uscc_check_char(uscc_body),
        "name": f"Pilot Enterprise {n}",
        "status": "active",
        "district_code": "330106",
        "industry_code": "I6511",
        "registered_on": "2020-01-01",
        "bank_account": {"bank": "Bank of Hangzhou", "account_no": f"6299{n:010d}"},
        "legal_representative": person,
        "employees": [
            {
                "id_number": person,
                "name": f"Pilot Person {n}",
                "birth_date": "1998-01-01",
                "household_district": "330106",
                "education": {"degree": "bachelor", "graduation_year": 2024},
                "social_insurance_months_in_city": 12,
                "owns_home_in_city": False,
            }
        ],
    }


async def publish_pilot(platform: Platform, payouts: int) -> None:
    """What a department does: publish a policy and fund its budget (internal APIs)."""
    amount = payouts * PILOT_AMOUNT
    policy = rental_policy() | {
        "id": PILOT_POLICY,
        "name": "Rental subsidy pilot",
        "budget_fen": amount,
    }
    budget = {"policy_id": PILOT_POLICY, "department_code": "HZ-HRSS", "amount_fen": amount}
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("hrss-department")) as client:
        put = await client.put(
            f"{platform.url('catalog-svc')}/policies/{PILOT_POLICY}", json=policy
        )
        put.raise_for_status()
        opened = await client.put(
            f"{platform.url('payment-svc')}/budgets/{PILOT_POLICY}", json=budget
        )
        opened.raise_for_status()


async def register(platform: Platform, enterprises: list[dict[str, Any]]) -> None:
    """What the departments' systems do: each sends the facts it holds about these
    enterprises and their employees, as itself (qinqing_devtools.feeds)."""
    platform.grant(LOAD_APP, [e["uscc"] for e in enterprises])  # they let the load app apply
    found = feeds.records(enterprises, dt.date.today())
    refused = await feeds.send(platform.url("identity-svc"), platform.auth, found)
    if any(refused.values()):
        raise RuntimeError(f"the register refused records: {refused}")


async def budget_race(platform: Platform, applicants: int, payouts: int) -> dict[str, Any]:
    """``applicants`` enterprises ask at once for a budget that covers ``payouts``."""
    await publish_pilot(platform, payouts)
    enterprises = [pilot_enterprise(n) for n in range(applicants)]
    await register(platform, enterprises)
    path = f"/v1/policies/{PILOT_POLICY}/applications"
    limits = httpx.Limits(max_connections=200)
    started = time.monotonic()
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=60, limits=limits, auth=platform.auth(LOAD_APP)
    ) as client:
        answers = await asyncio.gather(
            *(
                apply_until_final(client, e["uscc"], str(uuid.uuid4()), started + 900, path)
                for e in enterprises
            )
        )
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=60, auth=platform.auth(OPERATOR)
    ) as client:
        budget = (await client.get(f"/v1/budgets/{PILOT_POLICY}")).json()
    return {"answers": answers, "budget": budget, "seconds": time.monotonic() - started}


BANK_MODES = ("latency", "timeout", "fail", "late", "duplicate", "down")


async def set_bank_faults(platform: Platform, **faults: Any) -> None:
    async with httpx.AsyncClient(timeout=10, auth=platform.auth(OPERATOR)) as client:
        answer = await client.put(platform.url("sandbox-bank") + "/faults", json=faults)
        answer.raise_for_status()


async def injected_faults(platform: Platform) -> dict[str, int]:
    """How many faults of each mode the sandbox bank has injected since it started."""
    async with httpx.AsyncClient(timeout=10, auth=platform.auth(OPERATOR)) as client:
        answer = await client.get(platform.url("sandbox-bank") + "/faults/injected")
        answer.raise_for_status()
        counts: dict[str, int] = answer.json()
        return counts


async def bank_fault_run(
    platform: Platform,
    usccs: list[str],
    mode: str,
    plan: Plan,
    fault_seconds: float,
    rate: float = 0.5,
) -> Outcome:
    """Applications while the bank misbehaves in ``mode`` on ``rate`` of its
    instructions, from its first fault for ``fault_seconds`` (however long the first
    payouts take to reach it on a slow machine), then recovers;
    ``checks["faults_injected"]``: how many times the fault did happen meanwhile."""
    before = (await injected_faults(platform)).get(mode, 0)
    await set_bank_faults(
        platform,
        mode=mode,
        rate=rate,
        seed=plan.seed,
        latency_ms=300,
        hang_seconds=3.0,
        late_seconds=1.0,
    )
    running = asyncio.create_task(run(platform, usccs, plan, controls={}))
    try:
        while not running.done():  # the window opens at the first fault
            if (await injected_faults(platform)).get(mode, 0) > before:
                break
            await asyncio.sleep(0.2)
        await asyncio.wait([running], timeout=fault_seconds)
    finally:
        await set_bank_faults(platform, mode="none")
    outcome = await running
    outcome.checks["faults_injected"] = (await injected_faults(platform)).get(mode, 0) - before
    return outcome
