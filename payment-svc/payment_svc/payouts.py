"""The payout lifecycle: reserve, then settle or release on the bank's word. Never commits.

The bank is called between transactions, never inside one: ``reserve`` commits first,
then the bank is asked, then ``apply_receipt`` commits what it said.
"""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.exc import IntegrityError

from payment_svc import clawbacks, ledger, refunds
from payment_svc.bank.connector import Receipt
from payment_svc.budgets import BudgetExhaustedError
from payment_svc.errors import PayoutConflict, PayoutNotCompleted
from payment_svc.models import PayoutRow
from payment_svc.repository import PaymentRepository
from qinqing_shared import audit
from qinqing_shared.contracts.bank import BankStatus
from qinqing_shared.contracts.events import (
    PAYOUT_COMPLETED,
    PAYOUT_FAILED,
    PAYOUT_REVERSED,
    PayoutCompleted,
    PayoutFailed,
    PayoutReversed,
)
from qinqing_shared.contracts.payment import Payout, PayoutRequest, PayoutStatus
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import not_found


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class PayoutExistsError(Exception):
    """The application has a payout already: roll back, then answer that one."""


async def reserve(repo: PaymentRepository, *, request: PayoutRequest) -> PayoutRow:
    """The application's new payout, its amount taken from the budget in one transaction.

    What the enterprise still owes back (clawbacks) is set off against it: held now,
    taken when the bank pays the rest (``offset_fen``; the bank is asked for the rest).

    The payout is inserted first, unless the application has one (PayoutExistsError:
    roll back, then ``existing`` answers, even from an empty budget). The budget is
    taken last, just before the commit: every payout of a policy updates that one row,
    so it stays locked for the shortest time. A budget that cannot cover the amount
    raises BudgetExhaustedError, which rolls the payout and its postings back.
    """
    values = new_payout(request)
    offsets = await clawbacks.hold_offsets(repo, values)  # what the enterprise owes
    row = PayoutRow(**values)  # not added to the session: inserted as a row below
    try:
        inserted = await repo.add_payout(values)
    except IntegrityError:  # the payout's foreign key: no budget for this policy
        raise not_found("Budget", request.policy_id) from None
    if not inserted:
        raise PayoutExistsError(request.application_id)  # one insert won; the other waited
    repo.session.add_all(offsets)
    await repo.open_account(ledger.enterprise_account(row.uscc), "enterprise", row.currency)
    await _post(
        repo,
        row,
        ledger.Move(
            "reservation", ledger.budget_account(row.policy_id), ledger.hold_account(row.policy_id)
        ),
    )
    if not await repo.reserve(row.policy_id, row.amount_fen):
        budget = await repo.budget(request.policy_id)
        assert budget is not None  # the payout's foreign key found it
        raise BudgetExhaustedError(row.policy_id, budget.remaining_fen, row.amount_fen)
    return row


async def existing(repo: PaymentRepository, request: PayoutRequest) -> PayoutRow:
    """The payout an application already has, if the request is the same one."""
    row = await repo.payout_for(request.application_id)
    if row is None:  # it was there a moment ago: payouts are never deleted
        raise RuntimeError(f"the payout of {request.application_id} vanished")
    _same_request(row, request)
    return row


def new_payout(request: PayoutRequest) -> dict[str, object]:
    now = _now()
    return {
        "id": str(uuid.uuid4()),
        "application_id": request.application_id,
        "policy_id": request.policy_id,
        "uscc": request.uscc,
        "amount_fen": request.amount_fen,
        "currency": request.currency,
        "payee_bank": request.payee.bank,
        "payee_account_no": request.payee.account_no,
        "status": PayoutStatus.RESERVED,
        "created_at": now,
        "updated_at": now,
    }


def _same_request(payout: PayoutRow, request: PayoutRequest) -> None:
    if (payout.uscc, payout.amount_fen, payout.policy_id) != (
        request.uscc,
        request.amount_fen,
        request.policy_id,
    ):
        raise PayoutConflict(
            f"Application {request.application_id} already has a payout of "
            f"{payout.amount_fen} fen to {payout.uscc}.",
        )


async def _post(repo: PaymentRepository, row: PayoutRow, *moves: ledger.Move) -> None:
    await _post_part(repo, row, row.amount_fen, *moves)


async def _post_part(
    repo: PaymentRepository, row: PayoutRow, amount_fen: int, *moves: ledger.Move
) -> None:
    await ledger.post(
        repo.session,
        moves,
        reference=row.application_id,
        amount_fen=amount_fen,
        currency=row.currency,
    )


async def apply_receipt(
    repo: PaymentRepository, outbox: Outbox, payout: PayoutRow, receipt: Receipt
) -> None:
    """Move the payout to what the bank says; a repeated or stale word changes nothing."""
    step = next_step(payout.status, receipt.status)
    if step == "settle":
        await _settle(repo, outbox, payout, receipt)
    elif step == "release":
        await _release(repo, outbox, payout, receipt.reason or "refused by the bank")
    elif step == "send":
        payout.status, payout.updated_at = PayoutStatus.SENT, _now()
    elif step == "reverse":
        await reverse(repo, outbox, payout, f"returned by the bank: {receipt.reason}")


