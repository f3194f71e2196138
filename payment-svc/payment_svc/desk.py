"""The payout desk: runs each payout through its transactions and the bank in between.

reserve (commit) -> ask the bank -> apply its answer (commit). When the bank does not
answer, its outcome is unknown: the payout stays ``reserved``/``sent`` and the desk asks
the bank for its status later — it never pays again. Answers that come back by the
bank's callback go through the same ``apply``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Sequence

from payment_svc import bulk, payouts
from payment_svc.bank.connector import BankConnector, BankUnavailable, Instruction, Receipt
from payment_svc.budgets import BudgetExhaustedError, record_exhausted
from payment_svc.errors import BankStatusUnknown
from payment_svc.models import PayoutRow
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.bank import BankStatus
from qinqing_shared.contracts.payment import (
    FINAL_PAYOUT_STATUSES,
    Payout,
    PayoutRequest,
    PayoutStatus,
)
from qinqing_shared.idempotency import Claim
from qinqing_shared.metrics import ServiceMetrics
from qinqing_shared.problems import Problem, not_found
from qinqing_shared.uow import Units

log = logging.getLogger("payment.desk")
# how long the bank's callback waits for this instance to apply the bank's answer to the
# same payout (within the bank's own timeout); then it goes on as if alone
CALLBACK_WAIT_SECONDS = 2.0


def instruction_for(row: PayoutRow) -> Instruction:
    """What the bank is told to pay: the payout less what is set off (clawbacks)."""
    return Instruction(
        instruction_id=row.id,
        account_no=row.payee_account_no,
        amount_fen=payouts.bank_part(row),
        currency=row.currency,
    )


def set_off_whole(instruction: Instruction) -> Receipt | None:
    """A payout set off whole against what the enterprise owes: nothing for the bank to
    pay, so it completes at once, without the bank."""
    if instruction.amount_fen:
        return None
    reference = f"offset:{instruction.instruction_id}"
    return Receipt(
        instruction_id=instruction.instruction_id, reference=reference, status=BankStatus.COMPLETED
    )


class PayoutDesk:
    def __init__(self, units: Units, bank: BankConnector, metrics: ServiceMetrics) -> None:
        self.units = units
        self.bank = bank
        self.settled = metrics.counter(
            "qinqing_payouts_settled", "Payouts the bank settled, by outcome", ["status"]
        )
        self.settled_fen = metrics.counter(
            "qinqing_payouts_settled_fen", "Fen of the payouts the bank settled", ["status"]
        )
        # payouts this instance is paying now (asked the bank, its answer not yet
        # applied): the bank's callback for one waits for that answer to be applied
        self._paying: dict[str, asyncio.Event] = {}

    async def pay(self, request: PayoutRequest, claim: Claim | None = None) -> Payout:
        """Pay an application once; asking again returns where its payout stands.

        A final answer is stored under ``claim`` in the transaction that settles it.
        """
        try:
            async with self.units.write() as uow:
                row = await payouts.reserve(PaymentRepository(uow.session), request=request)
                await uow.commit()
        except payouts.PayoutExistsError:
            async with self.units.read() as unit:
                row = await payouts.existing(PaymentRepository(unit.session), request)
        except BudgetExhaustedError as exc:
            async with self.units.write() as uow:
                await record_exhausted(PaymentRepository(uow.session), uow.outbox, exc)
                await uow.commit()
            raise exc.problem() from exc
        payout, instruction = payouts.to_payout(row), instruction_for(row)
        if payout.status in FINAL_PAYOUT_STATUSES:
            return payout
        paying = asyncio.Event()
        # only the first request of this instance that pays it tells the callback
        mine = self._paying.setdefault(payout.id, paying) is paying
        try:
            receipt = await self.ask(instruction)
            return payout if receipt is None else await self.apply(payout.id, receipt, claim)
        finally:
            if mine:
                del self._paying[payout.id]
                paying.set()

    async def pay_many(self, requests: Sequence[PayoutRequest]) -> dict[str, Payout | Problem]:
        """Pay several applications at once, each once, as ``pay`` would alone: their
        payouts reserved in one transaction, one bank instruction for the batch, and
        what the bank said applied in one transaction. Where each payout stands (one
        the bank has not settled stays ``reserved``: the resolver asks), or why one was
        not made (its budget, its order)."""
        outcomes, rows = await self._reserve_many(requests)
        unsettled = [row for row in rows if row.status not in FINAL_PAYOUT_STATUSES]
        receipts = await self.ask_many([instruction_for(row) for row in unsettled])
        applied = await self._apply_many(receipts)
        for row in rows:
            outcomes[row.application_id] = applied.get(row.id) or payouts.to_payout(row)
        return outcomes

    async def _reserve_many(
        self, requests: Sequence[PayoutRequest]
    ) -> tuple[dict[str, Payout | Problem], list[PayoutRow]]:
        """Each payout reserved in its own savepoint of one transaction (one that exists
        already is read); the budgets that could not cover theirs are told after."""
        refused: dict[str, Payout | Problem] = {}
        rows: list[PayoutRow] = []
        exhausted: list[BudgetExhaustedError] = []
        async with self.units.write() as uow:
            repo = PaymentRepository(uow.session)
            rows, left = await bulk.reserve_many(repo, requests)  # the plain ones, at once
            for request in left:
                try:
                    async with uow.session.begin_nested():
                        rows.append(await payouts.reserve(repo, request=request))
                    continue
                except payouts.PayoutExistsError:
                    pass
                except BudgetExhaustedError as exc:
                    exhausted.append(exc)
                    refused[request.application_id] = exc.problem()
                    continue
                except Problem as problem:  # no budget for its policy
                    refused[request.application_id] = problem
                    continue
                try:  # the payout it has already, if it is the same
                    rows.append(await payouts.existing(repo, request))
                except Problem as problem:
                    refused[request.application_id] = problem
            await uow.commit()
        if exhausted:
            async with self.units.write() as uow:
                for error in exhausted:
                    await record_exhausted(PaymentRepository(uow.session), uow.outbox, error)
                await uow.commit()
        return refused, rows

    async def ask_many(self, instructions: list[Instruction]) -> list[Receipt]:
        """One batch instruction to the bank; on no answer, nothing is known yet (the
        payouts stay as they are, and the resolver asks for each later)."""
        receipts = [r for r in map(set_off_whole, instructions) if r is not None]
        to_bank = [i for i in instructions if i.amount_fen]
        if not to_bank:
            return receipts
        try:
            return receipts + await self.bank.initiate_payouts(to_bank)
        except BankUnavailable as exc:
            log.warning("bank did not answer a batch of %d (%s)", len(to_bank), exc)
            return receipts

    async def _apply_many(self, receipts: list[Receipt]) -> dict[str, Payout]:
        """What the bank said of each payout, applied in one transaction."""
        if not receipts:
            return {}
        changed: list[Payout] = []
        async with self.units.write() as uow:
            repo = PaymentRepository(uow.session)
            found = await repo.payouts_locked([r.instruction_id for r in receipts])
            told = [(found[r.instruction_id], r) for r in receipts if r.instruction_id in found]
            plain = [(row, r) for row, r in told if bulk.settled_whole(row, r)]
            await bulk.settle_many(repo, uow.outbox, plain)  # the plain ones, at once
            changed += [payouts.to_payout(row) for row, _ in plain]
            settled = {row.id for row, _ in plain}
            for row, receipt in told:
                if row.id in settled:
                    continue
                before = row.status
                await payouts.apply_receipt(repo, uow.outbox, row, receipt)
                if row.status != before:
                    changed.append(payouts.to_payout(row))
            applied = {row.id: payouts.to_payout(row) for row, _ in told}
            await uow.commit()
        for payout in changed:  # counted once committed
            self.settled.labels(str(payout.status)).inc()
            self.settled_fen.labels(str(payout.status)).inc(payout.amount_fen)
        return applied

    async def ask(self, instruction: Instruction) -> Receipt | None:
        """Initiate (the bank executes an instruction once); on no answer, ask its status."""
        whole = set_off_whole(instruction)
        if whole is not None:
            return whole
        try:
            return await self.bank.initiate_payout(instruction)
        except BankUnavailable as exc:
            log.warning(
                "bank did not answer for %s (%s): asking its status",
                instruction.instruction_id,
                exc,
            )
        try:
            return await self.bank.payout_status(instruction.instruction_id)
        except BankUnavailable:
            return None

    async def apply(self, payout_id: str, receipt: Receipt, claim: Claim | None = None) -> Payout:
        if claim is None:  # a callback or the resolver: often a word the payout has heard
            async with self.units.read() as unit:
                seen = await PaymentRepository(unit.session).payout(payout_id)
            if seen is not None and payouts.next_step(seen.status, receipt.status) is None:
                return payouts.to_payout(seen)  # no transaction, no lock for nothing
        async with self.units.write(claim) as uow:
            repo = PaymentRepository(uow.session)
            row = await repo.payout(payout_id, lock=True)
            if row is None:
                raise not_found("Payout", payout_id)
            before = row.status
            await payouts.apply_receipt(repo, uow.outbox, row, receipt)
            payout = payouts.to_payout(row)
            if claim is not None and payout.status in FINAL_PAYOUT_STATUSES:
                await uow.answer(200, payout.model_dump(mode="json"))
            await uow.commit()
        if payout.status != before:  # counted once committed
            self.settled.labels(str(payout.status)).inc()
            self.settled_fen.labels(str(payout.status)).inc(payout.amount_fen)
        return payout

    async def confirm(self, receipt: Receipt) -> Payout:
        """The bank's (verified) callback: a word the payout has heard changes nothing;
        anything else is applied as the bank's own status says, not as the callback does.

        A callback that comes while this instance applies the bank's answer to the same
        payout (the bank notifies as it answers) waits for that answer, which is most
        often the same word: then neither the bank is asked nor the payout locked again.
        """
        seen = await self._seen(receipt.instruction_id)
        paying = self._paying.get(seen.id)
        if paying is not None and payouts.next_step(seen.status, receipt.status) is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(paying.wait(), CALLBACK_WAIT_SECONDS)
            seen = await self._seen(receipt.instruction_id)
        if payouts.next_step(seen.status, receipt.status) is None:
            return payouts.to_payout(seen)
        status = await self._status(seen.id)
        if status is None:
            raise BankStatusUnknown("The bank's status is unknown.")
        return await self.apply(seen.id, status)

    async def _seen(self, payout_id: str) -> PayoutRow:
        async with self.units.read() as unit:
            seen = await PaymentRepository(unit.session).payout(payout_id)
        if seen is None:
            raise not_found("Payout", payout_id)
        return seen

    async def resolve(self, older_than: float) -> int:
        """Find out what happened to payouts the bank has not settled for us yet."""
        before = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=older_than)
        async with self.units.read() as unit:
            rows = await PaymentRepository(unit.session).unresolved(before)
            pending = [(row.id, row.status, instruction_for(row)) for row in rows]
        for payout_id, status, instruction in pending:
            receipt = set_off_whole(instruction) or await self._status(payout_id)
            if receipt is None and status == PayoutStatus.RESERVED:
                receipt = await self.ask(instruction)  # the bank never got it: send it
            if receipt is not None:
                await self.apply(payout_id, receipt)
        return len(pending)

    async def _status(self, payout_id: str) -> Receipt | None:
        try:
            return await self.bank.payout_status(payout_id)
        except BankUnavailable:
            return None

    async def resolve_forever(self, every: float, older_than: float) -> None:
        while True:
            await asyncio.sleep(every)
            try:
                await self.resolve(older_than)
            except Exception:
                log.warning("resolving payouts failed", exc_info=True)
