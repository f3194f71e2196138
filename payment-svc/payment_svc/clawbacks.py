"""Clawbacks: a payout made on a credit commitment found broken is demanded back. The
ledger books a receivable from the enterprise (its account goes negative by what it
owes) against the policy's recovery account; the payout stays completed (the bank paid
it), so reconciliation is unchanged. The bank's report of the repayment (an incoming
transfer quoting the clawback's id) settles it: the receivable back to zero, the money
back in the budget. A payout to an enterprise that owes something is set off against it
(the oldest demand first): the part set off is held when the payout is reserved, taken
when the bank pays the rest, released if the bank refuses it and undone if the bank
returns it. Never commits."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from payment_svc import ledger, refunds
from payment_svc.errors import AlreadyRepaid, RepaymentMismatch, UnknownReference
from payment_svc.models import Clawback, ClawbackRepayment, PayoutOffset, PayoutRow
from payment_svc.repository import PaymentRepository
from qinqing_shared import audit
from qinqing_shared.contracts.bank import IncomingTransfer
from qinqing_shared.contracts.events import (
    CLAWBACK_DEMANDED,
    CLAWBACK_REOPENED,
    CLAWBACK_REPAID,
    ApplicationClawedBack,
    ClawbackDemanded,
    ClawbackReopened,
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
    owed = row.amount_fen - row.repaid_fen - row.offset_held_fen
    if transfer.currency != row.currency or transfer.amount_fen > owed:
        held = (
            f" ({row.offset_held_fen} fen more are being set off against a payout)"
            if row.offset_held_fen
            else ""
        )
        raise RepaymentMismatch(
            f"Clawback {row.id} has {owed} fen in {row.currency} still owed{held}; "
            f"{transfer.amount_fen} in {transfer.currency} was paid (more than is owed "
            "is not taken)."
        )
    part = Repayment(
        transfer.transfer_id, transfer.amount_fen, transfer.received_at, ledger.CLEARING
    )
    await _take(repo, row, part, payer=transfer.payer_account_no)
    _settled(repo, outbox, row)
    return row


@dataclass(frozen=True)
class Repayment:
    """A part of a clawback paid: by a bank transfer (from the bank's clearing account)
    or set off against a payout (from the enterprise's account)."""

    transfer_id: str
    amount_fen: int
    received_at: dt.datetime
    source: str
    kind: str = "repayment"


async def _take(
    repo: PaymentRepository, row: Clawback, part: Repayment, payer: str | None = None
) -> None:
    """The part repaid moves from its source to the receivable, and from the recovery
    back to the policy's budget."""
    await ledger.post(
        repo.session,
        [
            ledger.Move(part.kind, part.source, ledger.receivable_account(row.uscc)),
            ledger.Move(
                "recovered",
                ledger.recovery_account(row.policy_id),
                ledger.budget_account(row.policy_id),
            ),
        ],
        reference=row.application_id,
        amount_fen=part.amount_fen,
        currency=row.currency,
    )
    await repo.give_back(row.policy_id, part.amount_fen)
    repo.session.add(
        ClawbackRepayment(
            transfer_id=part.transfer_id,
            clawback_id=row.id,
            amount_fen=part.amount_fen,
            received_at=part.received_at,
            payer_account_no=payer,
        )
    )
    row.repaid_fen += part.amount_fen
    row.repayment_id = part.transfer_id


def _settled(repo: PaymentRepository, outbox: Outbox, row: Clawback) -> None:
    """After a part is taken: partly repaid, or repaid in full (announced)."""
    if row.repaid_fen < row.amount_fen:
        row.status = "partly_repaid"
        _audit(outbox, repo, row, "clawback.partly-repaid")
        return
    row.status, row.settled_at = "repaid", dt.datetime.now(dt.UTC)
    event = ClawbackRepaid(
        clawback_id=row.id,
        application_id=row.application_id,
        policy_id=row.policy_id,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        transfer_id=row.repayment_id or "",
    )
    outbox.add(repo.session, CLAWBACK_REPAID, event.model_dump(), key=row.application_id)
    _audit(outbox, repo, row, "clawback.repaid")


async def hold_offsets(repo: PaymentRepository, payout: dict[str, object]) -> list[PayoutOffset]:
    """Before a payout is inserted: what the enterprise still owes (not held for another
    payout already) is set off against it, the oldest demand first, up to its amount.
    The demands are locked; the payout's ``offset_fen`` says what is held. The caller
    adds the offsets once the payout row exists (``payouts.reserve``)."""
    amount = int(str(payout["amount_fen"]))
    owed = await repo.open_clawbacks(str(payout["uscc"]), str(payout["currency"]))
    held: list[PayoutOffset] = []
    for claw in owed:
        take = min(claw.amount_fen - claw.repaid_fen - claw.offset_held_fen, amount)
        if take <= 0:
            continue
        claw.offset_held_fen += take
        amount -= take
        held.append(
            PayoutOffset(
                payout_id=str(payout["id"]), clawback_id=claw.id, amount_fen=take, status="held"
            )
        )
        if not amount:
            break
    payout["offset_fen"] = sum(o.amount_fen for o in held)
    return held


async def take_offsets(repo: PaymentRepository, outbox: Outbox, payout: PayoutRow) -> None:
    """The bank paid the payout's rest: each part held is set off, from the enterprise's
    account (the payout credited it the whole amount) to what it owes."""
    for offset in await repo.offsets_of(payout.id, "held"):
        claw = await repo.clawback(offset.clawback_id, lock=True)
        assert claw is not None  # the offset's foreign key
        claw.offset_held_fen -= offset.amount_fen
        take = min(offset.amount_fen, claw.amount_fen - claw.repaid_fen)
        if take < offset.amount_fen:  # settled otherwise meanwhile (a return): owed back
            excess = offset.amount_fen - take
            key = f"excess:{payout.id}:{claw.id[:8]}"
            await refunds.owe(repo, claw, key, excess, payout.payee_account_no)
        # what was set off (a return undoes it); nothing set off: all of it refunded
        offset.amount_fen, offset.status = take, "taken" if take else "refunded"
        if not take:
            continue
        part = Repayment(
            f"offset:{payout.id}:{claw.id[:8]}",
            take,
            dt.datetime.now(dt.UTC),
            ledger.enterprise_account(payout.uscc),
            kind="offset",
        )
        await _take(repo, claw, part)
        _settled(repo, outbox, claw)


async def release_offsets(repo: PaymentRepository, payout: PayoutRow) -> None:
    """The bank refused the payout: nothing was set off; the demands are free again."""
    for offset in await repo.offsets_of(payout.id, "held"):
        claw = await repo.clawback(offset.clawback_id, lock=True)
        assert claw is not None
        claw.offset_held_fen -= offset.amount_fen
        offset.status = "released"


async def undo_offsets(repo: PaymentRepository, outbox: Outbox, payout: PayoutRow) -> None:
    """The bank returned the payout: what it set off is owed again (the enterprise's
    account gets it back from the receivable, the budget gives it back to the recovery)
    and the demand is open again, announced. The repayment stays in the history, with
    its undoing beside it."""
    for offset in await repo.offsets_of(payout.id, "taken"):
        claw = await repo.clawback(offset.clawback_id, lock=True)
        assert claw is not None
        amount = offset.amount_fen
        await ledger.post(
            repo.session,
            [
                ledger.Move(
                    "offset-undone",
                    ledger.receivable_account(claw.uscc),
                    ledger.enterprise_account(payout.uscc),
                ),
                ledger.Move(
                    "recovery-undone",
                    ledger.budget_account(claw.policy_id),
                    ledger.recovery_account(claw.policy_id),
                ),
            ],
            reference=claw.application_id,
            amount_fen=amount,
            currency=claw.currency,
        )
        await repo.take_back(claw.policy_id, amount)
        repo.session.add(
            ClawbackRepayment(
                transfer_id=f"undone:{payout.id}:{claw.id[:8]}",
                clawback_id=claw.id,
                amount_fen=-amount,
                received_at=dt.datetime.now(dt.UTC),
            )
        )
        claw.repaid_fen -= amount
        claw.status = "partly_repaid" if claw.repaid_fen else "demanded"
        claw.settled_at = None
        offset.status = "undone"
        event = ClawbackReopened(
            clawback_id=claw.id,
            application_id=claw.application_id,
            policy_id=claw.policy_id,
            uscc=claw.uscc,
            amount_fen=claw.amount_fen,
            currency=claw.currency,
            repaid_fen=claw.repaid_fen,
            payout_id=payout.id,
        )
        outbox.add(repo.session, CLAWBACK_REOPENED, event.model_dump(), key=claw.application_id)
        _audit(outbox, repo, claw, "clawback.reopened")


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
    repo: PaymentRepository, outbox: Outbox, row: Clawback, payout: PayoutRow
) -> None:
    """The bank returned the clawed-back payout: the money came back (``payouts.reverse``
    put it in ``enterprise:<uscc>``), so what is still owed is settled by it (the
    receivable from the returned money, the recovery back into the budget) and the
    clawback is repaid. What the enterprise had repaid already was paid twice: it is
    owed back to it, and refunded through the bank (``refunds``)."""
    owed = row.amount_fen - row.repaid_fen
    if owed:
        part = Repayment(
            f"return:{payout.id}",
            owed,
            dt.datetime.now(dt.UTC),
            ledger.enterprise_account(row.uscc),
        )
        await _take(repo, row, part)
    await refunds.owe_back(repo, row, payout.payee_account_no)
    row.status, row.settled_at = "repaid", dt.datetime.now(dt.UTC)
    event = ClawbackRepaid(
        clawback_id=row.id,
        application_id=row.application_id,
        policy_id=row.policy_id,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        transfer_id=row.repayment_id or f"return:{payout.id}",
    )
    outbox.add(repo.session, CLAWBACK_REPAID, event.model_dump(), key=row.application_id)
    _audit(outbox, repo, row, "clawback.repaid-by-return")