def next_step(status: str, bank_says: str) -> str | None:
    """What the bank's word does to a payout in ``status``; None: nothing (seen before)."""
    if status in (PayoutStatus.RESERVED, PayoutStatus.SENT):
        if bank_says == BankStatus.COMPLETED:
            return "settle"
        if bank_says == BankStatus.FAILED:
            return "release"
        return "send" if status == PayoutStatus.RESERVED else None
    if status == PayoutStatus.COMPLETED and bank_says == BankStatus.FAILED:
        return "reverse"
    return None


def bank_part(row: PayoutRow) -> int:
    """What the bank pays: the amount less what is set off against clawbacks."""
    return row.amount_fen - row.offset_fen


async def _settle(
    repo: PaymentRepository, outbox: Outbox, row: PayoutRow, receipt: Receipt
) -> None:
    enterprise = ledger.enterprise_account(row.uscc)
    await _post(repo, row, ledger.Move("payout", ledger.hold_account(row.policy_id), enterprise))
    if bank_part(row):
        await _post_part(
            repo, row, bank_part(row), ledger.Move("settlement", enterprise, ledger.CLEARING)
        )
    if row.offset_fen:
        await clawbacks.take_offsets(repo, outbox, row)
    completed(repo, outbox, row, receipt.reference)
    await repo.settle(row.policy_id, row.amount_fen)  # the shared row last (see reserve)


def completed(
    repo: PaymentRepository, outbox: Outbox, row: PayoutRow, reference: str | None
) -> None:
    """The payout completed by the bank: its event and its audit record."""
    row.status, row.bank_reference = PayoutStatus.COMPLETED, reference
    row.completed_at = row.updated_at = _now()
    event = PayoutCompleted(
        bank_reference=reference or "", offset_fen=row.offset_fen, **event_fields(row)
    )
    outbox.add(repo.session, PAYOUT_COMPLETED, event.model_dump(), key=row.application_id)
    audit.record(
        outbox,
        repo.session,
        actor="payment-svc",
        action="payout.completed",
        object_type="payout",
        object_id=row.id,
        uscc=row.uscc,
    )


async def _release(repo: PaymentRepository, outbox: Outbox, row: PayoutRow, reason: str) -> None:
    await _post(
        repo,
        row,
        ledger.Move(
            "release", ledger.hold_account(row.policy_id), ledger.budget_account(row.policy_id)
        ),
    )
    if row.offset_fen:
        await clawbacks.release_offsets(repo, row)
    row.status, row.reason, row.updated_at = PayoutStatus.FAILED, reason, _now()
    event = PayoutFailed(reason=reason, **event_fields(row))
    outbox.add(repo.session, PAYOUT_FAILED, event.model_dump(), key=row.application_id)
    await repo.release(row.policy_id, row.amount_fen)  # the shared row last (see reserve)


async def reverse(
    repo: PaymentRepository, outbox: Outbox, row: PayoutRow, reason: str, by: str = "payment-svc"
) -> None:
    """Bring a completed payout's money back to the budget by compensating transfers."""
    if row.status == PayoutStatus.REVERSED:
        return
    if row.status != PayoutStatus.COMPLETED:
        raise PayoutNotCompleted(
            f"Only a completed payout can be reversed; this one is {row.status}.",
        )
    enterprise = ledger.enterprise_account(row.uscc)
    if bank_part(row):  # the money the bank paid comes back
        await _post_part(
            repo, row, bank_part(row), ledger.Move("reversal", ledger.CLEARING, enterprise)
        )
    if row.offset_fen:  # what it set off is owed again (and back in the enterprise's account)
        await clawbacks.undo_offsets(repo, outbox, row)
    clawback = await repo.clawback_for(row.application_id, lock=True)
    if clawback is not None and clawback.status != "repaid":
        # demanded back already: the returned money settles the demand (clawbacks.py)
        await clawbacks.settle_by_return(repo, outbox, clawback, row)
    elif clawback is None:
        await repo.give_back(row.policy_id, row.amount_fen)
        await _post(
            repo, row, ledger.Move("reversal", enterprise, ledger.budget_account(row.policy_id))
        )
    else:  # repaid in full already: the returned money is owed back, and refunded
        await refunds.owe_back(repo, clawback, row.payee_account_no)
    row.status, row.reason, row.updated_at = PayoutStatus.REVERSED, reason, _now()
    event = PayoutReversed(reason=reason, **event_fields(row))
    outbox.add(repo.session, PAYOUT_REVERSED, event.model_dump(), key=row.application_id)
    audit.record(
        outbox,
        repo.session,
        actor=by,
        action="payout.reversed",
        object_type="payout",
        object_id=row.id,
        uscc=row.uscc,
    )


def event_fields(row: PayoutRow) -> dict[str, object]:
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
        offset_fen=row.offset_fen,
    )
