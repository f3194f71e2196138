"""Logic of payment-svc: open budgets, pay once per application. Never commits."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.exc import IntegrityError

from payment_svc import ledger
from payment_svc.bank import BankConnector
from payment_svc.models import Budget, PayoutRow
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.events import (
    BUDGET_EXHAUSTED,
    PAYOUT_COMPLETED,
    BudgetExhausted,
    PayoutCompleted,
)
from qinqing_shared.contracts.payment import Budget as BudgetOut
from qinqing_shared.contracts.payment import BudgetOpen, Payout, PayoutRequest
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem, not_found


class BudgetExhaustedError(Exception):
    def __init__(self, policy_id: str, remaining_fen: int, requested_fen: int) -> None:
        super().__init__(f"budget of {policy_id} cannot cover {requested_fen} fen")
        self.data = BudgetExhausted(
            policy_id=policy_id, remaining_fen=remaining_fen, requested_fen=requested_fen
        )

    def problem(self) -> Problem:
        return Problem(
            409,
            "budget-exhausted",
            "Budget exhausted",
            f"The budget of policy {self.data.policy_id} has "
            f"{self.data.remaining_fen} fen left, {self.data.requested_fen} needed.",
            remaining_fen=self.data.remaining_fen,
        )


async def open_budget(repo: PaymentRepository, *, request: BudgetOpen) -> BudgetOut:
    """Open and fund a policy's budget once; opening it again changes nothing."""
    budget = await repo.budget(request.policy_id)
    if budget is None:
        budget = await _fund(repo, request)
    return to_budget(budget)


async def _fund(repo: PaymentRepository, request: BudgetOpen) -> Budget:
    account = ledger.budget_account(request.policy_id)
    funding = ledger.funding_account(request.department_code)
    await repo.ensure_account(account, "budget", request.currency)
    await repo.ensure_account(funding, "funding", request.currency)
    budget = Budget(
        policy_id=request.policy_id,
        account_id=account,
        department_code=request.department_code,
        currency=request.currency,
        funded_fen=request.amount_fen,
        paid_fen=0,
        remaining_fen=request.amount_fen,
    )
    repo.session.add(budget)
    if request.amount_fen:
        ledger.post(
            repo.session,
            kind="funding",
            reference=request.policy_id,
            debit=funding,
            credit=account,
            amount_fen=request.amount_fen,
            currency=request.currency,
        )
    return budget


def to_budget(budget: Budget) -> BudgetOut:
    return BudgetOut(
        policy_id=budget.policy_id,
        funded_fen=budget.funded_fen,
        paid_fen=budget.paid_fen,
        remaining_fen=budget.remaining_fen,
        currency=budget.currency,
    )


async def pay(
    repo: PaymentRepository, outbox: Outbox, bank: BankConnector, *, request: PayoutRequest
) -> Payout:
    """Pay an application once: asking again returns the first payout."""
    payout = await repo.payout_for(request.application_id) or await _claim(repo, request)
    _same_request(payout, request)
    if payout.status == "completed":
        return to_payout(payout)
    await repo.ensure_account(ledger.enterprise_account(payout.uscc), "enterprise", payout.currency)
    await repo.ensure_account(ledger.CLEARING, "clearing", payout.currency)
    await _reserve(repo, request)
    await _settle(repo, outbox, bank, payout)
    return to_payout(payout)


async def _claim(repo: PaymentRepository, request: PayoutRequest) -> PayoutRow:
    """Insert the payout row; under a race the unique application id lets one win."""
    if await repo.budget(request.policy_id) is None:
        raise not_found("Budget", request.policy_id)
    row = PayoutRow(
        id=str(uuid.uuid4()),
        application_id=request.application_id,
        policy_id=request.policy_id,
        uscc=request.uscc,
        amount_fen=request.amount_fen,
        currency=request.currency,
        payee_bank=request.payee.bank,
        payee_account_no=request.payee.account_no,
        status="pending",
        created_at=dt.datetime.now(dt.UTC),
    )
    try:
        async with repo.session.begin_nested():
            repo.session.add(row)
    except IntegrityError:
        existing = await repo.payout_for(request.application_id)
        assert existing is not None
        return existing
    return row


def _same_request(payout: PayoutRow, request: PayoutRequest) -> None:
    if (payout.uscc, payout.amount_fen, payout.policy_id) != (
        request.uscc,
        request.amount_fen,
        request.policy_id,
    ):
        raise Problem(
            409,
            "payout-conflict",
            "Payout already exists",
            f"Application {request.application_id} already has a payout of "
            f"{payout.amount_fen} fen to {payout.uscc}.",
        )


async def _reserve(repo: PaymentRepository, request: PayoutRequest) -> None:
    if not await repo.reserve(request.policy_id, request.amount_fen):
        budget = await repo.budget(request.policy_id)
        remaining = budget.remaining_fen if budget else 0
        raise BudgetExhaustedError(request.policy_id, remaining, request.amount_fen)
    ledger.post(
        repo.session,
        kind="payout",
        reference=request.application_id,
        debit=ledger.budget_account(request.policy_id),
        credit=ledger.enterprise_account(request.uscc),
        amount_fen=request.amount_fen,
        currency=request.currency,
    )


async def _settle(
    repo: PaymentRepository, outbox: Outbox, bank: BankConnector, payout: PayoutRow
) -> None:
    receipt = await bank.initiate_payout(
        instruction_id=payout.id,
        account_no=payout.payee_account_no,
        amount_fen=payout.amount_fen,
        currency=payout.currency,
    )
    ledger.post(
        repo.session,
        kind="settlement",
        reference=payout.application_id,
        debit=ledger.enterprise_account(payout.uscc),
        credit=ledger.CLEARING,
        amount_fen=payout.amount_fen,
        currency=payout.currency,
    )
    payout.status, payout.bank_reference = receipt.status, receipt.reference
    payout.completed_at = dt.datetime.now(dt.UTC)
    event = PayoutCompleted(
        payout_id=payout.id,
        application_id=payout.application_id,
        policy_id=payout.policy_id,
        uscc=payout.uscc,
        amount_fen=payout.amount_fen,
        currency=payout.currency,
        bank_reference=receipt.reference,
    )
    outbox.add(repo.session, PAYOUT_COMPLETED, event.model_dump(), key=payout.application_id)


async def record_exhausted(
    repo: PaymentRepository, outbox: Outbox, error: BudgetExhaustedError
) -> None:
    """Publish budget.exhausted the first time a budget cannot cover a payout."""
    if await repo.mark_exhausted(error.data.policy_id):
        outbox.add(
            repo.session, BUDGET_EXHAUSTED, error.data.model_dump(), key=error.data.policy_id
        )


def to_payout(row: PayoutRow) -> Payout:
    return Payout(
        id=row.id,
        application_id=row.application_id,
        policy_id=row.policy_id,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        status=row.status,
        bank_reference=row.bank_reference,
        completed_at=row.completed_at,
    )
