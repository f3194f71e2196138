"""What a decision says, in English and in Chinese, one sentence for one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Said:
    """Reasons added to a decision: ``zh`` holds the same sentences in Chinese, one for
    one; a reason given without Chinese words stands in English on both lists."""

    reasons: list[str]
    zh: list[str] | None = None

    def __post_init__(self) -> None:
        if self.zh is not None and len(self.zh) != len(self.reasons):
            raise ValueError("one Chinese sentence for each reason")

    def added_to(self, decision: dict[str, Any]) -> dict[str, Any]:
        """The decision with these reasons after its own. A decision recorded before it
        had Chinese reasons keeps its English ones on the Chinese list."""
        before = list(decision.get("reasons", []))
        before_zh = list(decision.get("reasons_zh", []))
        if len(before_zh) != len(before):
            before_zh = before
        return decision | {
            "reasons": [*before, *self.reasons],
            "reasons_zh": [*before_zh, *(self.reasons if self.zh is None else self.zh)],
        }
