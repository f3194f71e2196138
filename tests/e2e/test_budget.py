"""A budget that covers 60 payouts, asked by 200 enterprises at once: exactly 60 paid.

And one Idempotency-Key sent 50 times at once: one payout. ``make chaos`` runs the same
budget check at 1,000 against 300 (docs/chaos.md).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.demo import rental_policy
from qinqing_devtools.platform import Platform
from qinqing_shared.ids import id_check_char, uscc_check_char

pytestmark = pytest.mark.e2e

POLICY_ID = "hz-rental-subsidy-2026-pilot"
AMOUNT = 1_000_000  # a bachelor's year


def enterprise(n: int) -> dict[str, Any]:
    """An active enterprise with one employee the rental subsidy pays."""
    uscc_body = f"91330106MA8{n:06d}"
    person_id = f"3301{n // 1000 + 10:02d}19980101{n % 1000:03d}"[:17]
    return {
        "uscc": uscc_body + uscc_check_char(uscc_body),
        "name": f"Pilot Enterprise {n}",
        "status": "active",
        "district_code": "330106",
        "industry_code": "I6511",
        "registered_on": "2020-01-01",
        "bank_account": {"bank": "Bank of Hangzhou", "account_no": f"6299{n:010d}"},
        "legal_representative": person_id + id_check_char(person_id),
        "employees": [
            {
                "id_number": person_id + id_check_char(person_id),
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
    """What a department does: publish a policy, fund its budget (internal APIs)."""
    policy = rental_policy() | {
        "id": POLICY_ID,
        "name": "Rental subsidy pilot",
        "budget_fen": payouts * AMOUNT,
    }
    async with httpx.AsyncClient(timeout=30) as client:
        put = await client.put(f"{platform.url('catalog-svc')}/policies/{POLICY_ID}", json=policy)
        assert put.status_code == 200, put.text
        budget = {
            "policy_id": POLICY_ID,
            "department_code": "HZ-HRSS",
            "amount_fen": payouts * AMOUNT,
        }
        opened = await client.put(f"{platform.url('payment-svc')}/budgets/{POLICY_ID}", json=budget)
        assert opened.status_code == 200, opened.text


async def register(platform: Platform, enterprises: list[dict[str, Any]]) -> None:
    limit = asyncio.Semaphore(16)
    async with httpx.AsyncClient(base_url=platform.url("identity-svc"), timeout=30) as client:

        async def one(body: dict[str, Any]) -> None:
            async with limit:
                answer = await client.put(f"/enterprises/{body['uscc']}", json=body)
                assert answer.status_code == 200, answer.text

        await asyncio.gather(*(one(e) for e in enterprises))


async def test_a_budget_for_60_pays_exactly_60_of_200(platform: Platform) -> None:
    await publish_pilot(platform, payouts=60)
    enterprises = [enterprise(n) for n in range(200)]
    await register(platform, enterprises)
    path = f"/v1/policies/{POLICY_ID}/applications"
    limits = httpx.Limits(max_connections=200)
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=60, limits=limits
    ) as client:
        answers = await asyncio.gather(
            *(
                chaos.apply_until_final(
                    client, e["uscc"], str(uuid.uuid4()), time.monotonic() + 600, path
                )
                for e in enterprises
            )
        )
        budget = (await client.get(f"/v1/budgets/{POLICY_ID}")).json()
    statuses = [a["status"] for a in answers]
    assert statuses.count("paid") == 60
    assert statuses.count("rejected") == 140
    assert all(
        "budget is exhausted" in " ".join(a["decision"]["reasons"])
        for a in answers
        if a["status"] == "rejected"
    )
    assert (budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"]) == (
        0,
        0,
        60 * AMOUNT,
    )


async def test_fifty_identical_requests_at_once_pay_once(platform: Platform) -> None:
    body = enterprise(5000)
    await register(platform, [body])
    key = str(uuid.uuid4())
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60) as client:
        path = "/v1/policies/hz-rental-subsidy-2026/applications"
        answers = await asyncio.gather(
            *(
                client.post(path, json={"uscc": body["uscc"]}, headers={"Idempotency-Key": key})
                for _ in range(50)
            )
        )
        assert {a.status_code for a in answers} <= {200, 409}
        final = await chaos.apply_until_final(client, body["uscc"], key, time.monotonic() + 60)
    assert final["status"] == "paid"
    events = await chaos.payout_events(platform.nats_url)
    assert events[final["id"]] == 1
