"""What a department's record may carry: the contract's own checks, with ID numbers
published as examples (the validators' own tests use the same, test_ids.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from qinqing_shared.contracts.ingest import FactBatchIn, FactRecordIn, carries_id_number
from qinqing_shared.ids import id_check_char

EXAMPLE = "11010519491231002"  # GB 11643's example: its check character is X
WITH_X = EXAMPLE + id_check_char(EXAMPLE)
VALID = "11010519800101001" + id_check_char("11010519800101001")  # ends in a digit


@pytest.mark.parametrize(
    ("record_id", "carries"),
    [
        (f"HOU-{VALID}", True),
        (f"{VALID}", True),
        (f"7{VALID}9", True),  # inside a longer number
        (f"HOU-{WITH_X}", True),
        (f"HOU-{WITH_X.lower()}", True),  # a lower-case x is the same number
        ("HOU-123456789012345678", False),  # 18 digits, not an ID number: a sequence
        ("HOU-2026-000172", False),
        (VALID[:17], False),
    ],
)
def test_a_record_id_is_refused_only_when_it_carries_a_valid_id_number(
    record_id: str, carries: bool
) -> None:
    assert carries_id_number(record_id) is carries


def test_a_record_carrying_an_id_number_is_refused_with_the_reason() -> None:
    with pytest.raises(ValidationError) as refused:
        FactRecordIn.model_validate({"record_id": f"H-{VALID}", "as_of": "2026-10-31", "data": {}})
    [error] = refused.value.errors()
    assert error["msg"] == (
        "Value error, a record id must not contain an ID number (it is shown in traces)"
    )


def test_a_batch_holds_one_to_a_thousand_records() -> None:
    record = {"record_id": "H-1", "as_of": "2026-10-31", "data": {}}
    assert len(FactBatchIn.model_validate({"records": [record] * 1000}).records) == 1000
    for count in (0, 1001):
        with pytest.raises(ValidationError):
            FactBatchIn.model_validate({"records": [record] * count})
