"""Facts the rules read, derived from what departments hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from qinqing_shared.contracts.identity import EmployeeFacts, EnterpriseProfile, FactSource

Fact = str | int | bool | None
Facts = Mapping[str, Fact]

# The department whose data each fact comes from: an unknown fact names it in the trace.
SOURCES = {
    "enterprise.status": "HZ-MSA",
    "enterprise.district_code": "HZ-MSA",
    "enterprise.industry_code": "HZ-MSA",
    "enterprise.years_registered": "HZ-MSA",
    "enterprise.tax_year": "HZ-TAX",
    "enterprise.revenue_fen": "HZ-TAX",
    "enterprise.tax_paid_fen": "HZ-TAX",
    "enterprise.tax_credit_rating": "HZ-TAX",
    "enterprise.ui_year": "HZ-HRSS",
    "enterprise.ui_years_before": "HZ-HRSS",
    "enterprise.ui_months_paid": "HZ-HRSS",
    "enterprise.ui_paid_fen": "HZ-HRSS",
    "enterprise.insured_average": "HZ-HRSS",
    "enterprise.layoff_rate_bp": "HZ-HRSS",
    "enterprise.size_class": "HZ-HRSS",
    "person.age": "HZ-PSB",
    "person.household_district": "HZ-PSB",
    "person.degree": "HZ-EDU",
    "person.years_since_graduation": "HZ-EDU",
    "person.social_insurance_months_in_city": "HZ-HRSS",
    "person.owns_home_in_city": "HZ-HOU",
}


# The kind of department record each person fact is read from (EmployeeFacts.sources).
KINDS = {
    "person.age": "person",
    "person.household_district": "person",
    "person.degree": "degree",
    "person.years_since_graduation": "degree",
    "person.social_insurance_months_in_city": "social-insurance",
    "person.owns_home_in_city": "home-ownership",
}
Sources = Mapping[str, FactSource]


def enterprise_sources(enterprise: EnterpriseProfile) -> Sources:
    """An enterprise fact comes from its registration record, or from its tax record
    (the tax bureau's facts), if the department sent it itself."""
    found: dict[str, FactSource] = {}
    tax = enterprise.tax.source if enterprise.tax is not None else None
    insurance = enterprise.unemployment_insurance
    by_department = {
        "HZ-TAX": tax,
        "HZ-HRSS": insurance.source if insurance is not None else None,
        "HZ-MSA": enterprise.source,
    }
    for fact, department in SOURCES.items():
        source = by_department.get(department)
        if fact.startswith("enterprise.") and source is not None:
            found[fact] = source
    return found


def person_sources(person: EmployeeFacts) -> Sources:
    return {fact: person.sources[kind] for fact, kind in KINDS.items() if kind in person.sources}


def age_on(birth_date: dt.date, day: dt.date) -> int:
    """Full years of age on ``day``."""
    before_birthday = (day.month, day.day) < (birth_date.month, birth_date.day)
    return day.year - birth_date.year - int(before_birthday)


def layoff_rate_bp(new_claimants: int, average_insured: int) -> int | None:
    """Staff who newly drew unemployment benefit over the monthly average insured, in
    basis points (1/10,000), rounded up: 5.51% is 552, never "5.5%". None: nobody was
    insured, so there is no rate."""
    if average_insured <= 0:
        return None
    return -(-new_claimants * 10_000 // average_insured)


def enterprise_facts(enterprise: EnterpriseProfile, on: dt.date) -> Facts:
    return {**_registration(enterprise, on), **_figures(enterprise, on)}


def _registration(enterprise: EnterpriseProfile, on: dt.date) -> Facts:
    return {
        "enterprise.status": enterprise.status,
        "enterprise.district_code": enterprise.district_code,
        "enterprise.industry_code": enterprise.industry_code,
        "enterprise.years_registered": age_on(enterprise.registered_on, on),
    }


def _figures(enterprise: EnterpriseProfile, on: dt.date) -> Facts:
    """What the tax bureau and HRSS sent; every one unknown if the department sent none."""
    tax, ui = enterprise.tax, enterprise.unemployment_insurance
    return {
        "enterprise.tax_year": tax.year if tax else None,
        "enterprise.revenue_fen": tax.revenue_fen if tax else None,
        "enterprise.tax_paid_fen": tax.tax_paid_fen if tax else None,
        "enterprise.tax_credit_rating": tax.credit_rating if tax else None,
        "enterprise.ui_year": ui.year if ui else None,
        "enterprise.ui_years_before": on.year - ui.year if ui else None,  # 1: last year
        "enterprise.ui_months_paid": ui.months_paid if ui else None,
        "enterprise.ui_paid_fen": ui.paid_fen if ui else None,
        "enterprise.insured_average": ui.average_insured if ui else None,
        "enterprise.layoff_rate_bp": layoff_rate_bp(ui.new_claimants, ui.average_insured)
        if ui
        else None,
        "enterprise.size_class": ui.size_class if ui else None,
    }


def person_facts(person: EmployeeFacts, on: dt.date, claims_this_year: int) -> Facts:
    education = person.education
    return {
        "person.age": age_on(person.birth_date, on),
        "person.degree": education.degree if education else None,  # no record: unknown
        "person.years_since_graduation": on.year - education.graduation_year if education else None,
        "person.social_insurance_months_in_city": person.social_insurance_months_in_city,
        "person.owns_home_in_city": person.owns_home_in_city,
        "person.household_district": person.household_district,
        "person.claims_this_year": claims_this_year,
    }
