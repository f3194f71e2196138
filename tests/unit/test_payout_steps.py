"""What a word of the bank does to a payout: every status against every word."""

from __future__ import annotations

import pytest

from payment_svc import ledger
from payment_svc.budgets import BudgetExhaustedError
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


@pytest.mark.parametrize("amount", [0, -5])
async def test_a_transfer_moves_a_positive_amount_only(amount: int) -> None:
    move = ledger.Move("payout", "hold:p", "enterprise:x")
    with pytest.raises(ValueError, match=r"^a transfer moves a positive amount$"):
        await ledger.post(
            None,  # type: ignore[arg-type]  # refused before the session is used
            [move],
            reference="a-1",
            amount_fen=amount,
            currency="CNY",
        )


def test_an_exhausted_budget_says_what_is_left_and_what_was_needed() -> None:
    error = BudgetExhaustedError("p-1", 120, 500)
    assert str(error) == "budget of p-1 cannot cover 500 fen"
    assert error.problem().body() == {
        "type": "urn:qinqing:problem:budget-exhausted",
        "title": error.problem().title,
        "status": 409,
        "detail": "The budget of policy p-1 has 120 fen left, 500 needed.",
        "remaining_fen": 120,
    }
