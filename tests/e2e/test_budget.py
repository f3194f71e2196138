"""A budget that covers 60 payouts, asked by 200 enterprises at once: exactly 60 paid.

And one Idempotency-Key sent 50 times at once: one payout. ``make chaos`` runs the same
budget check at 1,000 against 300 (docs/chaos.md).
"""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform

pytestmark = pytest.mark.e2e


async def test_a_budget_for_60_pays_exactly_60_of_200(platform: Platform) -> None:
    race = await chaos.budget_race(platform, applicants=200, payouts=60)
    statuses = [a["status"] for a in race["answers"]]
    assert statuses.count("paid") == 60
    assert statuses.count("rejected") == 140
    other_reasons = [
        a["decision"]["reasons"]
        for a in race["answers"]
        if a["status"] == "rejected"
        and "budget is exhausted" not in " ".join(a["decision"]["reasons"])
    ]
    assert other_reasons == []
    budget = race["budget"]
    assert (budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"]) == (
        0,
        0,
        60 * chaos.PILOT_AMOUNT,
    )


async def test_fifty_identical_requests_at_once_pay_once(platform: Platform) -> None:
    body = chaos.pilot_enterprise(5000)
    await chaos.register(platform, [body])
    key = str(uuid.uuid4())
    auth = platform.auth(chaos.LOAD_APP)
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60, auth=auth) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    chaos.POLICY_PATH, json={"uscc": body["uscc"]}, headers={"Idempotency-Key": key}
                )
                for _ in range(50)
            )
        )
        # 202 when the bank has not confirmed yet, 409 while the first is in flight
        assert {a.status_code for a in answers} <= {200, 202, 409}
        final = await chaos.apply_until_final(client, body["uscc"], key, time.monotonic() + 60)
    assert final["status"] == "paid"
    events = await chaos.payout_events(platform.nats_admin_url)
    assert events[final["id"]] == 1
