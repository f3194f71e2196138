"""The job-retention refund (稳岗返还) on made-up enterprises, with no I/O: the share of
last year's contributions by size class, the layoff limit chosen by the insured
headcount, the claim once a year per enterprise, and unknown HRSS data never paid."""

from __future__ import annotations

import datetime as dt

import pytest

from qinqing_devtools.demo import golden, job_retention_policy
from qinqing_shared.contracts.catalog import Band, Policy
from qinqing_shared.contracts.identity import (
    EnterpriseProfile,
    EnterpriseUnemploymentInsurance,
    FactSource,
)
from qinqing_shared.contracts.subsidy import TraceEntry
from subsidy_svc.eligibility.engine import Evaluation, claim_subjects, evaluate
from subsidy_svc.eligibility.facts import enterprise_facts, layoff_rate_bp

ON = dt.date(2026, 9, 1)
POLICY = Policy.model_validate(job_retention_policy())
USCC = "91330106MA2H00014Q"
SOURCE = FactSource(department="HZ-HRSS", record_id="UI-2025", as_of=dt.date(2026, 3, 31))


def insured(
    *,
    paid_fen: int = 1_234_567,
    insured_: int = 40,
    claimants: int = 0,
    size: str = "small",
    months: int = 12,
    year: int = 2025,
) -> EnterpriseProfile:
    raw = next(e for e in golden()["enterprises"] if e["uscc"] == USCC)
    record = EnterpriseUnemploymentInsurance(
        year=year,
        months_paid=months,
        paid_fen=paid_fen,
        average_insured=insured_,
        new_claimants=claimants,
        size_class=size,  # type: ignore[arg-type]
        source=SOURCE,
    )
    return EnterpriseProfile.model_validate(raw).model_copy(
        update={"unemployment_insurance": record}
    )


@pytest.mark.parametrize(
    ("size", "amount"),
    [("micro", 740_740), ("small", 740_740), ("medium", 740_740), ("large", 370_370)],
)
def test_the_refund_is_a_share_of_last_years_contributions_by_size(size: str, amount: int) -> None:
    result = evaluate(POLICY, insured(size=size), ON, {})
    assert (result.eligible, result.amount_fen, result.enterprise_fen) == (True, amount, amount)
    assert result.awards == []  # nobody but the enterprise is paid
    (entry,) = [t for t in result.trace if t.clause == "amount"]
    assert (entry.seen, entry.source) == (1_234_567, "HZ-HRSS record UI-2025, as of 2026-03-31")


@pytest.mark.parametrize(
    ("insured_", "claimants", "passed"),
    [
        (40, 2, True),  # 5.0%
        (40, 3, False),  # 7.5%
        (200, 11, True),  # exactly 5.5%
        (1000, 56, False),  # 5.6%: over, however little
        (30, 6, True),  # 20% with 30 insured: the small enterprise's limit
        (30, 7, False),  # 23.3%
        (31, 6, False),  # 19.4% with 31 insured: the 5.5% limit again
    ],
)
def test_the_layoff_limit_is_chosen_by_the_insured_headcount(
    insured_: int, claimants: int, passed: bool
) -> None:
    result = evaluate(POLICY, insured(insured_=insured_, claimants=claimants), ON, {})
    (entry,) = [t for t in result.trace if t.clause == "layoffs"]
    assert (entry.passed, result.eligible) == (passed, passed)


def test_the_layoff_rate_is_rounded_up_in_basis_points() -> None:
    assert [layoff_rate_bp(11, 200), layoff_rate_bp(1, 3), layoff_rate_bp(0, 5)] == [550, 3334, 0]
    assert layoff_rate_bp(0, 0) is None  # nobody insured: no rate
    assert layoff_rate_bp(0, 1) == 0


@pytest.mark.parametrize(
    ("change", "clause"),
    [
        ({"months": 11}, "paid_in_full"),
        ({"year": 2024}, "last_year"),  # figures of two years before
    ],
)
def test_a_year_not_paid_in_full_or_not_last_year_is_not_refunded(
    change: dict[str, int], clause: str
) -> None:
    result = evaluate(POLICY, insured(**change), ON, {})  # type: ignore[arg-type]
    failed = [t.clause for t in result.trace if not t.passed]
    assert (result.eligible, result.amount_fen, failed) == (False, 0, [clause])


def test_an_enterprise_without_hrss_data_is_unknown_and_not_paid() -> None:
    unknown = insured().model_copy(update={"unemployment_insurance": None})
    result = evaluate(POLICY, unknown, ON, {})
    missing = {t.clause: t.missing_from for t in result.trace if not t.passed}
    assert result.eligible is False and result.amount_fen == 0
    assert missing == {
        "last_year": "HZ-HRSS",
        "paid_in_full": "HZ-HRSS",
        "layoffs": "HZ-HRSS",
        "amount": "HZ-HRSS",
    }


def test_it_is_claimed_once_a_year_per_enterprise() -> None:
    profile = insured()
    assert claim_subjects(POLICY, profile) == [USCC]
    again = evaluate(POLICY, profile, ON, {USCC: 1})
    (entry,) = [t for t in again.trace if t.clause == "one_claim_per_year"]
    assert (again.eligible, entry.seen, entry.passed) == (False, 1, False)


