"""Queries of payment-svc. Budgets move only by conditional updates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Update, bindparam, case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc.models import (
    Account,
    Budget,
    Clawback,
    ClawbackRepayment,
    Entry,
    OutboxEvent,
    PayoutOffset,
    PayoutRow,
    Refund,
    Transfer,
)
from qinqing_shared.contracts.events import PAYOUT_COMPLETED
from qinqing_shared.contracts.payment import PayoutStatus
from qinqing_shared.db import insert_ignore, table_of


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def budgets_remaining(self) -> int:
        """Fen left in every policy's budget together (a metrics reading)."""
        return int(await self.session.scalar(select(func.sum(Budget.remaining_fen))) or 0)

    async def open_account(self, account_id: str, kind: str, currency: str) -> None:
        """Open the account unless it exists; safe when two payouts open it at once."""
        values = {
            "id": account_id,
            "kind": kind,
            "currency": currency,
            "created_at": dt.datetime.now(dt.UTC),
        }
        await insert_ignore(self.session, Account, values)

    async def add_payout(self, values: dict[str, object]) -> bool:
        """Insert the payout unless its application has one (unique): True if inserted."""
        return await insert_ignore(self.session, PayoutRow, values)

    async def budget(self, policy_id: str, *, for_update: bool = False) -> Budget | None:
        return await self.session.get(Budget, policy_id, with_for_update=for_update)

    async def budgets(self) -> Sequence[Budget]:
        return (await self.session.scalars(select(Budget).order_by(Budget.policy_id))).all()

    async def _move(self, policy_id: str, guard: bool, **deltas: int) -> bool:
        statement = _MOVES[(tuple(sorted(deltas)), guard)]
        values = {"policy": policy_id} | {f"d_{name}": amount for name, amount in deltas.items()}
        if guard:
            values["needed"] = -deltas["remaining_fen"]
        result = await self.session.execute(statement, values)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def reserve(self, policy_id: str, amount_fen: int) -> bool:
        """Take from the budget only if it covers the amount, in one statement."""
        return await self._move(policy_id, True, remaining_fen=-amount_fen, reserved_fen=amount_fen)

    async def settle(self, policy_id: str, amount_fen: int) -> None:
        await self._move(policy_id, False, reserved_fen=-amount_fen, paid_fen=amount_fen)

    async def release(self, policy_id: str, amount_fen: int) -> None:
        await self._move(policy_id, False, reserved_fen=-amount_fen, remaining_fen=amount_fen)

    async def give_back(self, policy_id: str, amount_fen: int) -> None:
        await self._move(policy_id, False, paid_fen=-amount_fen, remaining_fen=amount_fen)

    async def take_back(self, policy_id: str, amount_fen: int) -> None:
        """Money given back to the budget goes out again (an offset undone)."""
        await self._move(policy_id, False, paid_fen=amount_fen, remaining_fen=-amount_fen)

    async def mark_exhausted(self, policy_id: str) -> bool:
        """True only for the first caller: the exhausted event is published once."""
        result = await self.session.execute(
            update(Budget)
            .where(Budget.policy_id == policy_id, Budget.exhausted_at.is_(None))
            .values(exhausted_at=dt.datetime.now(dt.UTC))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def clawback(self, clawback_id: str, lock: bool = False) -> Clawback | None:
        return await self.session.get(Clawback, clawback_id, with_for_update=lock)

    async def clawbacks_of(self, uscc: str) -> Sequence[Clawback]:
        query = select(Clawback).where(Clawback.uscc == uscc).order_by(Clawback.demanded_at)
        return (await self.session.scalars(query)).all()

    async def open_clawbacks(self, uscc: str, currency: str) -> Sequence[Clawback]:
        """What the enterprise still owes, the oldest demand first, locked."""
        query = (
            select(Clawback)
            .where(
                Clawback.uscc == uscc,
                Clawback.currency == currency,
                Clawback.status.in_(("demanded", "partly_repaid")),
            )
            .order_by(Clawback.demanded_at, Clawback.id)
        )
        return (await self.session.scalars(query.with_for_update())).all()

    async def offsets_of(self, payout_id: str, status: str) -> Sequence[PayoutOffset]:
        query = select(PayoutOffset).where(
            PayoutOffset.payout_id == payout_id, PayoutOffset.status == status
        )
        return (await self.session.scalars(query.order_by(PayoutOffset.clawback_id))).all()

    async def repayments_of(self, clawback_id: str) -> Sequence[ClawbackRepayment]:
        query = select(ClawbackRepayment).where(ClawbackRepayment.clawback_id == clawback_id)
        return (await self.session.scalars(query.order_by(ClawbackRepayment.received_at))).all()

    async def refund(self, refund_id: str, lock: bool = False) -> Refund | None:
        return await self.session.get(Refund, refund_id, with_for_update=lock)

    async def refund_for(self, repayment_id: str) -> Refund | None:
        return await self.session.scalar(select(Refund).where(Refund.repayment_id == repayment_id))

    async def refunds(self, uscc: str | None = None) -> Sequence[Refund]:
        query = select(Refund).order_by(Refund.created_at, Refund.id)
        if uscc is not None:
            query = query.where(Refund.uscc == uscc)
        return (await self.session.scalars(query)).all()

    async def clawback_for(self, application_id: str, lock: bool = False) -> Clawback | None:
        query = select(Clawback).where(Clawback.application_id == application_id)
        return await self.session.scalar(query.with_for_update() if lock else query)

    async def payout_for(self, application_id: str, lock: bool = False) -> PayoutRow | None:
        query = select(PayoutRow).where(PayoutRow.application_id == application_id)
        return await self.session.scalar(query.with_for_update() if lock else query)

    async def payout(self, payout_id: str, lock: bool = False) -> PayoutRow | None:
        query = _PAYOUT_LOCKED if lock else _PAYOUT
        return await self.session.scalar(query, {"payout_id": payout_id})

    async def payouts_locked(self, payout_ids: Sequence[str]) -> dict[str, PayoutRow]:
        """These payouts (those that exist), locked, by id."""
        query = select(PayoutRow).where(PayoutRow.id.in_(payout_ids)).with_for_update()
        return {row.id: row for row in (await self.session.scalars(query)).all()}

    async def unresolved(self, before: dt.datetime, limit: int = 200) -> Sequence[PayoutRow]:
        """Payouts whose bank outcome is not known yet, untouched since ``before``."""
        query = select(PayoutRow).where(
            PayoutRow.status.in_((PayoutStatus.RESERVED, PayoutStatus.SENT)),
            PayoutRow.updated_at < before,
        )
        return (await self.session.scalars(query.order_by(PayoutRow.created_at).limit(limit))).all()

    async def payouts(self) -> Sequence[PayoutRow]:
        return (await self.session.scalars(select(PayoutRow))).all()

    async def latest_payouts(self, policy_id: str, limit: int) -> Sequence[PayoutRow]:
        """A policy's latest payouts, the newest first."""
        query = (
            select(PayoutRow)
            .where(PayoutRow.policy_id == policy_id)
            .order_by(PayoutRow.created_at.desc(), PayoutRow.id)
            .limit(limit)
        )
        return (await self.session.scalars(query)).all()

    async def transfers(self) -> Sequence[Transfer]:
        return (await self.session.scalars(select(Transfer))).all()

    async def unbalanced_transfers(self) -> Sequence[str]:
        query = (
            select(Entry.transfer_id)
            .group_by(Entry.transfer_id)
            .having(func.sum(Entry.amount_fen) != 0)
        )
        return (await self.session.scalars(query)).all()

    async def account_balance(self, account_id: str) -> int:
        query = select(func.coalesce(func.sum(Entry.amount_fen), 0)).where(
            Entry.account_id == account_id
        )
        return int(await self.session.scalar(query) or 0)

    async def journal_totals(self) -> tuple[int, int, int]:
        """(accounts, debits, credits) over the whole journal."""
        debit = func.coalesce(func.sum(case((Entry.amount_fen < 0, -Entry.amount_fen), else_=0)), 0)
        credit = func.coalesce(func.sum(case((Entry.amount_fen > 0, Entry.amount_fen), else_=0)), 0)
        debits, credits = (await self.session.execute(select(debit, credit))).one()
        accounts = await self.session.scalar(select(func.count()).select_from(Account))
        return int(accounts or 0), int(debits), int(credits)

    async def unpublished_payout_ids(self) -> Sequence[str]:
        """Payouts whose completion event is still in the outbox (not relayed yet)."""
        query = select(OutboxEvent.data).where(
            OutboxEvent.published_at.is_(None), OutboxEvent.subject == PAYOUT_COMPLETED
        )
        return [str(data["payout_id"]) for data in (await self.session.scalars(query)).all()]


# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_PAYOUT = select(PayoutRow).where(PayoutRow.id == bindparam("payout_id"))
_PAYOUT_LOCKED = _PAYOUT.with_for_update()


def _budget_move(columns: tuple[str, ...], guard: bool) -> Update:
    """UPDATE budgets SET column = column + :d_column ... [AND remaining_fen >= :needed]."""
    budgets = table_of(Budget)
    query = update(budgets).where(budgets.c.policy_id == bindparam("policy"))
    if guard:
        query = query.where(budgets.c.remaining_fen >= bindparam("needed"))
    return query.values({name: budgets.c[name] + bindparam(f"d_{name}") for name in columns})


_MOVES: dict[tuple[tuple[str, ...], bool], Update] = {
    (columns, guard): _budget_move(columns, guard)
    for columns in (
        ("remaining_fen", "reserved_fen"),  # reserve, release
        ("paid_fen", "reserved_fen"),  # settle
        ("paid_fen", "remaining_fen"),  # give back
    )
    for guard in (False, True)
}
