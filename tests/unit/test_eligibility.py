"""The rental subsidy's rules on the golden enterprises, with no I/O."""

import datetime as dt

import pytest

from qinqing_devtools.demo import golden, rental_policy
from qinqing_shared.contracts.catalog import Policy, Rule
from qinqing_shared.contracts.identity import EnterpriseProfile, EnterpriseTax, FactSource
from subsidy_svc.eligibility.engine import evaluate
from subsidy_svc.eligibility.facts import age_on, enterprise_facts, enterprise_sources

ON = dt.date(2026, 9, 1)
POLICY = Policy.model_validate(rental_policy())


def enterprise(uscc: str) -> EnterpriseProfile:
    raw = next(e for e in golden()["enterprises"] if e["uscc"] == uscc)
    return EnterpriseProfile.model_validate(raw)


def test_bachelor_and_master_are_paid_home_owner_is_not() -> None:
    result = evaluate(POLICY, enterprise("91330106MA2H00014Q"), ON, {})
    assert result.eligible
    assert sorted(a.amount_fen for a in result.awards) == [1_000_000, 2_000_000]
    assert result.amount_fen == 3_000_000
    assert any("owns no home" in r and "330105********0356" in r for r in result.reasons)


def test_trace_names_every_clause_with_what_was_seen() -> None:
    result = evaluate(POLICY, enterprise("91330106MA2H00014Q"), ON, {})
    clauses = {(t.subject, t.clause): t for t in result.trace}
    age = clauses[("employee 330106********0111", "age")]
    assert (age.seen, age.passed) == (27, True)
    home = clauses[("employee 330105********0356", "no_home")]
    assert (home.seen, home.passed) == (True, False)
    assert clauses[("enterprise", "district")].seen == "330106"


def test_doctor_gets_thirty_thousand_and_short_insurance_fails() -> None:
    result = evaluate(POLICY, enterprise("91330105MA2H00057P"), ON, {})
    assert [a.amount_fen for a in result.awards] == [3_000_000]
    assert any("social insurance" in r and "(seen: 3)" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("uscc", "expected"),
    [
        ("91330108MA2H00022G", ["aged 35 or under", "bachelor's degree or higher"]),
        ("91330109MA2H00065C", ["graduated within the last 5 years (seen: 7)"]),
        ("91330102MA2H00049H", ["must be active", "(seen: revoked)"]),
    ],
)
def test_rejections_carry_their_reasons(uscc: str, expected: list[str]) -> None:
    result = evaluate(POLICY, enterprise(uscc), ON, {})
    assert not result.eligible
    assert result.amount_fen == 0
    text = " | ".join(result.reasons)
    for fragment in expected:
        assert fragment in text


def test_a_second_claim_in_the_same_year_is_refused() -> None:
    claims = {"330106199904120111": 1, "330102199701010224": 1}
    result = evaluate(POLICY, enterprise("91330106MA2H00014Q"), ON, claims)
    assert not result.eligible
    assert any("at most 1 claim" in r for r in result.reasons)


def test_policy_out_of_force_pays_nobody() -> None:
    result = evaluate(POLICY, enterprise("91330106MA2H00014Q"), dt.date(2027, 1, 2), {})
    assert not result.eligible
    assert any("policy in force" in r for r in result.reasons)


def test_unregistered_district_is_refused() -> None:
    outside = enterprise("91330106MA2H00014Q").model_copy(update={"district_code": "330201"})
    result = evaluate(POLICY, outside, ON, {})
    assert not result.eligible
    assert any("14 districts" in r for r in result.reasons)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [(dt.date(1991, 9, 1), ON, 35), (dt.date(1991, 9, 2), ON, 34), (dt.date(1990, 9, 1), ON, 36)],
)
def test_age_is_counted_in_full_years(born: dt.date, on: dt.date, age: int) -> None:
    assert age_on(born, on) == age


def without(uscc: str, fact: str) -> EnterpriseProfile:
    """A golden enterprise whose employees' ``fact`` no department has sent."""
    raw = next(e for e in golden()["enterprises"] if e["uscc"] == uscc)
    employees = [{k: v for k, v in p.items() if k != fact} for p in raw["employees"]]
    return EnterpriseProfile.model_validate(raw | {"employees": employees})


def test_no_housing_record_is_unknown_never_owns_no_home() -> None:
    result = evaluate(POLICY, without("91330106MA2H00014Q", "owns_home_in_city"), ON, {})
    homes = [t for t in result.trace if t.clause == "no_home"]
    assert not result.eligible
    assert result.amount_fen == 0
    assert [(t.seen, t.passed, t.missing_from) for t in homes] == [(None, False, "HZ-HOU")] * len(
        homes
    )
    assert any("owns no home in the city (no record from HZ-HOU)" in r for r in result.reasons)


def test_no_social_insurance_record_is_unknown_never_zero_months() -> None:
    result = evaluate(
        POLICY, without("91330106MA2H00014Q", "social_insurance_months_in_city"), ON, {}
    )
    months = [t for t in result.trace if t.clause == "social_insurance"]
    assert not result.eligible
    assert {(t.seen, t.missing_from) for t in months} == {(None, "HZ-HRSS")}


