"""The job-retention refund (失业保险稳岗返还), paid without applying, on the running
platform: published with the demo city, its run evaluated every enterprise from the
unemployment insurance HRSS sent, and told each eligible one what it will be paid after
the five days' notice. Each decision is the one an application would get: the notices
are exactly the enterprises a simulation (the application's engine) finds eligible,
with the same amounts; nothing is paid before the notice period ends."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from qinqing_devtools.demo import JOB_RETENTION_POLICY_ID, dataset
from qinqing_devtools.platform import Platform
from tests.e2e.test_proactive import run_until

pytestmark = pytest.mark.e2e

SAMPLE = 60  # demo enterprises compared both ways


async def decided_both_ways(
    operator: httpx.AsyncClient, uscc: str
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    path = f"/v1/policies/{JOB_RETENTION_POLICY_ID}/simulations"
    simulated = await within_quota(lambda: operator.post(path, json={"uscc": uscc}))
    assert simulated.status_code == 200, simulated.text
    listed = await within_quota(lambda: operator.get(f"/v1/enterprises/{uscc}/notices"))
    assert listed.status_code == 200, listed.text
    notices = listed.json()
    return simulated.json(), [n for n in notices if n["policy_id"] == JOB_RETENTION_POLICY_ID]


async def within_quota(call: Callable[[], Awaitable[httpx.Response]]) -> httpx.Response:
    """The operator's quota is shared by the whole e2e session: a 429 waits as told."""
    for _ in range(5):
        answer = await call()
        if answer.status_code != 429:
            return answer
        await asyncio.sleep(float(answer.headers.get("Retry-After", "1")))
    return answer


async def test_the_refund_is_noticed_to_exactly_the_enterprises_an_application_would_pay(
    platform: Platform,
) -> None:
    run = await run_until(platform, JOB_RETENTION_POLICY_ID, 1, "paying")
    city = dataset(200)["enterprises"]
    sample = [e["uscc"] for e in city[-SAMPLE:]]  # generated ones: HRSS sent their figures
    auth = platform.auth("demo-operator")
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60, auth=auth) as op:
        both = await asyncio.gather(*(decided_both_ways(op, uscc) for uscc in sample))

    eligible = {s["uscc"]: s["amount_fen"] for s, _ in both if s["eligible"]}
    noticed = {n["uscc"]: n["amount_fen"] for _, notices in both for n in notices}
    assert noticed == eligible
    assert 0 < len(eligible) < SAMPLE  # some qualify, some do not
    reasons = {r.split(":", 1)[1].split("(")[0].strip() for s, _ in both for r in s["reasons"]}
    assert "unemployment insurance paid in full for 12 months" in reasons
    for _, notices in both:
        for notice in notices:
            told = dt.datetime.fromisoformat(notice["noticed_at"])
            paid = dt.datetime.fromisoformat(notice["pay_after"])
            assert (paid - told, notice["status"], notice["application_status"]) == (
                dt.timedelta(days=5),
                "noticed",
                None,
            )
    assert run["evaluated"] >= 200 and run["applications"] == {}
