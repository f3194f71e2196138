"""A department publishes a policy of its own as versioned data, on the running platform:
drafted, published (its budget funded through the ledger), applied for and paid under
version 1, amended (version 2 from the business day, a larger budget topped up), and the
next application decided and paid under version 2 while the first still names version 1.
The history is readable through the gateway."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.demo import rental_policy
from qinqing_devtools.platform import Platform
from tests.e2e import pilots
from tests.e2e.conftest import BUSINESS_DATE

pytestmark = pytest.mark.e2e

POLICY_ID = "hz-versioned-rental-2026"


def version(number: int, valid_from: str, bachelor_fen: int, budget_fen: int) -> dict[str, Any]:
    policy = rental_policy()
    rules = policy["rules"] | {
        "amount": {
            "by": "person.degree",
            "amounts_fen": {"bachelor": bachelor_fen, "master": 2 * bachelor_fen},
        }
    }
    return policy | {
        "id": POLICY_ID,
        "name": "Versioned rental subsidy",
        "version": number,
        "valid_from": valid_from,
        "budget_fen": budget_fen,
        "rules": rules,
    }


async def funded(platform: Platform, budget_fen: int) -> dict[str, Any]:
    """The budget as payment-svc funded it from the published version (it hears the
    event a moment later)."""
    auth = platform.auth("demo-operator")
    url = f"{platform.url('payment-svc')}/budgets/{POLICY_ID}"
    async with httpx.AsyncClient(timeout=30, auth=auth) as http:
        for _ in range(100):
            answer = await http.get(url)
            if answer.status_code == 200 and answer.json()["funded_fen"] == budget_fen:
                return dict(answer.json())
            await asyncio.sleep(0.1)
    raise AssertionError(f"the budget of {POLICY_ID} was not funded to {budget_fen}")


async def apply(platform: Platform, n: int) -> dict[str, Any]:
    body = await pilots.registered(platform, n)
    auth = platform.auth(chaos.LOAD_APP)
    path = f"/v1/policies/{POLICY_ID}/applications"
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60, auth=auth) as http:
        return await chaos.apply_until_final(
            http, body["uscc"], f"versions-{n}", asyncio.get_running_loop().time() + 60, path
        )


async def test_an_amendment_decides_new_applications_and_the_old_keep_their_version(
    platform: Platform,
) -> None:
    catalog = f"{platform.url('catalog-svc')}/policies/{POLICY_ID}"
    hrss = platform.auth("hrss-department")
    first = version(1, "2026-01-01", bachelor_fen=400_000, budget_fen=5_000_000)
    async with httpx.AsyncClient(timeout=30, auth=hrss) as department:
        drafted = await department.post(f"{catalog}/drafts", json=first)
        published = await department.post(f"{catalog}/drafts/1/publish")
    opened = await funded(platform, 5_000_000)
    before = await apply(platform, 7401)

    second = version(2, BUSINESS_DATE, bachelor_fen=600_000, budget_fen=8_000_000)
    async with httpx.AsyncClient(timeout=30, auth=hrss) as department:
        amended = await department.put(catalog, json=second)
        rewritten = await department.put(catalog, json=first | {"name": "Rewritten"})
    topped = await funded(platform, 8_000_000)
    after = await apply(platform, 7402)

    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as public:
        history = (await public.get(f"/v1/policies/{POLICY_ID}/versions")).json()
        in_august = await public.get(f"/v1/policies/{POLICY_ID}", params={"on": "2026-08-31"})
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=30, auth=platform.auth(chaos.LOAD_APP)
    ) as app:
        first_again = (await app.get(f"/v1/applications/{before['id']}")).json()

    assert (drafted.status_code, published.status_code) == (201, 200)
    assert (opened["remaining_fen"], opened["paid_fen"]) == (5_000_000, 0)
    assert (before["status"], before["decision"]["policy_version"]) == ("paid", 1)
    assert before["amount_fen"] == 400_000 * len(before["beneficiaries"])
    assert amended.status_code == 200
    assert rewritten.status_code == 409, "a published version never changes"
    assert topped["remaining_fen"] == 8_000_000 - before["amount_fen"]
    assert (after["status"], after["decision"]["policy_version"]) == ("paid", 2)
    assert after["amount_fen"] == 600_000 * len(after["beneficiaries"])
    assert first_again["decision"]["policy_version"] == 1
    assert first_again["amount_fen"] == before["amount_fen"]
    assert [(v["policy"]["version"], v["policy"]["valid_from"]) for v in history] == [
        (1, "2026-01-01"),
        (2, BUSINESS_DATE),
    ]
    assert in_august.json()["version"] == 1
