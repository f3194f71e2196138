"""The credit grade from the records in force (credit_svc/rules.py, docs/credit.md)."""

from __future__ import annotations

import datetime as dt

import pytest

from credit_svc.rules import REPAIR_AFTER_DAYS, grade
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
