"""Clawbacks: a payout made on a credit commitment found broken is demanded back. The
ledger books a receivable from the enterprise (its account goes negative by what it
owes) against the policy's recovery account; the payout stays completed (the bank paid
it), so reconciliation is unchanged. Never commits."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from payment_svc import ledger
from payment_svc.models import Clawback
from payment_svc.repository import PaymentRepository
from qinqing_shared import audit
from qinqing_shared.contracts.events import (
    CLAWBACK_DEMANDED,
    ApplicationClawedBack,
    ClawbackDemanded,
)
from qinqing_shared.contracts.payment import PayoutStatus
from qinqing_shared.outbox import Outbox

log = logging.getLogger("payment.clawbacks")


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
