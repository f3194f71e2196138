"""Event subjects and the data each carries (no unmasked personal data)."""

from __future__ import annotations

from pydantic import BaseModel

from qinqing_shared.contracts.money import Currency, Fen

APPLICATION_SUBMITTED = "qinqing.subsidy.application.submitted.v1"
APPLICATION_APPROVED = "qinqing.subsidy.application.approved.v1"
APPLICATION_REJECTED = "qinqing.subsidy.application.rejected.v1"
APPLICATION_PAID = "qinqing.subsidy.application.paid.v1"
CREDIT_CHECK_COMPLETED = "qinqing.credit.check.completed.v1"
PAYOUT_COMPLETED = "qinqing.payment.payout.completed.v1"
PAYOUT_FAILED = "qinqing.payment.payout.failed.v1"
PAYOUT_REVERSED = "qinqing.payment.payout.reversed.v1"
BUDGET_EXHAUSTED = "qinqing.payment.budget.exhausted.v1"
BUDGET_OPENED = "qinqing.payment.budget.opened.v1"


class ApplicationSubmitted(BaseModel):
    application_id: str
    policy_id: str
    uscc: str


class ApplicationApproved(BaseModel):
    application_id: str
    policy_id: str
    policy_version: int
    uscc: str
    amount_fen: Fen
    currency: Currency
    beneficiaries: int


class ApplicationRejected(BaseModel):
    application_id: str
    policy_id: str
    uscc: str
    reasons: list[str]


class CreditCheckCompleted(BaseModel):
    check_id: str
    application_id: str
    uscc: str
    allowed: bool
    reasons: list[str]


class PayoutCompleted(BaseModel):
    payout_id: str
    application_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    bank_reference: str


class BudgetExhausted(BaseModel):
    policy_id: str
    remaining_fen: Fen
    requested_fen: Fen


class PayoutFailed(BaseModel):
    """A payout the bank refused; its reservation went back to the budget."""

    payout_id: str
    application_id: str
    policy_id: str
    uscc: str
    amount_fen: Fen
    currency: Currency
    reason: str


class PayoutReversed(PayoutFailed):
    """A completed payout whose money came back (a return or a clawback)."""
