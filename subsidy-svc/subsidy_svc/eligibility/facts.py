"""Facts the rules read, derived from what departments hold."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from qinqing_shared.contracts.identity import (
    EmployeeFacts,
    EnterpriseLease,
    EnterpriseProfile,
    EnterpriseTax,
    FactSource,
)

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
    "enterprise.tax_years_before": "HZ-TAX",
    "enterprise.tax_star": "HZ-TAX",
    "enterprise.tax_star_rise": "HZ-TAX",
    "enterprise.tax_growth_bp": "HZ-TAX",
    "enterprise.ui_year": "HZ-HRSS",
    "enterprise.ui_years_before": "HZ-HRSS",
    "enterprise.ui_months_paid": "HZ-HRSS",
    "enterprise.ui_paid_fen": "HZ-HRSS",
    "enterprise.insured_average": "HZ-HRSS",
    "enterprise.layoff_rate_bp": "HZ-HRSS",
    "enterprise.size_class": "HZ-HRSS",
    "enterprise.lease_years_before": "HZ-HOU",
    "enterprise.lease_rent_paid_fen": "HZ-HOU",
    "enterprise.lease_area_m2": "HZ-HOU",
    "enterprise.lease_in_base": "HZ-HOU",
    "person.age": "HZ-PSB",
    "person.household_district": "HZ-PSB",
    "person.degree": "HZ-EDU",
    "person.years_since_graduation": "HZ-EDU",
    "person.social_insurance_months_in_city": "HZ-HRSS",
    "person.owns_home_in_city": "HZ-HOU",
}


# What each fact is called in Chinese, where the engine's own clauses name it.
NAMES_ZH = {
    "enterprise.status": "企业登记状态",
    "enterprise.district_code": "注册所在区",
    "enterprise.industry_code": "行业代码",
    "enterprise.years_registered": "成立年限",
    "enterprise.tax_year": "纳税年度",
    "enterprise.revenue_fen": "年度营业收入",
    "enterprise.tax_paid_fen": "年度纳税额",
    "enterprise.tax_credit_rating": "纳税信用等级",
    "enterprise.tax_years_before": "纳税年度距今年数",
    "enterprise.tax_star": "纳税星级",
    "enterprise.tax_star_rise": "纳税星级较上年的升级数",
    "enterprise.tax_growth_bp": "纳税额较上年的增幅",
    "enterprise.ui_year": "失业保险缴费年度",
    "enterprise.ui_years_before": "失业保险缴费年度距今年数",
    "enterprise.ui_months_paid": "失业保险足额缴费月数",
    "enterprise.ui_paid_fen": "上年度失业保险缴费额",
    "enterprise.insured_average": "上年度月均参保人数",
    "enterprise.layoff_rate_bp": "裁员率",
    "enterprise.size_class": "企业规模",
    "enterprise.lease_years_before": "租赁年度距今年数",
    "enterprise.lease_rent_paid_fen": "年度实际支付租金",
    "enterprise.lease_area_m2": "租赁面积（平方米）",
    "enterprise.lease_in_base": "经营场地是否在小企业创业基地内",
    "person.age": "年龄",
    "person.household_district": "户籍所在区",
    "person.degree": "学历",
    "person.years_since_graduation": "毕业年限",
    "person.social_insurance_months_in_city": "本市社保缴纳月数",
    "person.owns_home_in_city": "本市是否有住房",
    "person.claims_this_year": "本年度已申领次数",
}


def name_zh(fact: str) -> str:
    """A fact's Chinese name (the fact's own name where it has none)."""
    return NAMES_ZH.get(fact, fact)


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
    """An enterprise fact comes from its registration record, or from the record of
    the department that keeps that figure (tax, insurance, lease), if it sent it itself."""
    found: dict[str, FactSource] = {}
    tax, insurance, lease = enterprise.tax, enterprise.unemployment_insurance, enterprise.lease
    by_department = {
        "HZ-TAX": tax.source if tax is not None else None,
        "HZ-HRSS": insurance.source if insurance is not None else None,
        "HZ-HOU": lease.source if lease is not None else None,
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


# Star taxpayers (星级纳税企业) by the taxes of a year, in fen: one star from 20 million
# yuan, two from 40, three from 60, four from 100 million, five from 300 million (the
# city's classification, docs/policies.md).
TAX_STARS_FEN = (2_000_000_000, 4_000_000_000, 6_000_000_000, 10_000_000_000, 30_000_000_000)


def tax_star(tax_paid_fen: int) -> int:
    """The stars a year's taxes earn: 0 below the first threshold, at most 5."""
    return sum(1 for threshold in TAX_STARS_FEN if tax_paid_fen >= threshold)


# Growth from nothing to something, in basis points: beyond any measure (a million-fold).
GROWTH_FROM_NOTHING_BP = 10**10


def growth_bp(now: int, before: int | None) -> int | None:
    """The growth from ``before`` to ``now`` in basis points, rounded down (toward minus
    infinity): 9.99% is 999, never "10%". None: the year before is unknown. From 0, any
    amount is ``GROWTH_FROM_NOTHING_BP`` (and 0 stays 0)."""
    if before is None:
        return None
    if before <= 0:
        return GROWTH_FROM_NOTHING_BP if now > 0 else 0
    return min((now - before) * 10_000 // before, GROWTH_FROM_NOTHING_BP)


def _tax_facts(tax: EnterpriseTax | None, on: dt.date) -> Facts:
    prior = tax.prior_tax_paid_fen if tax else None
    return {
        "enterprise.tax_year": tax.year if tax else None,
        "enterprise.tax_years_before": on.year - tax.year if tax else None,  # 1: last year
        "enterprise.revenue_fen": tax.revenue_fen if tax else None,
        "enterprise.tax_paid_fen": tax.tax_paid_fen if tax else None,
        "enterprise.tax_credit_rating": tax.credit_rating if tax else None,
        "enterprise.tax_star": tax_star(tax.tax_paid_fen) if tax else None,
        "enterprise.tax_star_rise": tax_star(tax.tax_paid_fen) - tax_star(prior)
        if tax and prior is not None
        else None,
        "enterprise.tax_growth_bp": growth_bp(tax.tax_paid_fen, prior) if tax else None,
    }


def _lease_facts(lease: EnterpriseLease | None, on: dt.date) -> Facts:
    """Housing's registered lease of the enterprise's premises; unknown if none."""
    return {
        "enterprise.lease_years_before": on.year - lease.year if lease else None,
        "enterprise.lease_rent_paid_fen": lease.rent_paid_fen if lease else None,
        "enterprise.lease_area_m2": lease.area_m2 if lease else None,
        "enterprise.lease_in_base": lease.incubation_base is not None if lease else None,
    }


def enterprise_facts(enterprise: EnterpriseProfile, on: dt.date) -> Facts:
    return {
        **_registration(enterprise, on),
        **_figures(enterprise, on),
        **_lease_facts(enterprise.lease, on),
    }


def _registration(enterprise: EnterpriseProfile, on: dt.date) -> Facts:
    return {
        "enterprise.status": enterprise.status,
        "enterprise.district_code": enterprise.district_code,
        "enterprise.industry_code": enterprise.industry_code,
        "enterprise.years_registered": age_on(enterprise.registered_on, on),
    }


def _figures(enterprise: EnterpriseProfile, on: dt.date) -> Facts:
    """What the tax bureau and HRSS sent; every one unknown if the department sent none."""
    ui = enterprise.unemployment_insurance
    return {
        **_tax_facts(enterprise.tax, on),
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
