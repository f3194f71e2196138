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
from payment_svc.models import Clawback, ClawbackRepayment
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
    """Take the transfer for the clawback it quotes, once per transfer (the same transfer
    told again answers the clawback as it stands). A part of what is owed is taken and the
    rest stays owed; more than is owed, or another currency, is refused, for the bank to
    return. Settled when repaid in full."""
    row = await repo.clawback(transfer.reference, lock=True)
    if row is None:
        raise UnknownReference(f"No clawback {transfer.reference!r} was demanded.")
    taken = await repo.session.get(ClawbackRepayment, transfer.transfer_id)
    if taken is not None:
        if taken.clawback_id == row.id and taken.amount_fen == transfer.amount_fen:
            return row
        raise RepaymentMismatch(
            f"Transfer {transfer.transfer_id} was taken before, for another repayment."
        )
    if row.status == "repaid":
        raise AlreadyRepaid(f"Clawback {row.id} was repaid by transfer {row.repayment_id}.")
    owed = row.amount_fen - row.repaid_fen
    if transfer.currency != row.currency or transfer.amount_fen > owed:
        raise RepaymentMismatch(
            f"Clawback {row.id} has {owed} fen in {row.currency} still owed; "
            f"{transfer.amount_fen} in {transfer.currency} was paid (more than is owed "
            "is not taken)."
        )
    await _take(repo, row, transfer)
    if row.repaid_fen < row.amount_fen:
        row.status = "partly_repaid"
        _audit(outbox, repo, row, "clawback.partly-repaid")
        return row
    row.status, row.settled_at = "repaid", dt.datetime.now(dt.UTC)
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
    _audit(outbox, repo, row, "clawback.repaid")
    return row


async def _take(repo: PaymentRepository, row: Clawback, transfer: IncomingTransfer) -> None:
    """The part repaid moves from the bank to the receivable, and from the recovery back
    to the policy's budget."""
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
        amount_fen=transfer.amount_fen,
        currency=row.currency,
    )
    await repo.give_back(row.policy_id, transfer.amount_fen)
    repo.session.add(
        ClawbackRepayment(
            transfer_id=transfer.transfer_id,
            clawback_id=row.id,
            amount_fen=transfer.amount_fen,
            received_at=transfer.received_at,
        )
    )
    row.repaid_fen += transfer.amount_fen
    row.repayment_id = transfer.transfer_id


def _audit(outbox: Outbox, repo: PaymentRepository, row: Clawback, action: str) -> None:
    audit.record(
        outbox,
        repo.session,
        actor="payment-svc",
        action=action,
        object_type="payout",
        object_id=row.payout_id,
        uscc=row.uscc,
    )


async def settle_by_return(
    repo: PaymentRepository, outbox: Outbox, row: Clawback, payout_id: str
) -> None:
    """The bank returned the clawed-back payout: the money came back, so what is still
    owed is settled by it (the receivable from the returned money, the recovery back
    into the budget) and the clawback is repaid. The part the enterprise had repaid
    already was paid twice: it stays in ``enterprise:<uscc>``, owed back to it."""
    owed = row.amount_fen - row.repaid_fen
    enterprise = ledger.enterprise_account(row.uscc)
    await ledger.post(
        repo.session,
        [ledger.Move("reversal", ledger.CLEARING, enterprise)],
        reference=row.application_id,
        amount_fen=row.amount_fen,
        currency=row.currency,
    )
    if owed:
        await ledger.post(
            repo.session,
            [
                ledger.Move("repayment", enterprise, ledger.receivable_account(row.uscc)),
                ledger.Move(
                    "recovered",
                    ledger.recovery_account(row.policy_id),
                    ledger.budget_account(row.policy_id),
                ),
            ],
            reference=row.application_id,
            amount_fen=owed,
            currency=row.currency,
        )
        await repo.give_back(row.policy_id, owed)
        transfer = f"return:{payout_id}"
        now = dt.datetime.now(dt.UTC)
        repo.session.add(
            ClawbackRepayment(
                transfer_id=transfer, clawback_id=row.id, amount_fen=owed, received_at=now
            )
        )
        row.repaid_fen, row.repayment_id = row.amount_fen, transfer
    row.status, row.settled_at = "repaid", dt.datetime.now(dt.UTC)
    event = ClawbackRepaid(
        clawback_id=row.id,
        application_id=row.application_id,
        policy_id=row.policy_id,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        transfer_id=row.repayment_id or f"return:{payout_id}",
    )
    outbox.add(repo.session, CLAWBACK_REPAID, event.model_dump(), key=row.application_id)
    _audit(outbox, repo, row, "clawback.repaid-by-return")
