"""Refunds: money an enterprise repaid that is owed back to it, sent back through the bank.

An enterprise that repaid a clawback (in part or in full) whose payout the bank then
returned has paid twice: the returned money settled the demand. What it had repaid sits
in ``enterprise:<uscc>`` and is refunded, one refund per repayment, to the account the
repayment came from (a repayment set off against a payout goes back to that payout's
account). A refund is a bank instruction named by its id, sent by a ``refund`` job
(``qinqing_shared.jobs``): scheduled in the transaction that makes the money owed, so
none is forgotten, and run until the bank settles it. Completed, the money leaves
``enterprise:<uscc>`` for the bank; refused (or returned later), it stays owed there,
announced, for operators to pay by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from payment_svc import ledger
from payment_svc.bank.connector import BankConnector, BankUnavailable, Instruction, Receipt
from payment_svc.models import Clawback, PayoutRow, Refund
from payment_svc.models import Job as JobRow
from payment_svc.repository import PaymentRepository
from qinqing_shared import audit
from qinqing_shared.contracts.bank import BankStatus
from qinqing_shared.contracts.events import REFUND_COMPLETED, REFUND_FAILED, RefundSettled
from qinqing_shared.contracts.payment import RefundOut
from qinqing_shared.ids import mask_account
from qinqing_shared.jobs import Clock, Job, schedule
from qinqing_shared.outbox import Outbox
from qinqing_shared.uow import Units

log = logging.getLogger("payment.refunds")
KIND = "refund"
FINAL = ("completed", "failed", "returned")
RECHECK = dt.timedelta(seconds=30)  # a refund the bank has not settled: asked again


async def owe(
    repo: PaymentRepository, claw: Clawback, repayment_id: str, amount_fen: int, account_no: str
) -> Refund | None:
    """Owe ``amount_fen`` back for one repayment, once (None if it is owed already); its
    job sends it when this transaction commits."""
    if await repo.refund_for(repayment_id) is not None:
        return None
    now = dt.datetime.now(dt.UTC)
    row = Refund(
        id=str(uuid.uuid4()),
        repayment_id=repayment_id,
        clawback_id=claw.id,
        uscc=claw.uscc,
        amount_fen=amount_fen,
        currency=claw.currency,
        account_no=account_no,
        status="due",
        created_at=now,
    )
    repo.session.add(row)
    await schedule(repo.session, JobRow, kind=KIND, key=row.id, due_at=now)
    return row


async def owe_back(repo: PaymentRepository, claw: Clawback, fallback_account: str) -> None:
    """Every repayment of the clawback that still stands is owed back (its payout came
    back, so the demand was settled by the returned money): a bank transfer to the
    account it came from, a part set off to the account of the payout that set it off.
    An offset undone is not a repayment, nor is the returned money itself."""
    rows = list(await repo.repayments_of(claw.id))
    undone = {r.transfer_id.replace("undone:", "offset:", 1) for r in rows if r.amount_fen < 0}
    for paid in rows:
        if paid.amount_fen <= 0 or paid.transfer_id in undone:
            continue
        if paid.transfer_id.startswith("return:"):
            continue  # the returned money itself
        account = paid.payer_account_no or await _offset_account(repo, paid.transfer_id)
        await owe(repo, claw, paid.transfer_id, paid.amount_fen, account or fallback_account)


async def _offset_account(repo: PaymentRepository, transfer_id: str) -> str | None:
    """The payee account of the payout that set off ``offset:<payout>:…``."""
    if not transfer_id.startswith("offset:"):
        return None
    payout: PayoutRow | None = await repo.payout(transfer_id.split(":")[1])
    return payout.payee_account_no if payout is not None else None


def refund_out(row: Refund) -> RefundOut:
    out = RefundOut.model_validate(row, from_attributes=True)
    return out.model_copy(update={"account_no": mask_account(row.account_no)})


def next_step(status: str, bank_says: str) -> str | None:
    """What the bank's word does to a refund in ``status``; None: nothing."""
    if status in ("due", "sent"):
        if bank_says == BankStatus.COMPLETED:
            return "complete"
        if bank_says == BankStatus.FAILED:
            return "fail"
        return "send" if status == "due" else None
    if status == "completed" and bank_says == BankStatus.FAILED:
        return "return"
    return None


