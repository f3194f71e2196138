"""A deterministic demo city: districts, departments, 300+ services, the rental subsidy
policy, thousands of enterprises with employees and department facts, credit records.

The golden enterprises (``data/golden-enterprises.json``) are included exactly as given.
``qinqing-demo OUT.json [--enterprises N] [--seed S]`` writes the dataset.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from importlib import resources
from pathlib import Path
from typing import Any

from qinqing_devtools.city import (
    DEPARTMENTS,
    DISTRICTS,
    NAMES_ZH,
    SERVICE_ITEM_TEMPLATES,
    SUBSIDY_TEMPLATES,
)
from qinqing_shared.ids import USCC_CHARSET, id_check_char, uscc_check_char

RENTAL_POLICY_ID = "hz-rental-subsidy-2026"
RENTAL_SERVICE_CODE = "HZ-HRSS-RENTAL-SUBSIDY"
JOB_EXPANSION_POLICY_ID = "hz-job-expansion-2026"
JOB_EXPANSION_SERVICE_CODE = "HZ-HRSS-JOB-EXPANSION"
JOB_RETENTION_POLICY_ID = "hz-job-retention-2026"
JOB_RETENTION_SERVICE_CODE = "HZ-HRSS-JOB-RETENTION"
STAR_TAXPAYER_POLICY_ID = "hz-star-taxpayer-2026"
STAR_TAXPAYER_SERVICE_CODE = "HZ-FIN-STAR-TAXPAYER"
TAX_CERTIFICATE_ITEM = "HZ-TAX-S04"  # tax certificate renewal: decided at once (秒批)
EMPLOYMENT_LICENCE_ITEM = "HZ-HRSS-S01"  # granted on a credit commitment (告知承诺制)
BASE_RENT_POLICY_ID = "hz-base-rent-2026"
BASE_RENT_SERVICE_CODE = "HZ-EIT-BASE-RENT"
GRADUATE_DEGREES = ["college", "bachelor", "master", "doctor"]  # 普通高校毕业生
DEGREES = ["high_school", "college", "bachelor", "bachelor", "bachelor", "master", "doctor"]
INDUSTRIES = ["I6511", "I6513", "C3425", "C3981", "F5191", "H6210", "M7340", "L7212", "C1711"]
SURNAMES = [
    "Chen",
    "Li",
    "Wang",
    "Zhang",
    "Liu",
    "Yang",
    "Zhao",
    "Huang",
    "Zhou",
    "Wu",
    "Xu",
    "Sun",
    "Hu",
    "Zhu",
    "Gao",
    "Lin",
    "He",
    "Guo",
    "Ma",
    "Luo",
]
GIVEN = [
    "Wei",
    "Fang",
    "Min",
    "Jing",
    "Lei",
    "Jun",
    "Yan",
    "Tao",
    "Ming",
    "Hui",
    "Ying",
    "Qiang",
    "Ping",
    "Gang",
    "Na",
    "Yu",
    "Xin",
    "Hao",
    "Yi",
    "Lin",
]


def golden() -> dict[str, Any]:
    text = (
        resources.files("qinqing_devtools")
        .joinpath("data/golden-enterprises.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def rental_policy() -> dict[str, Any]:
    """The employee rental subsidy, as data."""
    return {
        "id": RENTAL_POLICY_ID,
        "version": 1,
        "name": "Employee rental subsidy 2026",
        "name_zh": "2026年员工租房补贴",
        "department_code": "HZ-HRSS",
        "service_code": RENTAL_SERVICE_CODE,
        "currency": "CNY",
        "budget_fen": 50_000_000 * 100,
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "rules": {
            "enterprise": [
                *_in_the_city("registered"),
            ],
            "person": [
                _rule("age", "person.age", "le", 35, "aged 35 or under on the application date"),
                _rule(
                    "degree",
                    "person.degree",
                    "in",
                    ["bachelor", "master", "doctor"],
                    "bachelor's degree or higher",
                ),
                _rule(
                    "graduation",
                    "person.years_since_graduation",
                    "le",
                    5,
                    "graduated within the last 5 years",
                ),
                _rule(
                    "social_insurance",
                    "person.social_insurance_months_in_city",
                    "ge",
                    6,
                    "at least 6 months of social insurance paid in the city",
                    # a reward: an enterprise on a red list may commit while the social
                    # insurance bureau's record is late (a new hire's months transferred)
                    commitment=_commitment(
                        "This employee has paid at least 6 months of social insurance in "
                        "the city (the transfer of months is under way).",
                        days=60,
                        redlist_only=True,
                    ),
                ),
                _rule(
                    "no_home",
                    "person.owns_home_in_city",
                    "eq",
                    False,
                    "owns no home in the city",
                    commitment=_commitment("This employee owns no home in the city.", days=90),
                ),
            ],
            "amount": {
                "by": "person.degree",
                "amounts_fen": {"bachelor": 1_000_000, "master": 2_000_000, "doctor": 3_000_000},
            },
            "claims_per_person_per_year": 1,
            # clawed back (a broken commitment): the person may claim again this year
            "claims_after_clawback": "released",
        },
    }


def job_expansion_policy() -> dict[str, Any]:
    """The one-off job expansion subsidy (一次性扩岗补助), as data: 1,500 yuan for each
    recent graduate an enterprise hires and insures (docs/policies.md has the source)."""
    return {
        "id": JOB_EXPANSION_POLICY_ID,
        "version": 1,
        "name": "One-off job expansion subsidy 2026",
        "name_zh": "2026年一次性扩岗补助",
        "department_code": "HZ-HRSS",
        "service_code": JOB_EXPANSION_SERVICE_CODE,
        "currency": "CNY",
        "budget_fen": 20_000_000 * 100,
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "rules": {
            "enterprise": [
                *_in_the_city("registered"),
            ],
            "person": [
                _rule(
                    "graduate",
                    "person.degree",
                    "in",
                    GRADUATE_DEGREES,
                    "a graduate of a regular institution of higher education "
                    "(junior college, bachelor's, master's or doctorate)",
                ),
                _rule(
                    "recent",
                    "person.years_since_graduation",
                    "le",
                    2,
                    "graduated this year or within the two years before",
                ),
                _rule(
                    "insured",
                    "person.social_insurance_months_in_city",
                    "ge",
                    1,
                    "insured by the enterprise for at least 1 month (unemployment, "
                    "work injury and pension insurance)",
                ),
            ],
            "amount": {
                "by": "person.degree",
                "amounts_fen": {degree: 150_000 for degree in GRADUATE_DEGREES},
            },
            # a graduate counts for one enterprise only in a year
            "claims_per_person_per_year": 1,
        },
    }


def job_retention_policy() -> dict[str, Any]:
    """The unemployment-insurance job-retention refund (失业保险稳岗返还), as data, paid
    without applying: 60% of last year's contributions to a small, medium or micro
    enterprise, 30% to a large one, if it paid 12 months in full and laid off at most
    5.5% of its insured staff (20% with 30 or fewer) (docs/policies.md has the source)."""
    return {
        "id": JOB_RETENTION_POLICY_ID,
        "version": 1,
        "name": "Unemployment insurance job-retention refund 2026",
        "name_zh": "2026年失业保险稳岗返还",
        "department_code": "HZ-HRSS",
        "service_code": JOB_RETENTION_SERVICE_CODE,
        "currency": "CNY",
        "budget_fen": 500_000_000 * 100,
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "proactive": True,
        "notice_days": 5,  # publicised before it is paid (公示), and may be declined
        "rules": {
            "enterprise": [
                *_in_the_city("insured"),
                _rule(
                    "last_year",
                    "enterprise.ui_years_before",
                    "eq",
                    1,
                    "unemployment insurance figures of the year before the decision",
                ),
                _paid_in_full(),
                _rule(
                    "layoffs",
                    "enterprise.layoff_rate_bp",
                    "le",
                    550,
                    "laid off at most 5.5% of its insured staff last year (at most 20% "
                    "with 30 insured or fewer)",
                )
                | {
                    "value_by": {
                        "by": "enterprise.insured_average",
                        "bands": [{"up_to": 30, "value": 2000}],
                    }
                },
            ],
            "person": [],
            "amount": {
                "by": "enterprise.size_class",
                "share_of": "enterprise.ui_paid_fen",
                "shares_permille": {"large": 300, "medium": 600, "small": 600, "micro": 600},
            },
            "claims_per_person_per_year": 1,  # once a year per enterprise
        },
    }


def star_taxpayer_policy() -> dict[str, Any]:
    """The star taxpayer reward (星级纳税企业奖励), as data: an enterprise whose taxes of
    last year make it a star taxpayer (one star from 20 million yuan, up to five from
    300 million) is rewarded when it gains a star, or keeps its star with taxes grown by
    10% or more: 100,000 yuan for one star up to 1,000,000 for five (docs/policies.md has
    the source, and what is modelled otherwise)."""
    return {
        "id": STAR_TAXPAYER_POLICY_ID,
        "version": 1,
        "name": "Star taxpayer reward 2026",
        "name_zh": "2026年星级纳税企业奖励",
        "department_code": "HZ-FIN",
        "service_code": STAR_TAXPAYER_SERVICE_CODE,
        "currency": "CNY",
        "budget_fen": 30_000_000 * 100,
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "rules": {
            "enterprise": [
                *_in_the_city("registered"),
                _rule(
                    "last_year",
                    "enterprise.tax_years_before",
                    "eq",
                    1,
                    "taxes of the year before the decision",
                ),
                _rule(
                    "star",
                    "enterprise.tax_star",
                    "ge",
                    1,
                    "a star taxpayer: at least 20 million yuan of taxes in the year",
                ),
                _rule(
                    "progress",
                    "enterprise.tax_growth_bp",
                    "ge",
                    -10_000,  # a star gained: rewarded whatever the growth
                    "gained a star over the year before, or kept its star with taxes grown "
                    "by at least 10%",
                )
                | {
                    "value_by": {
                        "by": "enterprise.tax_star_rise",
                        # a star lost: nothing; the star kept: 10% growth (1,000 bp)
                        "bands": [
                            {"up_to": -1, "value": 10**12},  # never reached
                            {"up_to": 0, "value": 1_000},
                        ],
                    }
                },
            ],
            "person": [],
            "amount": {
                "per": "enterprise",
                "by": "enterprise.tax_star",
                "amounts_fen": {
                    "1": 100_000 * 100,
                    "2": 300_000 * 100,
                    "3": 500_000 * 100,
                    "4": 700_000 * 100,
                    "5": 1_000_000 * 100,
                },
            },
            "claims_per_person_per_year": 1,  # once a year per enterprise
        },
    }


def base_rent_policy() -> dict[str, Any]:
    """The rent subsidy for small enterprises in the city's small-enterprise bases
    (小企业创业基地场地租金补助), as data: half of last year's rent for premises in a
    recognised base, at most 300,000 yuan (docs/policies.md has the source)."""
    return {
        "id": BASE_RENT_POLICY_ID,
        "version": 1,
        "name": "Rent subsidy for small enterprises in small-enterprise bases 2026",
        "name_zh": "2026年小企业创业基地场地租金补助",
        "department_code": "HZ-EIT",
        "service_code": BASE_RENT_SERVICE_CODE,
        "currency": "CNY",
        "budget_fen": 20_000_000 * 100,
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "rules": {
            "enterprise": [
                *_in_the_city("registered"),
                _rule(
                    "last_year",
                    "enterprise.lease_years_before",
                    "eq",
                    1,
                    "rent paid for the year before the decision",
                ),
                _rule(
                    "in_base",
                    "enterprise.lease_in_base",
                    "eq",
                    True,
                    "premises in one of the city's recognised small-enterprise bases",
                ),
            ],
            "person": [],
            "amount": {
                "per": "enterprise",
                "by": "enterprise.lease_in_base",
                "share_of": "enterprise.lease_rent_paid_fen",
                "shares_permille": {"true": 500},  # at most half of the rent paid
                "max_fen_per_enterprise": 300_000 * 100,
            },
            "claims_per_person_per_year": 1,  # once a year per enterprise
        },
    }


# Each clause's words in Chinese, for the pages (Rule.message_zh).
MESSAGES_ZH = {
    "enterprise must be active (not revoked or deregistered)": "企业处于存续状态（未吊销、未注销）",
    "enterprise must be registered in one of the city's 14 districts": (
        "企业在本市14个区县（市）之一登记"
    ),
    "enterprise must be insured in one of the city's 14 districts": (
        "企业在本市14个区县（市）之一参保"
    ),
    "aged 35 or under on the application date": "申请之日年龄不超过35周岁",
    "bachelor's degree or higher": "本科及以上学历",
    "graduated within the last 5 years": "毕业5年以内",
    "at least 6 months of social insurance paid in the city": "在本市缴纳社会保险满6个月",
    "owns no home in the city": "在本市无自有住房",
    "a graduate of a regular institution of higher education (junior college, bachelor's, "
    "master's or doctorate)": "普通高校毕业生（专科、本科、硕士或博士）",
    "graduated this year or within the two years before": "当年或离校两年内毕业",
    "insured by the enterprise for at least 1 month (unemployment, work injury and pension "
    "insurance)": "企业为其缴纳失业、工伤、职工养老保险1个月以上",
    "unemployment insurance figures of the year before the decision": "核定上年度失业保险缴费情况",
    "unemployment insurance paid in full for 12 months": "足额缴纳失业保险费满12个月",
    "laid off at most 5.5% of its insured staff last year (at most 20% with 30 insured or "
    "fewer)": "上年度裁员率不高于5.5%（参保职工30人及以下的不高于20%）",
    "taxes of the year before the decision": "核定上年度纳税情况",
    "a star taxpayer: at least 20 million yuan of taxes in the year": (
        "年度纳税额2000万元以上的星级纳税企业"
    ),
    "gained a star over the year before, or kept its star with taxes grown by at least "
    "10%": "较上年晋升星级，或保持原星级且纳税额增长10%以上",
    "rent paid for the year before the decision": "核定上年度实际支付的场地租金",
    "premises in one of the city's recognised small-enterprise bases": (
        "生产经营场地位于本市认定的小企业创业基地内"
    ),
    "a tax credit rating of A or B in its last return": "最近一个纳税年度的纳税信用等级为A级或B级",
}


def _in_the_city(how: str = "registered") -> list[dict[str, Any]]:
    """The enterprise is active, and registered (or insured) in one of the 14 districts:
    the first clauses of every demo policy."""
    return [
        _rule(
            "active",
            "enterprise.status",
            "in",
            ["active"],
            "enterprise must be active (not revoked or deregistered)",
        ),
        _rule(
            "district",
            "enterprise.district_code",
            "in",
            [code for code, _, _ in DISTRICTS],
            f"enterprise must be {how} in one of the city's 14 districts",
        ),
    ]


def _rule(
    clause: str,
    fact: str,
    op: str,
    value: Any,
    message: str,
    commitment: dict[str, Any] | None = None,
) -> dict[str, Any]:
    rule = {"clause": clause, "fact": fact, "op": op, "value": value, "message": message}
    if message in MESSAGES_ZH:
        rule["message_zh"] = MESSAGES_ZH[message]
    return rule if commitment is None else rule | {"commitment": commitment}


def _paid_in_full(commitment: dict[str, Any] | None = None) -> dict[str, Any]:
    """12 months of unemployment insurance paid in full, as HRSS holds it."""
    return _rule(
        "paid_in_full",
        "enterprise.ui_months_paid",
        "ge",
        12,
        "unemployment insurance paid in full for 12 months",
        commitment=commitment,
    )


def _commitment(statement: str, days: int, redlist_only: bool = False) -> dict[str, Any]:
    """A clause open to credit commitments (信用承诺), verified within ``days``."""
    return {"statement": statement, "verify_within_days": days, "redlist_only": redlist_only}


def catalog() -> dict[str, Any]:
    districts = [{"code": c, "name": n, "name_zh": NAMES_ZH[c], "kind": k} for c, n, k in DISTRICTS]
    departments = [
        {"code": c, "name": f"Hangzhou {n}", "name_zh": NAMES_ZH[c], "district_code": None}
        for c, n, _ in DEPARTMENTS
    ]
    services = [s for code, _, topic in DEPARTMENTS for s in _department_services(code, topic)]
    services += [s for code, name, _ in DISTRICTS for s in _district_services(code, name)]
    services.append(
        _service(
            RENTAL_SERVICE_CODE,
            "Employee rental subsidy",
            "subsidy",
            "HZ-HRSS",
            description="Instant rental subsidy for young graduates employed "
            "in the city: no materials, no approval.",
        )
    )
    services.append(
        _service(
            JOB_RETENTION_SERVICE_CODE,
            "Unemployment insurance job-retention refund",
            "subsidy",
            "HZ-HRSS",
            description="Part of last year's unemployment insurance back to enterprises "
            "that kept their staff: paid without applying, after a notice.",
        )
    )
    services.append(
        _service(
            BASE_RENT_SERVICE_CODE,
            "Rent subsidy for small enterprises in small-enterprise bases",
            "subsidy",
            "HZ-EIT",
            description="Half of last year's rent, at most 300,000 yuan, for premises in "
            "one of the city's small-enterprise bases: from housing's lease register.",
        )
    )
    services.append(
        _service(
            STAR_TAXPAYER_SERVICE_CODE,
            "Star taxpayer reward",
            "subsidy",
            "HZ-FIN",
            description="A reward to enterprises that gain a star as taxpayers, or keep "
            "it with taxes grown by 10%: decided from the tax bureau's figures.",
        )
    )
    services.append(
        _service(
            JOB_EXPANSION_SERVICE_CODE,
            "One-off job expansion subsidy",
            "subsidy",
            "HZ-HRSS",
            description="1,500 yuan for each recent graduate an enterprise hires and "
            "insures: from the data the departments hold, no application materials.",
        )
    )
    return {
        "districts": districts,
        "departments": departments,
        "services": services,
        "policies": [
            rental_policy(),
            job_expansion_policy(),
            star_taxpayer_policy(),
            base_rent_policy(),
        ],
        # published by their departments once the city's facts are in (feeds.py): a
        # proactive policy's run evaluates every enterprise when it is published
        "proactive_policies": [job_retention_policy()],
    }


def _department_services(code: str, topic: str) -> list[dict[str, Any]]:
    items = [
        _service(
            f"{code}-S{i + 1:02d}",
            t.format(topic=topic).capitalize(),
            "service_item",
            code,
            anywhere=code == "HZ-PSB" and i < 2,
        )
        for i, t in enumerate(SERVICE_ITEM_TEMPLATES)
    ]
    subsidy = SUBSIDY_TEMPLATES[len(code) % len(SUBSIDY_TEMPLATES)].format(topic=topic)
    return [*items, _service(f"{code}-B01", subsidy.capitalize(), "subsidy", code)]


def _district_services(code: str, name: str) -> list[dict[str, Any]]:
    return [
        _service(
            f"D{code}-MSA-01",
            f"{name} enterprise establishment, one-stop",
            "service_item",
            "HZ-MSA",
            district=code,
        ),
        _service(
            f"D{code}-GSA-01",
            f"{name} enterprise service window",
            "service_item",
            "HZ-GSA",
            district=code,
        ),
    ]


def _service(
    code: str,
    name: str,
    kind: str,
    department: str,
    *,
    district: str | None = None,
    anywhere: bool = False,
    description: str = "",
) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "kind": kind,
        "department_code": department,
        "district_code": district,
        "handled_anywhere": anywhere,
        "description": description or f"{name} ({'cash' if kind == 'subsidy' else 'service'})",
        "handling": INSTANT_ITEMS.get(code),  # None: routed to its department
        "handling_version": 1 if code in INSTANT_ITEMS else 0,
    }


def tax_certificate_handling() -> dict[str, Any]:
    """The tax bureau's certificate renewal, decided at once from its own data (秒批):
    an active enterprise in the city whose last return earned an A or B tax credit
    rating (the ratings the tax authorities trust most); refused at once on a lower
    rating, and left to the bureau while it holds no return (docs/interaction.md)."""
    return {
        "mode": "instant",
        "conditions": [
            *_in_the_city("registered"),
            _rule(
                "tax_credit",
                "enterprise.tax_credit_rating",
                "in",
                ["A", "B"],
                "a tax credit rating of A or B in its last return",
            ),
        ],
    }


def employment_licence_handling() -> dict[str, Any]:
    """Human resources' employment licence, granted on a credit commitment (告知承诺制):
    an active enterprise in the city that paid its unemployment insurance in full for 12
    months. While HRSS has sent no insurance record for it, the enterprise may declare
    that it did (a commitment verified within 60 days) and is granted at once; a record
    that contradicts it revokes the licence and files a violation (docs/interaction.md)."""
    return {
        "mode": "instant",
        "conditions": [
            *_in_the_city("registered"),
            _paid_in_full(
                _commitment(
                    "The enterprise paid its unemployment insurance in full for the last "
                    "12 months.",
                    days=60,
                )
            ),
        ],
    }


# the service items decided at once from department data, and their handling
INSTANT_ITEMS = {
    TAX_CERTIFICATE_ITEM: tax_certificate_handling(),
    EMPLOYMENT_LICENCE_ITEM: employment_licence_handling(),
}


def tax_year(uscc: str, status: str) -> dict[str, Any]:
    """What the tax bureau holds of the enterprise's 2025 tax year, drawn from its own
    seed (the city's other data stays as it was): one in ten active enterprises, and
    every one no longer active, has sent no return yet (its tax data is unknown)."""
    rng = random.Random(f"tax:{uscc}")
    if status != "active" or rng.random() < 0.1:
        return {}
    revenue = rng.choice([rng.randrange(10**8, 10**10), rng.randrange(10**10, 5 * 10**11)])
    rating = rng.choices(["A", "B", "M", "C", "D"], [30, 40, 15, 10, 5])[0]
    return {
        "tax": {
            "year": 2025,
            "revenue_fen": revenue,
            "tax_paid_fen": revenue * rng.randrange(2, 9) // 100,
            "credit_rating": rating,
        }
    }


def unemployment_insurance(uscc: str, status: str, employees: int) -> dict[str, Any]:
    """What human resources and social security holds of the enterprise's 2025
    unemployment insurance, drawn from its own seed: one in eight active enterprises,
    and every one no longer active, has no record (unknown). The insured staff include
    more than the employees listed (the demo lists a sample); contributions are 1% of a
    wage base (0.5% the enterprise's, 0.5% the employee's) for the months paid."""
    rng = random.Random(f"ui:{uscc}")
    if status != "active" or rng.random() < 0.125:
        return {}
    insured = rng.randint(employees, employees * 6 + 5)
    months = 12 if rng.random() < 0.85 else rng.randint(3, 11)
    wage_base_fen = rng.randrange(446_200, 2_200_000)  # 4,462 to 22,000 yuan a month
    claimants = 0 if rng.random() < 0.75 else rng.randint(1, max(1, insured // 4))
    size = "micro" if insured < 10 else "small" if insured < 100 else "medium"
    return {
        "unemployment_insurance": {
            "year": 2025,
            "months_paid": months,
            "paid_fen": insured * wage_base_fen * months // 100,
            "average_insured": insured,
            "new_claimants": claimants,
            "size_class": "large" if insured >= 300 else size,
        }
    }


class Generator:
    """Random but repeatable: the same seed and size give the same city."""

    def __init__(self, seed: int, taken_ids: set[str], taken_usccs: set[str]) -> None:
        self.rng = random.Random(seed)
        self.ids = taken_ids
        self.usccs = taken_usccs

    def uscc(self, district: str) -> str:
        while True:
            org = "MA7" + "".join(self.rng.choice(USCC_CHARSET) for _ in range(6))
            body = "91" + district + org
            code = body + uscc_check_char(body)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def id_number(self, district: str, born: dt.date) -> str:
        while True:
            body = district + born.strftime("%Y%m%d") + f"{self.rng.randrange(1000):03d}"
            number = body + id_check_char(body)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def person(self, district: str) -> dict[str, Any]:
        rng = self.rng
        born = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(365 * 35))
        degree = rng.choice(DEGREES)
        study = {"high_school": 18, "college": 21, "bachelor": 22, "master": 25, "doctor": 28}
        graduated = min(born.year + study[degree] + rng.randrange(0, 3), 2026)
        return {
            "id_number": self.id_number(district, born),
            "name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
            "birth_date": born.isoformat(),
            "household_district": district,
            "education": {"degree": degree, "graduation_year": graduated},
            "social_insurance_months_in_city": rng.randrange(0, 120),
            "owns_home_in_city": rng.random() < 0.3,
        }

    def enterprise(self, index: int) -> dict[str, Any]:
        rng = self.rng
        district = rng.choice(DISTRICTS)[0]
        employees = [self.person(rng.choice(DISTRICTS)[0]) for _ in range(rng.randint(1, 8))]
        status = rng.choices(["active", "revoked", "deregistered"], [95, 3, 2])[0]
        uscc = self.uscc(district)
        return {
            "uscc": uscc,
            "name": f"Hangzhou Demo Enterprise No. {index:05d} Co., Ltd.",
            "district_code": district,
            "industry_code": rng.choice(INDUSTRIES),
            "registered_on": (
                dt.date(2000, 1, 1) + dt.timedelta(days=rng.randrange(9000))
            ).isoformat(),
            "status": status,
            "bank_account": {"bank": "Bank of Hangzhou", "account_no": f"6217{index:010d}"},
            "legal_representative": employees[0]["id_number"],
            "employees": employees,
            **tax_year(uscc, status),
            **unemployment_insurance(uscc, status, len(employees)),
        }

    def credit_record(self, uscc: str) -> dict[str, Any]:
        """A record the city's public credit platform (the Development and Reform
        Commission) files through credit-svc's API, as that department."""
        kind = self.rng.choices(["blacklist", "redlist", "violation"], [2, 3, 5])[0]
        reasons = {
            "blacklist": "Seriously dishonest: unpaid court judgment",
            "redlist": "A-level taxpayer",
            "violation": "Administrative penalty: annual report filed late",
        }
        return {
            "record_id": f"DRC-{uscc}-{kind}",
            "uscc": uscc,
            "kind": kind,
            "department": "Hangzhou Development and Reform Commission",
            "reason": reasons[kind],
            "valid_from": "2025-01-01",
            "valid_to": "2028-12-31",
        }


