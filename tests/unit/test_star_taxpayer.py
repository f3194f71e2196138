"""The star taxpayer reward (星级纳税企业奖励) on made-up enterprises, with no I/O: the
stars by last year's taxes at their thresholds, the reward for a star gained or kept
with 10% growth (and none for a star kept with less, or lost), unknown tax data never
paid, and the claim once a year per enterprise."""

from __future__ import annotations

import datetime as dt

import pytest

from qinqing_devtools.demo import golden, star_taxpayer_policy
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile, EnterpriseTax, FactSource
from qinqing_shared.contracts.subsidy import TraceEntry
from subsidy_svc.eligibility.engine import claim_subjects, evaluate, pays_enterprise
from subsidy_svc.eligibility.facts import GROWTH_FROM_NOTHING_BP, growth_bp, tax_star

ON = dt.date(2026, 9, 1)
POLICY = Policy.model_validate(star_taxpayer_policy())
USCC = "91330106MA2H00014Q"
SOURCE = FactSource(department="HZ-TAX", record_id="T-2025", as_of=dt.date(2026, 5, 31))
YUAN = 100  # fen
WAN = 10_000 * YUAN  # 万元


def taxed(paid: int, prior: int | None, year: int = 2025) -> EnterpriseProfile:
    raw = next(e for e in golden()["enterprises"] if e["uscc"] == USCC)
    record = EnterpriseTax(
        year=year,
        revenue_fen=100 * paid,
        tax_paid_fen=paid,
        credit_rating="A",
        prior_tax_paid_fen=prior,
        source=SOURCE,
    )
    return EnterpriseProfile.model_validate(raw).model_copy(update={"tax": record})


@pytest.mark.parametrize(
    ("paid", "stars"),
    [
        (2000 * WAN - 1, 0),
        (2000 * WAN, 1),
        (4000 * WAN - 1, 1),
        (4000 * WAN, 2),
        (6000 * WAN, 3),
        (10_000 * WAN - 1, 3),
        (10_000 * WAN, 4),
        (30_000 * WAN - 1, 4),
        (30_000 * WAN, 5),
        (10**16, 5),
    ],
)
def test_the_stars_are_counted_from_each_threshold_up(paid: int, stars: int) -> None:
    assert tax_star(paid) == stars


@pytest.mark.parametrize(
    ("paid", "prior", "reward"),
    [
        (2000 * WAN, 1900 * WAN, 10 * WAN),  # first star: 100,000 yuan (with 5% growth)
        (4100 * WAN, 3990 * WAN, 30 * WAN),  # one star to two: 300,000 (2.8% growth)
        (6000 * WAN, 5000 * WAN, 50 * WAN),  # two to three: 500,000
        (10_000 * WAN, 9000 * WAN, 70 * WAN),  # three to four: 700,000
        (30_000 * WAN, 29_000 * WAN, 100 * WAN),  # four to five: 1,000,000
        (7000 * WAN, 1000 * WAN, 50 * WAN),  # none to three at once: the star reached
        (2200 * WAN, 2000 * WAN, 10 * WAN),  # one star kept, taxes grown by exactly 10%
        (3000 * WAN, 0, 10 * WAN),  # from no taxes at all: a star gained
    ],
)
def test_a_star_gained_or_kept_with_10_percent_growth_is_rewarded_by_the_star_reached(
    paid: int, prior: int, reward: int
) -> None:
    result = evaluate(POLICY, taxed(paid, prior), ON, {})
    assert (result.eligible, result.amount_fen, result.awards) == (True, reward, [])
    (entry,) = [t for t in result.trace if t.clause == "amount"]
    assert (entry.seen, entry.passed, entry.requirement_zh) == (
        tax_star(paid),
        True,
        "政策为其纳税星级设定了金额",
    )


@pytest.mark.parametrize(
    ("paid", "prior", "failed"),
    [
        (2199 * WAN + 9_999 * YUAN, 2000 * WAN, ["progress"]),  # kept, grown by 9.9999%
        (2000 * WAN, 2000 * WAN, ["progress"]),  # kept, no growth
        (3900 * WAN, 4000 * WAN, ["progress"]),  # two stars to one: lost
        (1999 * WAN, 1000 * WAN, ["star", "amount"]),  # 99.9% growth, but no star
    ],
)
def test_a_star_kept_with_less_growth_or_lost_or_none_is_not_rewarded(
    paid: int, prior: int, failed: list[str]
) -> None:
    result = evaluate(POLICY, taxed(paid, prior), ON, {})
    assert (result.eligible, result.amount_fen) == (False, 0)
    assert [t.clause for t in result.trace if not t.passed] == failed


