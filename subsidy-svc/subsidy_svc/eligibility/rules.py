"""One rule, one check: ``fact op value``. A missing fact never passes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from qinqing_shared.contracts.catalog import Rule
from qinqing_shared.contracts.subsidy import TraceEntry, seen_zh, subject_zh
from subsidy_svc.eligibility.facts import SOURCES, Fact, Facts, Sources

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda seen, value: seen == value,
    "ne": lambda seen, value: seen != value,
    "in": lambda seen, value: seen in value,
    "not_in": lambda seen, value: seen not in value,
    "le": lambda seen, value: seen <= value,
    "lt": lambda seen, value: seen < value,
    "ge": lambda seen, value: seen >= value,
    "gt": lambda seen, value: seen > value,
}


def holds(rule: Rule, seen: Fact, value: Any) -> bool:
    if seen is None or value is None:
        return False
    try:
        return _OPS[rule.op](seen, value)
    except TypeError:  # a fact of the wrong type for the operator does not pass
        return False


def value_for(rule: Rule, facts: Facts) -> tuple[Any, str | None]:
    """The value the clause compares with, and the fact it waits for if that is unknown."""
    if rule.value_by is None:
        return rule.value, None
    chooser = facts.get(rule.value_by.by)
    if chooser is None:
        return None, rule.value_by.by
    for band in sorted(rule.value_by.bands, key=lambda b: b.up_to):
        try:
            if chooser <= band.up_to:  # type: ignore[operator]
                return band.value, None
        except TypeError:  # not a number: no band holds
            return None, None
    return rule.value, None


def check(rule: Rule, facts: Facts, subject: str, sources: Sources | None = None) -> TraceEntry:
    """Evaluate a rule on the facts and say what was seen, and from which record."""
    seen = facts.get(rule.fact)
    value, waiting_for = value_for(rule, facts)
    missing = rule.fact if seen is None else waiting_for
    cited = (sources or {}).get(rule.fact)
    return TraceEntry(
        subject=subject,
        clause=rule.clause,
        requirement=rule.message,
        requirement_zh=rule.message_zh,
        seen=seen,
        passed=holds(rule, seen, value),
        missing_from=SOURCES.get(missing, "no department") if missing is not None else None,
        source=cited.cite() if cited is not None and seen is not None else None,
    )


def reason(entry: TraceEntry) -> str:
    """A failed clause in words: who, what was required, what was seen (or whose data
    is missing: an unknown fact never counts as a negative, nor as a pass)."""
    if entry.missing_from is not None:
        return f"{entry.subject}: {entry.requirement} (no record from {entry.missing_from})"
    return f"{entry.subject}: {entry.requirement} (seen: {entry.seen})"


def reason_zh(entry: TraceEntry) -> str:
    """The same failed clause in Chinese: the clause's Chinese words where the policy has
    them (its English words where it has none)."""
    said = f"{subject_zh(entry.subject)}：{entry.requirement_zh or entry.requirement}"
    if entry.missing_from is not None:
        return f"{said}（{entry.missing_from} 尚未报送数据）"
    return f"{said}（实际：{seen_zh(entry.seen)}）"