def dataset(enterprises: int = 3000, seed: int = 20260101) -> dict[str, Any]:
    """The whole demo city; golden enterprises first, exactly as given."""
    gold = golden()
    taken_ids = {p["id_number"] for e in gold["enterprises"] for p in e["employees"]}
    gen = Generator(seed, taken_ids, {e["uscc"] for e in gold["enterprises"]})
    generated = [gen.enterprise(i + 1) for i in range(enterprises)]
    records = [gen.credit_record(e["uscc"]) for e in generated if gen.rng.random() < 0.05]
    return {
        **catalog(),
        "enterprises": gold["enterprises"] + generated,
        "credit_records": gold["credit_records"] + records,
    }


# the generator's version: a city written by an earlier one is not reused (it lacks what
# departments send since, e.g. the tax bureau's returns from version 2, HRSS's
# unemployment insurance from version 3)
VERSION = 3


def file_name(enterprises: int) -> str:
    """Where a city of this size is kept between runs."""
    return f"demo-city-{enterprises}-v{VERSION}.json"


def write(path: Path, enterprises: int = 3000, seed: int = 20260101) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(dataset(enterprises, seed), ensure_ascii=False), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="qinqing-demo", description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--enterprises", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args(argv)
    write(args.out, args.enterprises, args.seed)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