def capped(max_fen: int) -> Policy:
    amount = POLICY.rules.amount.model_copy(update={"max_fen_per_enterprise": max_fen})
    return POLICY.model_copy(update={"rules": POLICY.rules.model_copy(update={"amount": amount})})


def award_list(result: object) -> list[tuple[str, int]]:
    return [(a.person.id_number[-4:], a.amount_fen) for a in result.awards]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("cap", "awards"),
    [
        (5_000_000, [("0111", 1_000_000), ("0224", 2_000_000)]),  # above the total
        (3_000_000, [("0111", 1_000_000), ("0224", 2_000_000)]),  # exactly the total
        (2_500_000, [("0111", 1_000_000), ("0224", 1_500_000)]),  # the last one cut
        (1_000_000, [("0111", 1_000_000)]),  # nothing left: no beneficiary
        (1, [("0111", 1)]),
    ],
)
def test_a_cap_per_enterprise_pays_in_the_records_order_until_met(
    cap: int, awards: list[tuple[str, int]]
) -> None:
    result = evaluate(capped(cap), enterprise("91330106MA2H00014Q"), ON, {})
    assert result.eligible
    assert award_list(result) == awards
    assert result.amount_fen == min(cap, 3_000_000)
    entry = next(t for t in result.trace if t.clause == "cap")
    assert (entry.subject, entry.requirement, entry.seen, entry.passed) == (
        "enterprise",
        f"at most {cap} fen per enterprise",
        "3000000",
        True,
    )


def test_without_a_cap_or_an_award_no_cap_is_traced() -> None:
    uncapped = evaluate(POLICY, enterprise("91330106MA2H00014Q"), ON, {})
    nobody = evaluate(capped(1_000_000), enterprise("91330108MA2H00022G"), ON, {})
    assert [t for t in uncapped.trace if t.clause == "cap"] == []
    assert [t for t in nobody.trace if t.clause == "cap"] == []
    assert (nobody.eligible, nobody.awards) == (False, [])


def good_taxpayers_only() -> Policy:
    """The rental policy, open only to enterprises the tax bureau rates A or B."""
    rule = Rule(
        clause="tax_credit",
        fact="enterprise.tax_credit_rating",
        op="in",
        value=["A", "B"],
        message="a tax credit rating of A or B",
    )
    rules = POLICY.rules.model_copy(update={"enterprise": [*POLICY.rules.enterprise, rule]})
    return POLICY.model_copy(update={"rules": rules})


def taxed(rating: str | None) -> EnterpriseProfile:
    profile = enterprise("91330106MA2H00014Q")
    if rating is None:
        return profile
    source = FactSource(department="HZ-TAX", record_id="T-2025", as_of=dt.date(2026, 5, 31))
    tax = EnterpriseTax(
        year=2025,
        revenue_fen=9_000_000_000,
        tax_paid_fen=270_000_000,
        credit_rating=rating,  # type: ignore[arg-type]
        source=source,
    )
    return profile.model_copy(update={"tax": tax})


@pytest.mark.parametrize(
    ("rating", "seen", "passed", "missing_from", "source"),
    [
        ("A", "A", True, None, "HZ-TAX record T-2025, as of 2026-05-31"),
        ("C", "C", False, None, "HZ-TAX record T-2025, as of 2026-05-31"),
        (None, None, False, "HZ-TAX", None),  # no return from the tax bureau: unknown
    ],
)
def test_a_rule_on_the_tax_bureaus_data_reads_its_record(
    rating: str | None, seen: str | None, passed: bool, missing_from: str | None, source: str | None
) -> None:
    result = evaluate(good_taxpayers_only(), taxed(rating), ON, {})
    (entry,) = [t for t in result.trace if t.clause == "tax_credit"]
    assert (entry.seen, entry.passed, entry.missing_from, entry.source) == (
        seen,
        passed,
        missing_from,
        source,
    )
    assert result.eligible is passed


def test_the_tax_facts_are_the_last_returns_figures() -> None:
    facts = enterprise_facts(taxed("B"), ON)
    taxed_facts = ("enterprise.tax", "enterprise.revenue", "enterprise.tax_paid")
    assert {k: v for k, v in facts.items() if k.startswith(taxed_facts)} == {
        "enterprise.tax_year": 2025,
        "enterprise.revenue_fen": 9_000_000_000,
        "enterprise.tax_paid_fen": 270_000_000,
        "enterprise.tax_credit_rating": "B",
        "enterprise.tax_years_before": 1,
        "enterprise.tax_star": 0,  # 2.7 million yuan of tax: no star
        "enterprise.tax_star_rise": None,  # the year before unknown
        "enterprise.tax_growth_bp": None,
    }
    registration = enterprise_sources(taxed("B"))
    assert registration["enterprise.revenue_fen"].department == "HZ-TAX"
    assert "enterprise.status" not in registration  # the golden file was not sent by HZ-MSA
