"""The star taxpayer reward (星级纳税企业奖励), the policy that needs the tax bureau's
data, on the running platform: the bureau sends an enterprise's last two years of taxes,
and the enterprise is rewarded by the star it kept with 10% growth, or refused with the
reason in English and Chinese (docs/policies.md)."""

from __future__ import annotations

from typing import Any

import pytest

from qinqing_devtools.demo import STAR_TAXPAYER_POLICY_ID
from qinqing_devtools.platform import Platform
from qinqing_shared.contracts.ingest import FactKind
from tests.e2e import pilots
from tests.e2e.test_ingest import AS_OF, send
from tests.e2e.test_tax import holdings

pytestmark = pytest.mark.e2e

PATH = f"/v1/policies/{STAR_TAXPAYER_POLICY_ID}/applications"
WAN = 10_000 * 100  # 万元, in fen


async def taxed(platform: Platform, n: int, paid: int, prior: int) -> str:
    """Pilot ``n`` registered, and its taxes of 2025 and 2024 sent by the tax bureau."""
    uscc = (await pilots.registered(platform, n))["uscc"]
    data = {
        "uscc": uscc,
        "year": 2025,
        "revenue_fen": 40 * paid,
        "tax_paid_fen": paid,
        "credit_rating": "A",
        "prior_tax_paid_fen": prior,
    }
    record = {"record_id": f"T-{n}", "as_of": AS_OF.isoformat(), "data": data}
    sent = await send(platform, "tax-department", FactKind.TAX, record)
    assert (sent.status_code, sent.json()["outcome"]) == (200, "applied")
    assert (await holdings(platform, uscc))["tax"]["prior_tax_paid_fen"] == prior
    return uscc


async def applied(platform: Platform, uscc: str) -> dict[str, Any]:
    return await pilots.final_answer(platform, uscc, PATH)


async def test_a_star_kept_with_taxes_grown_by_10_percent_is_rewarded_once(
    platform: Platform,
) -> None:
    uscc = await taxed(platform, 8180, paid=2500 * WAN, prior=2100 * WAN)  # one star, +19%
    paid = await applied(platform, uscc)
    assert (paid["status"], paid["amount_fen"], paid["beneficiaries"]) == ("paid", 10 * WAN, [])
    amount = next(e for e in paid["decision"]["trace"] if e["clause"] == "amount")
    assert (amount["seen"], amount["requirement_zh"]) == (1, "政策为其纳税星级设定了金额")
    again = await applied(platform, uscc)
    assert (again["status"], again["amount_fen"]) == ("rejected", 0)
    assert any("每家企业2026年至多申领1次" in r for r in again["decision"]["reasons_zh"])


async def test_a_star_kept_with_less_growth_is_refused_saying_why(platform: Platform) -> None:
    uscc = await taxed(platform, 8181, paid=2100 * WAN, prior=2000 * WAN)  # one star, +5%
    answer = await applied(platform, uscc)
    assert (answer["status"], answer["amount_fen"]) == ("rejected", 0)
    assert answer["decision"]["reasons"] == [
        "enterprise: gained a star over the year before, or kept its star with taxes grown "
        "by at least 10% (seen: 500)"
    ]
    assert answer["decision"]["reasons_zh"] == [
        "企业：较上年晋升星级，或保持原星级且纳税额增长10%以上（实际：500）"
    ]