async def apply(repo: PaymentRepository, outbox: Outbox, row: Refund, receipt: Receipt) -> None:
    """Move the refund to what the bank says; a word heard before changes nothing."""
    step = next_step(row.status, receipt.status)
    if step == "send":
        row.status = "sent"
    elif step == "complete":
        await _post(
            repo, row, ledger.Move("refund", ledger.enterprise_account(row.uscc), ledger.CLEARING)
        )
        row.status, row.bank_reference = "completed", receipt.reference
        row.settled_at = dt.datetime.now(dt.UTC)
        await _announce(repo, outbox, row, REFUND_COMPLETED, "refund.completed")
    elif step in ("fail", "return"):
        if step == "return":  # the money came back: owed to the enterprise again
            move = ledger.Move(
                "refund-returned", ledger.CLEARING, ledger.enterprise_account(row.uscc)
            )
            await _post(repo, row, move)
        row.status = "failed" if step == "fail" else "returned"
        row.reason = (receipt.reason or "refused by the bank")[:300]
        row.settled_at = dt.datetime.now(dt.UTC)
        await _announce(repo, outbox, row, REFUND_FAILED, f"refund.{row.status}")


async def _post(repo: PaymentRepository, row: Refund, move: ledger.Move) -> None:
    await ledger.post(
        repo.session, [move], reference=row.id, amount_fen=row.amount_fen, currency=row.currency
    )


async def _announce(
    repo: PaymentRepository, outbox: Outbox, row: Refund, subject: str, action: str
) -> None:
    claw = await repo.clawback(row.clawback_id)
    assert claw is not None  # the refund's foreign key
    event = RefundSettled(
        refund_id=row.id,
        clawback_id=row.clawback_id,
        application_id=claw.application_id,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        reason=row.reason,
    )
    outbox.add(repo.session, subject, event.model_dump(), key=row.id)
    audit.record(
        outbox,
        repo.session,
        actor="payment-svc",
        action=action,
        object_type="refund",
        object_id=row.id,
        uscc=row.uscc,
    )


class RefundDesk:
    """Sends each refund to the bank and applies its word: the ``refund`` job's handler,
    and the bank's callbacks for refund instructions."""

    def __init__(self, units: Units, bank: BankConnector, clock: Clock) -> None:
        self.units, self.bank, self.clock = units, bank, clock

    async def handle(self, job: Job) -> dt.datetime | None:
        """At least once: a refund settled before is left as it is. The bank is asked
        what it knows first, and instructed only if it knows nothing (it executes an
        instruction once). No answer from the bank: raise, and the job is tried again."""
        async with self.units.read() as unit:
            row = await PaymentRepository(unit.session).refund(job.key)
            if row is None or row.status in FINAL:
                return None
            instruction = Instruction(
                instruction_id=row.id,
                account_no=row.account_no,
                amount_fen=row.amount_fen,
                currency=row.currency,
            )
        try:
            receipt = await self.bank.payout_status(instruction.instruction_id)
            if receipt is None:
                receipt = await self.bank.initiate_payout(instruction)
        except BankUnavailable as exc:
            raise RuntimeError(f"the bank did not answer for refund {job.key}: {exc}") from exc
        status = await self.settle(job.key, receipt)
        return None if status in FINAL else self.clock.now() + RECHECK

    async def settle(self, refund_id: str, receipt: Receipt) -> str:
        async with self.units.write() as uow:
            repo = PaymentRepository(uow.session)
            row = await repo.refund(refund_id, lock=True)
            assert row is not None  # refunds are never deleted
            await apply(repo, uow.outbox, row, receipt)
            status = row.status
            await uow.commit()
        return status

    async def confirm(self, receipt: Receipt) -> RefundOut | None:
        """The bank's (verified) callback for an instruction: None if it is no refund.
        As for payouts, the bank's own status of the instruction is what is applied."""
        async with self.units.read() as unit:
            seen = await PaymentRepository(unit.session).refund(receipt.instruction_id)
            if seen is None:
                return None
            known = refund_out(seen)
        if next_step(known.status, receipt.status) is None:
            return known
        try:
            status = await self.bank.payout_status(receipt.instruction_id)
        except BankUnavailable:
            status = None
        if status is not None:
            await self.settle(receipt.instruction_id, status)
        async with self.units.read() as unit:
            row = await PaymentRepository(unit.session).refund(receipt.instruction_id)
            assert row is not None
            return refund_out(row)