def test_the_amount_clause_names_the_star_and_an_unknown_one_names_its_department() -> None:
    result = evaluate(POLICY, taxed(4000 * WAN, 3000 * WAN), ON, {})
    assert [t for t in result.trace if t.clause == "amount"] == [
        TraceEntry(
            subject="enterprise",
            clause="amount",
            requirement="an amount is set for its enterprise.tax_star",
            requirement_zh="政策为其纳税星级设定了金额",
            seen=2,
            passed=True,
        )
    ]
    raw = star_taxpayer_policy()
    by_nobody = raw["rules"]["amount"] | {"by": "enterprise.shoe_size"}
    odd = Policy.model_validate(raw | {"rules": raw["rules"] | {"amount": by_nobody}})
    unknown = evaluate(odd, taxed(4000 * WAN, 3000 * WAN), ON, {})
    (entry,) = [t for t in unknown.trace if t.clause == "amount"]
    assert (entry.seen, entry.passed, entry.missing_from, entry.requirement_zh) == (
        None,
        False,
        "no department",
        "政策为其enterprise.shoe_size设定了金额",
    )


def test_the_growth_rule_names_what_it_needed_for_a_star_kept() -> None:
    result = evaluate(POLICY, taxed(2100 * WAN, 2000 * WAN), ON, {})
    (entry,) = [t for t in result.trace if t.clause == "progress"]
    assert (entry.seen, entry.passed, entry.source) == (
        500,
        False,
        "HZ-TAX record T-2025, as of 2026-05-31",
    )
    assert result.reasons_zh[0] == (
        "企业：较上年晋升星级，或保持原星级且纳税额增长10%以上（实际：500）"
    )


def test_without_last_years_taxes_or_the_year_before_nothing_is_paid() -> None:
    no_prior = evaluate(POLICY, taxed(5000 * WAN, None), ON, {})
    (progress,) = [t for t in no_prior.trace if t.clause == "progress"]
    assert (no_prior.eligible, progress.passed, progress.missing_from) == (
        False,
        False,
        "HZ-TAX",
    )
    stale = evaluate(POLICY, taxed(5000 * WAN, 1000 * WAN, year=2024), ON, {})
    assert [t.clause for t in stale.trace if not t.passed] == ["last_year"]
    untaxed = EnterpriseProfile.model_validate(
        next(e for e in golden()["enterprises"] if e["uscc"] == USCC)
    ).model_copy(update={"tax": None})
    unknown = evaluate(POLICY, untaxed, ON, {})
    assert [(t.clause, t.missing_from) for t in unknown.trace if not t.passed] == [
        ("last_year", "HZ-TAX"),
        ("star", "HZ-TAX"),
        ("progress", "HZ-TAX"),
        ("amount", "HZ-TAX"),
    ]


def test_the_reward_is_claimed_once_a_year_by_the_enterprise() -> None:
    profile = taxed(2000 * WAN, 1900 * WAN)
    assert pays_enterprise(POLICY)
    assert claim_subjects(POLICY, profile) == [USCC]
    again = evaluate(POLICY, profile, ON, {USCC: 1})
    assert (again.eligible, again.amount_fen) == (False, 0)
    assert [t for t in again.trace if t.clause == "one_claim_per_year"] == [
        TraceEntry(
            subject="enterprise",
            clause="one_claim_per_year",
            requirement="at most 1 claim(s) per enterprise in 2026",
            requirement_zh="每家企业2026年至多申领1次",
            seen=1,
            passed=False,
        )
    ]


@pytest.mark.parametrize(
    ("now", "before", "growth"),
    [
        (110, 100, 1000),
        (10_999, 10_000, 999),  # 9.99%: rounded down, never 10%
        (90, 100, -1000),
        (0, 0, 0),
        (1, 0, GROWTH_FROM_NOTHING_BP),
        (2, 1, 10_000),  # from 1 fen to 2: doubled, not "from nothing"
        (10**16, 1, GROWTH_FROM_NOTHING_BP),  # bounded
        (5, None, None),
    ],
)
def test_growth_is_in_basis_points_rounded_down(now: int, before: int | None, growth: int) -> None:
    assert growth_bp(now, before) == growth
