"""The credit grade from the records in force (credit_svc/rules.py, docs/credit.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from credit_svc.rules import (
    REPAIR_AFTER_DAYS,
    commitments_refused,
    denial,
    denial_zh,
    grade,
    repair_kind,
)
from qinqing_shared.contracts.credit import CreditRecordOut

SINCE = dt.date(2026, 1, 1)


def record(kind: str) -> CreditRecordOut:
    return CreditRecordOut.model_validate(
        {
            "kind": kind,
            "department": "HZ-MSA",
            "reason": f"a {kind} reason",
            "valid_from": SINCE,
            "valid_to": None,
        }
    )


@pytest.mark.parametrize(
    ("kinds", "expected", "rule"),
    [
        ([], "B", "B: no record that raises or lowers the grade"),
        (["commitment"], "B", "B: no record that raises or lowers the grade"),
        (["redlist"], "A", "A: on a red list, no violation in force"),
        (["violation"], "C", "C: 1 violation(s) in force"),
        (["redlist", "violation", "violation"], "C", "C: 2 violation(s) in force"),
        (["redlist", "blacklist"], "D", "D: on a black list: no public funds (joint punishment)"),
        (["violation", "blacklist"], "D", "D: on a black list: no public funds (joint punishment)"),
    ],
)
def test_the_grade_and_the_rule_that_decided_it(kinds: list[str], expected: str, rule: str) -> None:
    found, explanation = grade([record(k) for k in kinds])
    assert found == expected
    assert explanation == [f"{k} of HZ-MSA since 2026-01-01: a {k} reason" for k in kinds] + [rule]


def test_the_repair_periods_are_the_documented_ones() -> None:
    assert REPAIR_AFTER_DAYS == {
        "blacklist": 365,
        "violation": 90,
        "redlist": 0,
        "broken-commitment": 0,
    }


def broken(n: int) -> CreditRecordOut:
    """A violation the platform filed because commitment ``C-n`` was broken."""
    return record("violation").model_copy(
        update={"id": f"HZ-HRSS:bc-{n}", "commitment_id": f"C-{n}"}
    )


def test_one_broken_commitment_is_a_violation_and_forbids_commitments_only() -> None:
    records = [broken(1)]
    assert denial(records) == []
    assert grade(records)[0] == "C"
    assert commitments_refused(records, redlist_only=False) == (
        "The enterprise broke a credit commitment (HZ-HRSS:bc-1); it may make none "
        "until that record is lifted by credit repair."
    )


def test_repeated_broken_commitments_deny_every_subsidy() -> None:
    records = [broken(1), broken(2)]
    assert denial(records) == [
        "2 broken credit commitments in force (from 2 no public funds are paid)"
    ]
    assert denial_zh(records) == [
        "有 2 项未履行的信用承诺尚在有效期内（达到 2 项即不得享受财政资金）"
    ]
    assert grade(records)[0] == "D"
    assert grade(records)[1][-1] == (
        "D: repeated broken commitments: no public funds (joint punishment)"
    )
    assert commitments_refused(records, redlist_only=False) == (
        "The enterprise may receive no public funds (joint punishment)."
    )


def test_a_violation_of_another_kind_leaves_commitments_open() -> None:
    records = [record("violation"), record("violation")]
    assert denial(records) == []
    assert commitments_refused(records, redlist_only=False) is None


def test_a_black_list_record_denies_funds_and_commitments() -> None:
    records = [record("blacklist")]
    assert denial(records) == [
        "On the credit black list of HZ-MSA until further notice: a blacklist reason"
    ]
    assert denial_zh(records) == ["被 HZ-MSA 列入失信黑名单（至另行通知）：a blacklist reason"]
    until = [records[0].model_copy(update={"valid_to": dt.date(2027, 3, 1)})]
    assert denial_zh(until) == ["被 HZ-MSA 列入失信黑名单（至2027-03-01）：a blacklist reason"]
    assert commitments_refused(records, redlist_only=False) is not None


def test_a_red_list_record_opens_the_clauses_kept_for_it() -> None:
    refused = "This clause is open to commitments of enterprises on a red list only."
    assert commitments_refused([], redlist_only=True) == refused
    assert commitments_refused([record("violation")], redlist_only=True) == refused
    assert commitments_refused([record("redlist")], redlist_only=True) is None
    assert commitments_refused([], redlist_only=False) is None


def test_a_broken_commitments_violation_is_repaired_under_its_own_period() -> None:
    assert repair_kind(broken(1)) == "broken-commitment"
    assert repair_kind(record("violation")) == "violation"
    assert repair_kind(record("blacklist")) == "blacklist"
