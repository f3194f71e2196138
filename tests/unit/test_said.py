"""What a decision says, in English and Chinese, one for one (subsidy_svc.said)."""

from __future__ import annotations

import pytest

from subsidy_svc.said import Said


def test_reasons_are_added_after_the_decision_s_own_in_both_languages() -> None:
    decision = {"outcome": "eligible", "reasons": ["a"], "reasons_zh": ["甲"]}
    assert Said(["b"], ["乙"]).added_to(decision) == {
        "outcome": "eligible",
        "reasons": ["a", "b"],
        "reasons_zh": ["甲", "乙"],
    }
    assert decision["reasons"] == ["a"], "the decision itself is left as it was"


def test_a_reason_without_chinese_words_stands_in_english_on_both_lists() -> None:
    assert Said(["bank said no"]).added_to({"reasons": [], "reasons_zh": []}) == {
        "reasons": ["bank said no"],
        "reasons_zh": ["bank said no"],
    }


def test_a_decision_recorded_before_chinese_reasons_keeps_its_english_on_both() -> None:
    assert Said(["b"], ["乙"]).added_to({"reasons": ["a"]}) == {
        "reasons": ["a", "b"],
        "reasons_zh": ["a", "乙"],
    }


def test_chinese_reasons_come_one_for_one_or_not_at_all() -> None:
    with pytest.raises(ValueError, match="one Chinese sentence for each reason"):
        Said(["a", "b"], ["甲"])
