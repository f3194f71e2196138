"""What a word of the bank does to a payout: every status against every word."""

from __future__ import annotations

import pytest

from payment_svc.payouts import next_step


@pytest.mark.parametrize(
    ("status", "bank_says", "step"),
    [
        ("reserved", "completed", "settle"),
        ("reserved", "failed", "release"),
        ("reserved", "pending", "send"),
        ("sent", "completed", "settle"),
        ("sent", "failed", "release"),
        ("sent", "pending", None),
        ("completed", "completed", None),  # the callback after a synchronous answer
        ("completed", "pending", None),
        ("completed", "failed", "reverse"),  # returned by the bank
        ("failed", "completed", None),
        ("failed", "failed", None),
        ("reversed", "failed", None),
        ("reversed", "completed", None),
    ],
)
def test_a_word_moves_a_payout_once(status: str, bank_says: str, step: str | None) -> None:
    assert next_step(status, bank_says) == step
