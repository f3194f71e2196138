"""The rent subsidy for small enterprises in small-enterprise bases (小企业创业基地场地
租金补助) on the running platform: housing sends an enterprise's registered lease (its
own ingest path), and the enterprise is paid half of last year's rent, at most 300,000
yuan, or refused for premises outside a base (docs/policies.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qinqing_devtools import feeds
from qinqing_devtools.demo import BASE_RENT_POLICY_ID
from qinqing_devtools.platform import Platform
from qinqing_shared.contracts.ingest import FactKind
from tests.e2e import pilots
from tests.e2e.test_ingest import send

pytestmark = pytest.mark.e2e

PATH = f"/v1/policies/{BASE_RENT_POLICY_ID}/applications"
YUAN = 100
BASE = "Hangzhou Small Enterprise Base No. 1"


async def leasing(platform: Platform, n: int, rent: int, base: str | None) -> str:
    """Pilot ``n`` registered, and its lease of 2025 sent by housing."""
    uscc = (await pilots.registered(platform, n))["uscc"]
    data = {"uscc": uscc, "year": 2025, "rent_paid_fen": rent, "area_m2": 180}
    if base is not None:
        data["incubation_base"] = base
    record = feeds.record(FactKind.LEASE, data, dt.date(2026, 1, 31)) | {"record_id": f"L-{n}"}
    by_tax = await send(platform, "tax-department", FactKind.LEASE, record)
    sent = await send(platform, "housing-department", FactKind.LEASE, record)
    assert by_tax.status_code == 403, "only housing sends leases"
    assert (sent.status_code, sent.json()["outcome"]) == (200, "applied"), sent.text
    return uscc


async def applied(platform: Platform, uscc: str) -> dict[str, Any]:
    return await pilots.final_answer(platform, uscc, PATH)


async def test_half_of_last_years_rent_in_a_base_is_paid_capped_at_300000_yuan(
    platform: Platform,
) -> None:
    uscc = await leasing(platform, 8190, rent=720_000 * YUAN, base=BASE)
    paid = await applied(platform, uscc)
    assert (paid["status"], paid["amount_fen"], paid["beneficiaries"]) == (
        "paid",
        300_000 * YUAN,  # half would be 360,000
        [],
    )
    trace = {e["clause"]: e for e in paid["decision"]["trace"]}
    assert (trace["amount"]["seen"], trace["cap"]["seen"]) == (720_000 * YUAN, "36000000")
    assert trace["in_base"]["source"] == "HZ-HOU record L-8190, as of 2026-01-31"


async def test_premises_outside_a_base_are_refused_saying_why(platform: Platform) -> None:
    uscc = await leasing(platform, 8191, rent=120_000 * YUAN, base=None)
    answer = await applied(platform, uscc)
    assert (answer["status"], answer["amount_fen"]) == ("rejected", 0)
    assert answer["decision"]["reasons_zh"][0] == (
        "企业：生产经营场地位于本市认定的小企业创业基地内（实际：否）"
    )
