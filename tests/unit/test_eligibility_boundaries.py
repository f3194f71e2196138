"""The rules at their edges, written by hand: each boundary passes on one side and fails
on the other, each operator is checked on both sides of its value, and the trace says
exactly what was required and seen."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from qinqing_devtools.demo import golden, rental_policy
from qinqing_shared.contracts.catalog import Policy, Rule
from qinqing_shared.contracts.identity import EmployeeFacts, EnterpriseProfile, FactSource
from qinqing_shared.contracts.subsidy import TraceEntry
from qinqing_shared.ids import id_check_char, mask_id_number
from subsidy_svc.eligibility.engine import Evaluation, evaluate
from subsidy_svc.eligibility.facts import (
    NAMES_ZH,
    SOURCES,
    enterprise_facts,
    enterprise_sources,
    name_zh,
    person_facts,
    person_sources,
)
from subsidy_svc.eligibility.rules import check, holds, reason, reason_zh

ON = dt.date(2026, 9, 1)  # the application date
POLICY = Policy.model_validate(rental_policy())


def person(
    born: dt.date,
    *,
    graduated: int | None = 2024,
    months: int | None = 12,
    degree: str = "bachelor",
    home: bool | None = False,
) -> EmployeeFacts:
    # a well-formed ID number for the person (330106, the birth date, a sequence): the
    # validators are tested apart, on numbers from outside the project (test_ids.py)
    body = f"330106{born:%Y%m%d}011"
    education = None if graduated is None else {"degree": degree, "graduation_year": graduated}
    return EmployeeFacts.model_validate(
        {
            "id_number": body + id_check_char(body),
            "name": "Test Person",
            "birth_date": born.isoformat(),
            "household_district": "330106",
            "education": education,
            "social_insurance_months_in_city": months,
            "owns_home_in_city": home,
        }
    )


def firm(*people: EmployeeFacts, **changes: Any) -> EnterpriseProfile:
    raw = golden()["enterprises"][0] | changes
    return EnterpriseProfile.model_validate(raw | {"employees": [p.model_dump() for p in people]})


def clause(result: Evaluation, name: str) -> TraceEntry:
    (entry,) = [t for t in result.trace if t.clause == name]
    return entry


# --- the rental subsidy's boundaries, on the application date ----------------------

AGES = [
    (dt.date(1991, 9, 1), 35, True),  # 35 today
    (dt.date(1990, 9, 2), 35, True),  # the last day of being 35
    (dt.date(1990, 9, 1), 36, False),  # 36 today: a day older than the last day of 35
]


@pytest.mark.parametrize(("born", "age", "passes"), AGES)
def test_aged_35_or_under_on_the_application_date(born: dt.date, age: int, passes: bool) -> None:
    result = evaluate(POLICY, firm(person(born)), ON, {})
    entry = clause(result, "age")
    assert (entry.seen, entry.passed) == (age, passes)
    assert result.eligible is passes
    assert result.amount_fen == (1_000_000 if passes else 0)


@pytest.mark.parametrize(("graduated", "years", "passes"), [(2021, 5, True), (2020, 6, False)])
def test_graduated_within_the_last_5_years(graduated: int, years: int, passes: bool) -> None:
    result = evaluate(POLICY, firm(person(dt.date(1998, 1, 1), graduated=graduated)), ON, {})
    entry = clause(result, "graduation")
    assert (entry.seen, entry.passed) == (years, passes)
    assert result.eligible is passes


@pytest.mark.parametrize(("months", "passes"), [(6, True), (5, False)])
def test_at_least_6_months_of_social_insurance(months: int, passes: bool) -> None:
    result = evaluate(POLICY, firm(person(dt.date(1998, 1, 1), months=months)), ON, {})
    entry = clause(result, "social_insurance")
    assert (entry.seen, entry.passed) == (months, passes)
    assert result.eligible is passes


@pytest.mark.parametrize(
    ("on", "in_force"),
    [
        (dt.date(2026, 1, 1), True),
        (dt.date(2025, 12, 31), False),
        (dt.date(2026, 12, 31), True),
        (dt.date(2027, 1, 1), False),
    ],
)
def test_a_policy_is_in_force_from_its_first_to_its_last_day(on: dt.date, in_force: bool) -> None:
    result = evaluate(POLICY, firm(person(dt.date(1998, 1, 1))), on, {})
    assert clause(result, "in_force") == TraceEntry(
        subject="policy",
        clause="in_force",
        requirement="policy in force from 2026-01-01 to 2026-12-31",
        requirement_zh="政策有效期为2026-01-01至2026-12-31",
        seen=on.isoformat(),
        passed=in_force,
    )
    assert result.eligible is in_force


# --- the engine ------------------------------------------------------------------


def test_claims_are_counted_against_the_policy_s_yearly_limit() -> None:
    two = Policy.model_validate(
        rental_policy() | {"rules": rental_policy()["rules"] | {"claims_per_person_per_year": 2}}
    )
    someone = person(dt.date(1998, 1, 1))
    who = f"employee {mask_id_number(someone.id_number)}"
    once = evaluate(two, firm(someone), ON, {someone.id_number: 1})
    assert clause(once, "one_claim_per_year") == TraceEntry(
        subject=who,
        clause="one_claim_per_year",
        requirement="at most 2 claim(s) per person in 2026",
        requirement_zh="每人2026年至多申领2次",
        seen=1,
        passed=True,
    )
    assert once.eligible
    twice = evaluate(two, firm(someone), ON, {someone.id_number: 2})
    assert (clause(twice, "one_claim_per_year").passed, twice.eligible) == (False, False)
    assert twice.reasons == [
        f"{who}: at most 2 claim(s) per person in 2026 (seen: 2)",
        "No employee meets every condition of the policy.",
    ]
    assert twice.reasons_zh == [
        f"员工 {who.removeprefix('employee ')}：每人2026年至多申领2次（实际：2）",
        "没有员工满足政策的全部条件。",
    ]


def test_a_degree_without_an_amount_is_traced_and_pays_nothing() -> None:
    rules = rental_policy()["rules"]
    no_doctors = rules["amount"] | {"amounts_fen": {"bachelor": 1_000_000}}
    policy = Policy.model_validate(rental_policy() | {"rules": rules | {"amount": no_doctors}})
    doctor = person(dt.date(1998, 1, 1), degree="doctor")
    result = evaluate(policy, firm(doctor), ON, {})
    assert clause(result, "amount") == TraceEntry(
        subject=f"employee {mask_id_number(doctor.id_number)}",
        clause="amount",
        requirement="an amount is set for this person.degree",
        requirement_zh="政策为此学历设定了金额",
        seen="doctor",
        passed=False,
    )
    assert (result.eligible, result.awards) == (False, [])


def test_only_a_person_who_fails_a_clause_has_no_amount_clause() -> None:
    result = evaluate(POLICY, firm(person(dt.date(1998, 1, 1), months=1)), ON, {})
    assert [t.clause for t in result.trace if t.subject != "enterprise"] == [
        "in_force",
        "age",
        "degree",
        "graduation",
        "social_insurance",
        "no_home",
        "one_claim_per_year",
    ]


def test_an_enterprise_that_fails_a_gate_gets_no_award_for_anyone() -> None:
    result = evaluate(POLICY, firm(person(dt.date(1998, 1, 1)), status="revoked"), ON, {})
    assert (result.eligible, result.awards, result.amount_fen) == (False, [], 0)
    assert result.reasons == [
        "enterprise: enterprise must be active (not revoked or deregistered) (seen: revoked)"
    ]
    assert result.reasons_zh == ["企业：企业处于存续状态（未吊销、未注销）（实际：revoked）"]
    assert all(t.passed for t in result.trace if t.subject.startswith("employee"))


def test_the_amount_is_the_sum_of_each_eligible_person_s_award() -> None:
    staff = [
        person(dt.date(1998, 1, 1), degree="bachelor"),
        person(dt.date(1997, 1, 1), degree="master"),
        person(dt.date(1960, 1, 1), degree="doctor"),  # too old: no award
    ]
    result = evaluate(POLICY, firm(*staff), ON, {})
    assert [a.amount_fen for a in result.awards] == [1_000_000, 2_000_000]
    assert [a.person.id_number for a in result.awards] == [p.id_number for p in staff[:2]]
    assert result.amount_fen == 3_000_000
    assert result.eligible
    too_old = mask_id_number(staff[2].id_number)
    assert result.reasons == [
        f"employee {too_old}: aged 35 or under on the application date (seen: 66)"
    ]


# --- facts -----------------------------------------------------------------------


def test_enterprise_facts_are_read_as_of_the_application_date() -> None:
    facts = enterprise_facts(firm(registered_on="2020-09-02"), ON)
    assert facts == {
        "enterprise.status": "active",
        "enterprise.district_code": "330106",
        "enterprise.industry_code": firm().industry_code,
        "enterprise.years_registered": 5,
        "enterprise.tax_year": None,  # no return from the tax bureau: unknown
        "enterprise.revenue_fen": None,
        "enterprise.tax_paid_fen": None,
        "enterprise.tax_credit_rating": None,
        "enterprise.tax_years_before": None,
        "enterprise.tax_star": None,
        "enterprise.tax_star_rise": None,
        "enterprise.tax_growth_bp": None,
        "enterprise.ui_year": None,  # nothing from HRSS: unknown
        "enterprise.ui_years_before": None,
        "enterprise.ui_months_paid": None,
        "enterprise.ui_paid_fen": None,
        "enterprise.insured_average": None,
        "enterprise.layoff_rate_bp": None,
        "enterprise.size_class": None,
        "enterprise.lease_years_before": None,  # no lease from housing: unknown
        "enterprise.lease_rent_paid_fen": None,
        "enterprise.lease_area_m2": None,
        "enterprise.lease_in_base": None,
    }


def test_person_facts_say_unknown_where_no_department_sent_a_record() -> None:
    known = person(dt.date(1998, 1, 1), graduated=2021, months=7, home=True)
    assert person_facts(known, ON, 3) == {
        "person.age": 28,
        "person.degree": "bachelor",
        "person.years_since_graduation": 5,
        "person.social_insurance_months_in_city": 7,
        "person.owns_home_in_city": True,
        "person.household_district": "330106",
        "person.claims_this_year": 3,
    }
    unknown = person_facts(person(dt.date(1998, 1, 1), graduated=None, months=None), ON, 0)
    assert (unknown["person.degree"], unknown["person.years_since_graduation"]) == (None, None)
    assert unknown["person.social_insurance_months_in_city"] is None


# --- rules -----------------------------------------------------------------------


def rule(op: str, value: Any, fact: str = "person.age") -> Rule:
    return Rule(clause="c", fact=fact, op=op, value=value, message="m")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("op", "value", "passing", "failing"),
    [
        ("eq", 35, 35, 36),
        ("ne", 35, 36, 35),
        ("in", [35, 40], 40, 36),
        ("not_in", [35, 40], 36, 40),
        ("le", 35, 35, 36),
        ("lt", 35, 34, 35),
        ("ge", 35, 35, 34),
        ("gt", 35, 36, 35),
    ],
)
def test_each_operator_passes_on_one_side_of_its_value_only(
    op: str, value: Any, passing: int, failing: int
) -> None:
    assert holds(rule(op, value), passing, value) is True
    assert holds(rule(op, value), failing, value) is False


def test_an_unknown_fact_or_one_of_the_wrong_type_never_passes() -> None:
    assert holds(rule("le", 35), None, 35) is False
    assert holds(rule("ne", 35), None, 35) is False
    assert holds(rule("le", 35), "young", 35) is False  # str <= int: TypeError, not a pass


def test_a_check_names_the_department_whose_record_is_missing() -> None:
    unknown = check(rule("le", 35), {}, "employee x")
    assert unknown == TraceEntry(
        subject="employee x",
        clause="c",
        requirement="m",
        seen=None,
        passed=False,
        missing_from="HZ-PSB",
    )
    assert reason(unknown) == "employee x: m (no record from HZ-PSB)"
    nobody = check(rule("eq", 1, fact="person.shoe_size"), {}, "employee x")
    assert nobody.missing_from == "no department"
    seen = check(rule("le", 35), {"person.age": 40}, "employee x")
    assert (seen.seen, seen.passed, seen.missing_from) == (40, False, None)
    assert reason(seen) == "employee x: m (seen: 40)"


def test_a_failed_clause_reads_in_chinese_with_its_own_words_or_else_the_english() -> None:
    unknown = check(rule("le", 35), {}, "employee x")
    assert reason_zh(unknown) == "员工 x：m（HZ-PSB 尚未报送数据）"
    worded = Rule.model_validate(rule("le", 35).model_dump() | {"message_zh": "不超过35周岁"})
    assert reason_zh(check(worded, {"person.age": 40}, "employee x")) == (
        "员工 x：不超过35周岁（实际：40）"
    )
    owns = Rule.model_validate(
        rule("eq", False, fact="person.owns_home_in_city").model_dump() | {"message_zh": "无房"}
    )
    assert reason_zh(check(owns, {"person.owns_home_in_city": True}, "enterprise")) == (
        "企业：无房（实际：是）"
    )


def test_every_fact_a_department_sends_has_a_chinese_name() -> None:
    assert set(SOURCES) - set(NAMES_ZH) == set()
    assert (name_zh("person.degree"), name_zh("person.shoe_size")) == ("学历", "person.shoe_size")


def test_a_rule_may_read_how_many_claims_a_person_made_this_year() -> None:
    rules = rental_policy()["rules"]
    first_only = {
        "clause": "first",
        "fact": "person.claims_this_year",
        "op": "eq",
        "value": 0,
        "message": "no claim yet this year",
    }
    policy = Policy.model_validate(
        rental_policy()
        | {
            "rules": rules
            | {"person": [*rules["person"], first_only], "claims_per_person_per_year": 5}
        }
    )
    someone = person(dt.date(1998, 1, 1))
    assert evaluate(policy, firm(someone), ON, {}).eligible is True
    assert clause(evaluate(policy, firm(someone), ON, {someone.id_number: 1}), "first").seen == 1


# --- provenance: each clause cites the record its fact was read from ---------------

HOU = FactSource(department="HZ-HOU", record_id="H-1", as_of=dt.date(2026, 8, 31))
PSB = FactSource(department="HZ-PSB", record_id="P-1", as_of=dt.date(2026, 1, 2))
MSA = FactSource(department="HZ-MSA", record_id="E-1", as_of=dt.date(2026, 3, 4))


def test_a_check_cites_the_record_its_fact_came_from_and_none_for_an_unknown() -> None:
    sources = {"person.age": PSB}
    cited = check(rule("le", 35), {"person.age": 30}, "employee x", sources)
    assert cited.source == "HZ-PSB record P-1, as of 2026-01-02"
    assert check(rule("le", 35), {"person.age": 30}, "employee x").source is None
    unknown = check(rule("le", 35), {}, "employee x", sources)  # a source, no value: none
    assert (unknown.source, unknown.missing_from) == (None, "HZ-PSB")


def test_each_person_fact_is_cited_from_its_own_kind_of_record() -> None:
    sourced = person(dt.date(1998, 1, 1)).model_copy(
        update={"sources": {"person": PSB, "home-ownership": HOU}}
    )
    assert person_sources(sourced) == {
        "person.age": PSB,
        "person.household_district": PSB,
        "person.owns_home_in_city": HOU,
    }
    assert person_sources(person(dt.date(1998, 1, 1))) == {}


def test_every_enterprise_fact_is_cited_from_its_registration() -> None:
    assert enterprise_sources(firm()) == {}
    assert enterprise_sources(firm().model_copy(update={"source": MSA})) == {
        "enterprise.status": MSA,
        "enterprise.district_code": MSA,
        "enterprise.industry_code": MSA,
        "enterprise.years_registered": MSA,
    }


def test_a_decision_cites_the_records_on_the_clauses_that_read_them() -> None:
    sourced = person(dt.date(1998, 1, 1)).model_copy(update={"sources": {"home-ownership": HOU}})
    result = evaluate(POLICY, firm(sourced).model_copy(update={"source": MSA}), ON, {})
    assert clause(result, "no_home").source == "HZ-HOU record H-1, as of 2026-08-31"
    assert clause(result, "age").source is None  # no person record was sent
    assert clause(result, "active").source == "HZ-MSA record E-1, as of 2026-03-04"
