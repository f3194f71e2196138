"""The payout lifecycle: reserve, then settle or release on the bank's word. Never commits.

The bank is called between transactions, never inside one: ``reserve`` commits first,
then the bank is asked, then ``apply_receipt`` commits what it said.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.exc import IntegrityError

from payment_svc import ledger
from payment_svc.bank.connector import Receipt
from payment_svc.budgets import BudgetExhaustedError
from payment_svc.models import PayoutRow
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.events import (
    PAYOUT_COMPLETED,
    PAYOUT_FAILED,
    PAYOUT_REVERSED,
    PayoutCompleted,
    PayoutFailed,
    PayoutReversed,
)
from qinqing_shared.contracts.payment import Payout, PayoutRequest
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem, not_found


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def reserve(repo: PaymentRepository, *, request: PayoutRequest) -> PayoutRow:
    """The application's payout, reserving its amount from the budget the first time."""
    existing = await repo.payout_for(request.application_id)
    if existing is not None:
        _same_request(existing, request)
        return existing
    if await repo.budget(request.policy_id) is None:
        raise not_found("Budget", request.policy_id)
    row = _new_payout(request)
    try:
        async with repo.session.begin_nested():
            repo.session.add(row)
    except IntegrityError:  # a concurrent request for the same application won
        winner = await repo.payout_for(request.application_id)
        assert winner is not None
        _same_request(winner, request)
        return winner
    await _reserve_budget(repo, row)
    return row


def _new_payout(request: PayoutRequest) -> PayoutRow:
    return PayoutRow(
        id=str(uuid.uuid4()),
        application_id=request.application_id,
        policy_id=request.policy_id,
        uscc=request.uscc,
        amount_fen=request.amount_fen,
        currency=request.currency,
        payee_bank=request.payee.bank,
        payee_account_no=request.payee.account_no,
        status="reserved",
        created_at=_now(),
        updated_at=_now(),
    )


async def _reserve_budget(repo: PaymentRepository, row: PayoutRow) -> None:
    if not await repo.reserve(row.policy_id, row.amount_fen):
        budget = await repo.budget(row.policy_id)
        raise BudgetExhaustedError(
            row.policy_id, budget.remaining_fen if budget else 0, row.amount_fen
        )
    await repo.ensure_account(ledger.hold_account(row.policy_id), "hold", row.currency)
    await repo.ensure_account(ledger.enterprise_account(row.uscc), "enterprise", row.currency)
    await repo.ensure_account(ledger.CLEARING, "clearing", row.currency)
    _post(
        repo,
        row,
        "reservation",
        ledger.budget_account(row.policy_id),
        ledger.hold_account(row.policy_id),
    )


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


def _post(repo: PaymentRepository, row: PayoutRow, kind: str, debit: str, credit: str) -> None:
    ledger.post(
        repo.session,
        kind=kind,
        reference=row.application_id,
        debit=debit,
        credit=credit,
        amount_fen=row.amount_fen,
        currency=row.currency,
    )


async def apply_receipt(
    repo: PaymentRepository, outbox: Outbox, payout: PayoutRow, receipt: Receipt
) -> None:
    """Move the payout to what the bank says; a repeated or stale word changes nothing."""
    if payout.status in ("reserved", "sent"):
        if receipt.status == "completed":
            await _settle(repo, outbox, payout, receipt)
        elif receipt.status == "failed":
            await _release(repo, outbox, payout, receipt.reason or "refused by the bank")
        elif payout.status == "reserved":
            payout.status, payout.updated_at = "sent", _now()
    elif payout.status == "completed" and receipt.status == "failed":
        await reverse(repo, outbox, payout, f"returned by the bank: {receipt.reason}")


async def _settle(
    repo: PaymentRepository, outbox: Outbox, row: PayoutRow, receipt: Receipt
) -> None:
    await repo.settle(row.policy_id, row.amount_fen)
    _post(
        repo, row, "payout", ledger.hold_account(row.policy_id), ledger.enterprise_account(row.uscc)
    )
    _post(repo, row, "settlement", ledger.enterprise_account(row.uscc), ledger.CLEARING)
    row.status, row.bank_reference = "completed", receipt.reference
    row.completed_at = row.updated_at = _now()
    event = PayoutCompleted(bank_reference=receipt.reference or "", **_event_fields(row))
    outbox.add(repo.session, PAYOUT_COMPLETED, event.model_dump(), key=row.application_id)


async def _release(repo: PaymentRepository, outbox: Outbox, row: PayoutRow, reason: str) -> None:
    await repo.release(row.policy_id, row.amount_fen)
    _post(
        repo,
        row,
        "release",
        ledger.hold_account(row.policy_id),
        ledger.budget_account(row.policy_id),
    )
    row.status, row.reason, row.updated_at = "failed", reason, _now()
    event = PayoutFailed(reason=reason, **_event_fields(row))
    outbox.add(repo.session, PAYOUT_FAILED, event.model_dump(), key=row.application_id)


async def reverse(repo: PaymentRepository, outbox: Outbox, row: PayoutRow, reason: str) -> None:
    """Bring a completed payout's money back to the budget by compensating transfers."""
    if row.status == "reversed":
        return
    if row.status != "completed":
        raise Problem(
            409,
            "payout-not-completed",
            "Payout not completed",
            f"Only a completed payout can be reversed; this one is {row.status}.",
        )
    await repo.give_back(row.policy_id, row.amount_fen)
    _post(repo, row, "reversal", ledger.CLEARING, ledger.enterprise_account(row.uscc))
    _post(
        repo,
        row,
        "reversal",
        ledger.enterprise_account(row.uscc),
        ledger.budget_account(row.policy_id),
    )
    row.status, row.reason, row.updated_at = "reversed", reason, _now()
    event = PayoutReversed(reason=reason, **_event_fields(row))
    outbox.add(repo.session, PAYOUT_REVERSED, event.model_dump(), key=row.application_id)


def _event_fields(row: PayoutRow) -> dict[str, object]:
    return {
        "payout_id": row.id,
        "application_id": row.application_id,
        "policy_id": row.policy_id,
        "uscc": row.uscc,
        "amount_fen": row.amount_fen,
        "currency": row.currency,
    }


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
        reason=row.reason,
        completed_at=row.completed_at,
    )
