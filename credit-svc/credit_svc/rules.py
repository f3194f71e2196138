"""The credit rules, as data (docs/credit.md): what each kind of record does to an
enterprise's grade, to its subsidies and to its commitments, and how long a record stands
before it may be lifted by credit repair."""

from __future__ import annotations

from collections.abc import Sequence

from qinqing_shared.contracts.credit import CreditRecordOut, Grade

# Days a record must have been in force before its department may lift it (信用修复):
# a black-list record a year, a violation three months, a red-list record any day. A
# violation filed because a commitment was broken may be lifted as soon as the department
# judges it repaired (the money repaid and a repair commitment signed).
REPAIR_AFTER_DAYS = {"blacklist": 365, "violation": 90, "redlist": 0, "broken-commitment": 0}
# Violations in force from which an enterprise is graded C (one is enough).
VIOLATIONS_FOR_C = 1
# Broken commitments in force from which every subsidy is denied (joint punishment);
# one is enough to forbid new commitments.
BROKEN_COMMITMENTS_TO_DENY = 2


def repair_kind(record: CreditRecordOut) -> str:
    """The key of REPAIR_AFTER_DAYS the record is repaired under."""
    return "broken-commitment" if record.commitment_id else record.kind


def _broken(records: Sequence[CreditRecordOut]) -> list[CreditRecordOut]:
    return [r for r in records if r.kind == "violation" and r.commitment_id]


def denial(records: Sequence[CreditRecordOut]) -> list[str]:
    """Why no public funds may be paid (joint punishment); empty if they may."""
    return [english for english, _ in _denials(records)]


def denial_zh(records: Sequence[CreditRecordOut]) -> list[str]:
    """The same reasons in Chinese, one for one (the department's own words quoted)."""
    return [chinese for _, chinese in _denials(records)]


def _denials(records: Sequence[CreditRecordOut]) -> list[tuple[str, str]]:
    reasons = [
        (
            f"On the credit black list of {r.department} until "
            f"{r.valid_to or 'further notice'}: {r.reason}",
            f"被 {r.department} 列入失信黑名单（至{r.valid_to or '另行通知'}）：{r.reason}",
        )
        for r in records
        if r.kind == "blacklist"
    ]
    broken = _broken(records)
    if len(broken) >= BROKEN_COMMITMENTS_TO_DENY:
        reasons.append(
            (
                f"{len(broken)} broken credit commitments in force "
                f"(from {BROKEN_COMMITMENTS_TO_DENY} no public funds are paid)",
                f"有 {len(broken)} 项未履行的信用承诺尚在有效期内"
                f"（达到 {BROKEN_COMMITMENTS_TO_DENY} 项即不得享受财政资金）",
            )
        )
    return reasons


def commitments_refused(records: Sequence[CreditRecordOut], redlist_only: bool) -> str | None:
    """Why the enterprise may not make (or rely on) a commitment; None if it may."""
    if denial(records):
        return "The enterprise may receive no public funds (joint punishment)."
    broken = _broken(records)
    if broken:
        return (
            f"The enterprise broke a credit commitment ({broken[0].id}); it may make none "
            "until that record is lifted by credit repair."
        )
    if redlist_only and not any(r.kind == "redlist" for r in records):
        return "This clause is open to commitments of enterprises on a red list only."
    return None


def grade(records: Sequence[CreditRecordOut]) -> tuple[Grade, list[str]]:
    """The grade from the records in force, and why, record by record.

    D: denied every subsidy in every policy (black list, or repeated broken commitments).
    C: violations in force. A: on a red list, and neither of those. B: otherwise.
    """
    kinds = [r.kind for r in records]
    why = [f"{r.kind} of {r.department} since {r.valid_from}: {r.reason}" for r in records]
    if "blacklist" in kinds:
        return "D", [*why, "D: on a black list: no public funds (joint punishment)"]
    if len(_broken(records)) >= BROKEN_COMMITMENTS_TO_DENY:
        return "D", [*why, "D: repeated broken commitments: no public funds (joint punishment)"]
    violations = kinds.count("violation")
    if violations >= VIOLATIONS_FOR_C:
        return "C", [*why, f"C: {violations} violation(s) in force"]
    if "redlist" in kinds:
        return "A", [*why, "A: on a red list, no violation in force"]
    return "B", [*why, "B: no record that raises or lowers the grade"]
