"""The credit rules, as data (docs/credit.md): what each kind of record does to an
enterprise's grade and to its subsidies, and how long a record stands before it may be
lifted by credit repair."""

from __future__ import annotations

from collections.abc import Sequence

from qinqing_shared.contracts.credit import CreditRecordOut, Grade

# Days a record must have been in force before its department may lift it (信用修复):
# a black-list record a year, a violation three months; a red-list record any day.
REPAIR_AFTER_DAYS = {"blacklist": 365, "violation": 90, "redlist": 0}
# Violations in force from which an enterprise is graded C (one is enough).
VIOLATIONS_FOR_C = 1


def grade(records: Sequence[CreditRecordOut]) -> tuple[Grade, list[str]]:
    """The grade from the records in force, and why, record by record.

    D: on a black list: every subsidy in every policy is denied (joint punishment).
    C: violations in force. A: on a red list, and neither of those. B: otherwise.
    """
    kinds = [r.kind for r in records]
    why = [f"{r.kind} of {r.department} since {r.valid_from}: {r.reason}" for r in records]
    if "blacklist" in kinds:
        return "D", [*why, "D: on a black list: no public funds (joint punishment)"]
    violations = kinds.count("violation")
    if violations >= VIOLATIONS_FOR_C:
        return "C", [*why, f"C: {violations} violation(s) in force"]
    if "redlist" in kinds:
        return "A", [*why, "A: on a red list, no violation in force"]
    return "B", [*why, "B: no record that raises or lowers the grade"]
