"""Clawbacks: a payout made on a credit commitment found broken is demanded back. The
ledger books a receivable from the enterprise (its account goes negative by what it
owes) against the policy's recovery account; the payout stays completed (the bank paid
it), so reconciliation is unchanged. The bank's report of the repayment (an incoming
transfer quoting the clawback's id) settles it: the receivable back to zero, the money
back in the budget. Never commits."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from payment_svc import ledger
from payment_svc.errors import AlreadyRepaid, RepaymentMismatch, UnknownReference
from payment_svc.models import Clawback
from payment_svc.repository import PaymentRepository
from qinqing_shared import audit
from qinqing_shared.contracts.bank import IncomingTransfer
from qinqing_shared.contracts.events import (
    CLAWBACK_DEMANDED,
    CLAWBACK_REPAID,
    ApplicationClawedBack,
    ClawbackDemanded,
    ClawbackRepaid,
)
from qinqing_shared.contracts.payment import ClawbackOut, PayoutStatus
from qinqing_shared.outbox import Outbox

log = logging.getLogger("payment.clawbacks")


def clawback_out(row: Clawback) -> ClawbackOut:
    return ClawbackOut.model_validate(row, from_attributes=True)


class PayoutNotSettled(Exception):
    """The application's payout is not final yet: the clawback waits for it (the event
    comes again)."""


async def demand(
    repo: PaymentRepository, outbox: Outbox, clawed: ApplicationClawedBack
) -> Clawback | None:
    """Book and demand what the application's completed payout paid, once. Nothing is
    owed for a payout the bank refused or that already came back."""
    known = await repo.clawback_for(clawed.application_id)
    if known is not None:
        return known
    payout = await repo.payout_for(clawed.application_id, lock=True)
    if payout is None or payout.status in (PayoutStatus.RESERVED, PayoutStatus.SENT):
        raise PayoutNotSettled(f"the payout of {clawed.application_id} is not settled yet")
    if payout.status != PayoutStatus.COMPLETED:
        log.info("nothing to claw back for %s: its payout is %s", payout.id, payout.status)
        return None
    now = dt.datetime.now(dt.UTC)
    row = Clawback(
        id=str(uuid.uuid4()),
        application_id=payout.application_id,
        payout_id=payout.id,
        policy_id=payout.policy_id,
        uscc=payout.uscc,
        amount_fen=payout.amount_fen,
        currency=payout.currency,
        status="demanded",
        reason=clawed.reason[:300],
        demanded_at=now,
    )
    repo.session.add(row)
    receivable = ledger.receivable_account(row.uscc)
    recovery = ledger.recovery_account(row.policy_id)
    await repo.open_account(receivable, "receivable", row.currency)
    await repo.open_account(recovery, "recovery", row.currency)
    await ledger.post(
        repo.session,
        [ledger.Move("clawback", receivable, recovery)],
        reference=row.application_id,
        amount_fen=row.amount_fen,
        currency=row.currency,
    )
    event = ClawbackDemanded(
        clawback_id=row.id,
        application_id=row.application_id,
        payout_id=row.payout_id,
        policy_id=row.policy_id,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        reason=row.reason,
    )
    outbox.add(repo.session, CLAWBACK_DEMANDED, event.model_dump(), key=row.application_id)
    audit.record(
        outbox,
        repo.session,
        actor="payment-svc",
        action="clawback.demanded",
        object_type="payout",
        object_id=row.payout_id,
        uscc=row.uscc,
    )
    return row


async def repaid(repo: PaymentRepository, outbox: Outbox, transfer: IncomingTransfer) -> Clawback:
    """Settle the clawback the transfer quotes, once (the same transfer told again
    answers it); anything but the amount demanded is refused, for the bank to return."""
    row = await repo.clawback(transfer.reference, lock=True)
    if row is None:
        raise UnknownReference(f"No clawback {transfer.reference!r} was demanded.")
    if row.status == "repaid":
        if row.repayment_id == transfer.transfer_id:
            return row
        raise AlreadyRepaid(f"Clawback {row.id} was repaid by transfer {row.repayment_id}.")
    if (transfer.amount_fen, transfer.currency) != (row.amount_fen, row.currency):
        raise RepaymentMismatch(
            f"Clawback {row.id} demands {row.amount_fen} fen in {row.currency}; "
            f"{transfer.amount_fen} in {transfer.currency} was paid (partial repayments "
            "are not taken)."
        )
    await ledger.post(
        repo.session,
        [
            ledger.Move("repayment", ledger.CLEARING, ledger.receivable_account(row.uscc)),
            ledger.Move(
                "recovered",
                ledger.recovery_account(row.policy_id),
                ledger.budget_account(row.policy_id),
            ),
        ],
        reference=row.application_id,
        amount_fen=row.amount_fen,
        currency=row.currency,
    )
    await repo.give_back(row.policy_id, row.amount_fen)
    row.status, row.repayment_id = "repaid", transfer.transfer_id
    row.settled_at = dt.datetime.now(dt.UTC)
    event = ClawbackRepaid(
        clawback_id=row.id,
        application_id=row.application_id,
        policy_id=row.policy_id,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        transfer_id=transfer.transfer_id,
    )
    outbox.add(repo.session, CLAWBACK_REPAID, event.model_dump(), key=row.application_id)
    audit.record(
        outbox,
        repo.session,
        actor="payment-svc",
        action="clawback.repaid",
        object_type="payout",
        object_id=row.payout_id,
        uscc=row.uscc,
    )
    return row
