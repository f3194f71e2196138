"""Payment contracts: budgets and payouts, in integer fen."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from qinqing_shared.contracts.identity import BankAccount
from qinqing_shared.contracts.money import Currency, Fen
from qinqing_shared.ids import Uscc


class PayoutStatus(StrEnum):
    RESERVED = "reserved"  # the budget holds the amount; not yet at the bank
    SENT = "sent"  # instructed; the bank has not confirmed
    COMPLETED = "completed"
    FAILED = "failed"
    REVERSED = "reversed"  # clawed back after it completed


class BudgetOpen(BaseModel):
    policy_id: str
    department_code: str
    amount_fen: Fen
    currency: Currency = "CNY"


class Budget(BaseModel):
    policy_id: str
    funded_fen: Fen
    paid_fen: Fen
    reserved_fen: Fen
    remaining_fen: Fen
    currency: Currency


class PayoutRequest(BaseModel):
    application_id: str = Field(description="Payouts are keyed by it: one per application")
    policy_id: str
    uscc: Uscc
    amount_fen: int = Field(gt=0, lt=2**63)
    currency: Currency = "CNY"
    payee: BankAccount
    order: str = Field(
        max_length=8000,
        description="subsidy-svc's signed payout order (with identity-svc's signed payee); "
        "every field above must match it",
    )


class Payout(BaseModel):
    id: str
    application_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    status: PayoutStatus
    bank_reference: str | None
    reason: str | None = None
    completed_at: dt.datetime | None
    offset_fen: Fen = Field(
        0,
        description="set off against what the enterprise owes back (its clawbacks); the "
        "bank pays amount_fen - offset_fen",
    )


FINAL_PAYOUT_STATUSES = (PayoutStatus.COMPLETED, PayoutStatus.FAILED, PayoutStatus.REVERSED)


class ReversalRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=300, description="Why the money comes back")


class LedgerBalance(BaseModel):
    accounts: int
    debits_fen: Fen
    credits_fen: Fen
    balanced: bool


class ClawbackOut(BaseModel):
    """What an enterprise is asked to pay back for a payout made on a broken commitment;
    its id is the reference to quote when paying."""

    id: str
    application_id: str
    payout_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    status: Literal["demanded", "partly_repaid", "repaid"]
    repaid_fen: Fen = Field(0, description="repaid so far; settled when it is amount_fen")
    offset_held_fen: Fen = Field(
        0, description="to be set off by payouts the bank has not paid yet"
    )
    reason: str
    demanded_at: dt.datetime
    settled_at: dt.datetime | None


class RefundOut(BaseModel):
    """A repayment owed back to the enterprise (the payout it repaid came back from the
    bank), sent back through the bank to the account it came from."""

    id: str
    clawback_id: str
    repayment_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    account_no: str = Field(description="masked: the last four digits")
    status: Literal["due", "sent", "completed", "failed", "returned"]
    reason: str | None
    created_at: dt.datetime
    settled_at: dt.datetime | None


class PayoutBatch(BaseModel):
    """Payouts made at once (a proactive run's): each as ``POST /payouts`` would make it
    alone, once per application id, with one bank instruction for the batch."""

    payouts: list[PayoutRequest] = Field(min_length=1, max_length=500)

    @field_validator("payouts")
    @classmethod
    def once_each(cls, payouts: list[PayoutRequest]) -> list[PayoutRequest]:
        """An application appears once in a batch: twice would be two instructions of
        one payout to the bank, and its settlement posted twice."""
        ids = [p.application_id for p in payouts]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"each application once in a batch; twice: {', '.join(twice)}")
        return payouts


class PayoutBatchItem(BaseModel):
    """Where one payout of a batch stands, or why it was not made (an RFC 9457 problem's
    body, as the same payout alone would have been answered)."""

    application_id: str
    payout: Payout | None = None
    problem: dict[str, Any] | None = None
