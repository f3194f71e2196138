"""The rent subsidy for small enterprises in small-enterprise bases (小企业创业基地场地
租金补助) on made-up enterprises, with no I/O: half of last year's rent, capped at
300,000 yuan, for premises in a recognised base only; an unknown lease never paid."""

from __future__ import annotations

import datetime as dt

import pytest

from identity_svc.ingest import FIGURES
from qinqing_devtools.demo import base_rent_policy, golden
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseLease, EnterpriseProfile, FactSource
from qinqing_shared.contracts.ingest import ENTERPRISE_FIGURES, FACT_MODELS
from subsidy_svc.eligibility.engine import evaluate, key_of
from subsidy_svc.eligibility.facts import enterprise_facts, enterprise_sources

ON = dt.date(2026, 9, 1)
POLICY = Policy.model_validate(base_rent_policy())
USCC = "91330106MA2H00014Q"
SOURCE = FactSource(department="HZ-HOU", record_id="L-2025", as_of=dt.date(2026, 1, 31))
YUAN = 100


BASE = "Hangzhou Small Enterprise Base No. 1"


def leasing(rent: int, base: str | None = BASE, year: int = 2025) -> EnterpriseProfile:
    raw = next(e for e in golden()["enterprises"] if e["uscc"] == USCC)
    lease = EnterpriseLease(
        year=year, rent_paid_fen=rent, area_m2=240, incubation_base=base, source=SOURCE
    )
    return EnterpriseProfile.model_validate(raw).model_copy(update={"lease": lease})


@pytest.mark.parametrize(
    ("rent", "paid"),
    [
        (120_000 * YUAN, 60_000 * YUAN),  # half
        (100_001, 50_000),  # half, rounded down to the fen
        (600_000 * YUAN, 300_000 * YUAN),  # exactly at the cap
        (2_000_000 * YUAN, 300_000 * YUAN),  # capped
    ],
)
def test_half_of_last_years_rent_is_paid_at_most_300000_yuan(rent: int, paid: int) -> None:
    result = evaluate(POLICY, leasing(rent), ON, {})
    assert (result.eligible, result.amount_fen, result.awards) == (True, paid, [])
    (entry,) = [t for t in result.trace if t.clause == "amount"]
    assert (entry.seen, entry.source) == (rent, "HZ-HOU record L-2025, as of 2026-01-31")
    assert [t.seen for t in result.trace if t.clause == "cap"] == (
        [str(rent // 2)] if rent // 2 > 300_000 * YUAN else []
    )


def test_a_second_claim_in_the_year_pays_nothing_and_caps_nothing() -> None:
    again = evaluate(POLICY, leasing(2_000_000 * YUAN), ON, {USCC: 1})
    assert (again.eligible, again.amount_fen, again.enterprise_fen) == (False, 0, 0)
    assert [t.clause for t in again.trace if t.clause in ("cap", "one_claim_per_year")] == [
        "one_claim_per_year"
    ]


def test_premises_outside_a_recognised_base_are_not_paid() -> None:
    result = evaluate(POLICY, leasing(120_000 * YUAN, base=None), ON, {})
    assert (result.eligible, result.amount_fen) == (False, 0)
    assert [t.clause for t in result.trace if not t.passed] == ["in_base", "amount"]
    assert result.reasons_zh[0] == "企业：生产经营场地位于本市认定的小企业创业基地内（实际：否）"


def test_a_lease_of_another_year_or_none_at_all_is_not_paid() -> None:
    stale = evaluate(POLICY, leasing(120_000 * YUAN, year=2024), ON, {})
    assert [t.clause for t in stale.trace if not t.passed] == ["last_year"]
    unknown = evaluate(POLICY, leasing(1).model_copy(update={"lease": None}), ON, {})
    assert [(t.clause, t.missing_from) for t in unknown.trace if not t.passed] == [
        ("last_year", "HZ-HOU"),
        ("in_base", "HZ-HOU"),
        ("amount", "HZ-HOU"),
    ]


def test_the_lease_facts_and_their_source_come_from_housing() -> None:
    profile = leasing(120_000 * YUAN)
    facts = enterprise_facts(profile, ON)
    assert {k: v for k, v in facts.items() if k.startswith("enterprise.lease")} == {
        "enterprise.lease_years_before": 1,
        "enterprise.lease_rent_paid_fen": 12_000_000,
        "enterprise.lease_area_m2": 240,
        "enterprise.lease_in_base": True,
    }
    assert enterprise_sources(profile)["enterprise.lease_in_base"] == SOURCE


def test_an_amount_table_keys_a_yes_or_no_fact_as_json_writes_it() -> None:
    assert [key_of(True), key_of(False), key_of(2), key_of("small")] == [
        "true",
        "false",
        "2",
        "small",
    ]


def test_identity_keeps_every_kind_of_enterprise_figure_on_a_registered_enterprise() -> None:
    assert tuple(FACT_MODELS[kind] for kind in ENTERPRISE_FIGURES) == FIGURES
