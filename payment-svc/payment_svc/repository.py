"""Queries of payment-svc. Budgets move only by conditional updates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import case, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc.models import Account, Budget, Entry, PayoutRow
from qinqing_shared.db import insert_ignore


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def ensure_account(self, account_id: str, kind: str, currency: str) -> None:
        """Open the account unless it exists; safe when two payouts open it at once."""
        if await self.session.get(Account, account_id) is None:
            values = {
                "id": account_id,
                "kind": kind,
                "currency": currency,
                "created_at": dt.datetime.now(dt.UTC),
            }
            await insert_ignore(self.session, Account, values)

    async def budget(self, policy_id: str) -> Budget | None:
        return await self.session.get(Budget, policy_id)

    async def reserve(self, policy_id: str, amount_fen: int) -> bool:
        """Take from the budget only if it covers the amount, in one statement."""
        result = await self.session.execute(
            update(Budget)
            .where(Budget.policy_id == policy_id, Budget.remaining_fen >= amount_fen)
            .values(
                remaining_fen=Budget.remaining_fen - amount_fen,
                paid_fen=Budget.paid_fen + amount_fen,
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def mark_exhausted(self, policy_id: str) -> bool:
        """True only for the first caller: the exhausted event is published once."""
        result = await self.session.execute(
            update(Budget)
            .where(Budget.policy_id == policy_id, Budget.exhausted_at.is_(None))
            .values(exhausted_at=dt.datetime.now(dt.UTC))
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def payout_for(self, application_id: str) -> PayoutRow | None:
        query = select(PayoutRow).where(PayoutRow.application_id == application_id)
        return await self.session.scalar(query)

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
