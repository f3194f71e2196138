"""A paid application whose payout an operator reverses: the money comes back to the
budget, and subsidy-svc, which hears ``payout.reversed``, says so too."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest

from qinqing_devtools.platform import Platform
from tests.e2e import pilots

pytestmark = pytest.mark.e2e


async def test_a_reversed_payout_is_reversed_in_payment_and_subsidy(platform: Platform) -> None:
    final = await pilots.applied(platform, 5901)
    assert final["status"] == "paid"
    application = final["id"]
    payment, subsidy = platform.url("payment-svc"), platform.url("subsidy-svc")
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("demo-operator")) as ops:
        budget_before = (await ops.get(f"{payment}/budgets/{final['policy_id']}")).json()
        reversed_ = await ops.post(
            f"{payment}/payouts/{application}/reversal",
            json={"reason": "paid to a closed account"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        budget_after = (await ops.get(f"{payment}/budgets/{final['policy_id']}")).json()
        statuses = [(await ops.get(f"{subsidy}/applications/{application}")).json()["status"]]
        deadline = time.monotonic() + 15
        while statuses[-1] != "reversed" and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
            answer = await ops.get(f"{subsidy}/applications/{application}")
            statuses.append(answer.json()["status"])
        balanced = (await ops.get(f"{payment}/ledger/balance")).json()["balanced"]
    assert (reversed_.status_code, reversed_.json()["status"]) == (200, "reversed")
    assert budget_after["remaining_fen"] - budget_before["remaining_fen"] == final["amount_fen"]
    assert statuses[-1] == "reversed"
    assert balanced is True