def with_amount(**change: object) -> Policy:
    amount = POLICY.rules.amount.model_copy(update=change)
    return POLICY.model_copy(update={"rules": POLICY.rules.model_copy(update={"amount": amount})})


def entries(result: Evaluation, clause: str) -> list[TraceEntry]:
    return [t for t in result.trace if t.clause == clause]


def test_the_amount_and_the_yearly_claim_are_traced_with_their_source() -> None:
    result = evaluate(POLICY, insured(), ON, {USCC: 0})
    assert entries(result, "amount") == [
        TraceEntry(
            subject="enterprise",
            clause="amount",
            requirement="enterprise.ui_paid_fen times the share (‰) set for its "
            "enterprise.size_class",
            requirement_zh="上年度失业保险缴费额乘以按企业规模所定的比例（‰）",
            seen=1_234_567,
            passed=True,
            source="HZ-HRSS record UI-2025, as of 2026-03-31",
        )
    ]
    assert entries(result, "one_claim_per_year") == [
        TraceEntry(
            subject="enterprise",
            clause="one_claim_per_year",
            requirement="at most 1 claim(s) per enterprise in 2026",
            requirement_zh="每家企业2026年至多申领1次",
            seen=0,
            passed=True,
        )
    ]
    assert entries(result, "cap") == []


@pytest.mark.parametrize(
    ("cap", "paid", "capped"), [(500_000, 500_000, True), (740_740, 740_740, False)]
)
def test_a_cap_per_enterprise_limits_the_share(cap: int, paid: int, capped: bool) -> None:
    result = evaluate(with_amount(max_fen_per_enterprise=cap), insured(), ON, {})
    assert (result.eligible, result.amount_fen) == (True, paid)
    expected = TraceEntry(
        subject="enterprise",
        clause="cap",
        requirement=f"at most {cap} fen per enterprise",
        requirement_zh=f"每家企业至多{cap}分",
        seen="740740",
        passed=True,
    )
    assert entries(result, "cap") == ([expected] if capped else [])


def test_a_size_class_without_a_share_is_not_paid() -> None:
    only_small = with_amount(shares_permille={"small": 600})
    result = evaluate(only_small, insured(size="large"), ON, {})
    (entry,) = entries(result, "amount")
    assert (entry.passed, entry.seen, entry.missing_from) == (False, 1_234_567, None)
    assert (result.eligible, result.amount_fen) == (False, 0)


@pytest.mark.parametrize(
    ("share_of", "missing_from"),
    [("enterprise.ui_paid_fen", "HZ-HRSS"), ("enterprise.no_such_fen", "no department")],
)
def test_an_unknown_figure_names_who_should_send_it(share_of: str, missing_from: str) -> None:
    unknown = insured().model_copy(update={"unemployment_insurance": None})
    result = evaluate(with_amount(share_of=share_of), unknown, ON, {})
    (entry,) = entries(result, "amount")
    assert (entry.passed, entry.seen, entry.missing_from, entry.source) == (
        False,
        None,
        missing_from,
        None,
    )


@pytest.mark.parametrize(("paid_fen", "eligible", "amount"), [(0, False, 0), (2, True, 1)])
def test_a_refund_of_nothing_is_no_refund(paid_fen: int, eligible: bool, amount: int) -> None:
    result = evaluate(POLICY, insured(paid_fen=paid_fen), ON, {})  # 60% of 2 fen: 1 fen
    assert (result.eligible, result.amount_fen) == (eligible, amount)


def test_the_bands_are_read_in_ascending_order_whatever_order_they_are_written_in() -> None:
    layoffs = POLICY.rules.enterprise[-1]
    assert layoffs.value_by is not None
    bands = [Band(up_to=100, value=1000), Band(up_to=30, value=2000)]
    shuffled = layoffs.model_copy(
        update={"value_by": layoffs.value_by.model_copy(update={"bands": bands})}
    )
    rules = POLICY.rules.model_copy(
        update={"enterprise": [*POLICY.rules.enterprise[:-1], shuffled]}
    )
    policy = POLICY.model_copy(update={"rules": rules})
    small = evaluate(policy, insured(insured_=20, claimants=3), ON, {})  # 15%: 20% holds
    (entry,) = entries(small, "layoffs")
    assert (entry.passed, entry.requirement_zh) == (
        True,
        "上年度裁员率不高于5.5%（参保职工30人及以下的不高于20%）",
    )


def test_the_hrss_figures_are_read_as_sent() -> None:
    facts = enterprise_facts(insured(claimants=1), ON)
    assert {
        k: v for k, v in facts.items() if k.startswith(("enterprise.ui", "enterprise.ins"))
    } == {
        "enterprise.ui_year": 2025,
        "enterprise.ui_years_before": 1,
        "enterprise.ui_months_paid": 12,
        "enterprise.ui_paid_fen": 1_234_567,
        "enterprise.insured_average": 40,
    }
    assert (facts["enterprise.layoff_rate_bp"], facts["enterprise.size_class"]) == (250, "small")
