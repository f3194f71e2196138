"""The sandbox bank's own book: payments by instruction, and its statement lines."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncEngine

metadata = MetaData()
payments = Table(
    "payments",
    metadata,
    Column("instruction_id", String(36), primary_key=True),
    Column("reference", String(40), unique=True, nullable=False),
    Column("account_no", String(40), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("reason", String(200)),
    Column("booked_at", DateTime(timezone=True), nullable=False),
)
statement = Table(
    "statement",
    metadata,
    Column("line", Integer, primary_key=True, autoincrement=True),
    Column("reference", String(40), nullable=False),
    Column("instruction_id", String(36), nullable=False, index=True),
    Column("amount_fen", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(20), nullable=False),
    Column("booked_at", DateTime(timezone=True), nullable=False),
)

# money paid into the platform's account (repayments), told to payment-svc
incoming = Table(
    "incoming",
    metadata,
    Column("transfer_id", String(64), primary_key=True),
    Column("reference", String(64), nullable=False),
    Column("payer_account_no", String(40), nullable=False),
    Column("amount_fen", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

# the bank's customers: who holds each account (what an account-holder check asks)
accounts = Table(
    "accounts",
    metadata,
    Column("account_no", String(40), primary_key=True),
    Column("holder_uscc", String(18), nullable=False),
    Column("holder_name", String(200), nullable=False),
)


def reference_for(instruction_id: str) -> str:
    return "SBX" + hashlib.sha256(instruction_id.encode()).hexdigest()[:20].upper()


class BankBook:
    def __init__(self, engine: AsyncEngine, opening_funds_fen: int) -> None:
        self.engine = engine
        self.opening_funds_fen = opening_funds_fen
        self.paid_fen = 0

    async def create(self) -> None:
        async with self.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)

    async def receive(self, transfer: dict[str, Any]) -> None:
        """Book money paid in (credited to the platform's account: funds grow)."""
        async with self.engine.begin() as conn:
            await conn.execute(insert(incoming).values(**transfer))

    async def get(self, instruction_id: str) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(payments).where(payments.c.instruction_id == instruction_id)
                )
            ).first()
        return dict(row._mapping) if row else None

    async def load_paid(self) -> None:
        """Sum what the book has paid once, at start; ``book`` keeps it current."""
        async with self.engine.connect() as conn:
            paid = await conn.scalar(
                select(func.coalesce(func.sum(payments.c.amount_fen), 0)).where(
                    payments.c.status == "completed"
                )
            )
        self.paid_fen = int(paid or 0)

    async def available(self) -> int:
        return self.opening_funds_fen - self.paid_fen

    async def book(self, values: dict[str, Any], status: str, reason: str | None) -> dict[str, Any]:
        """Record an instruction once; a second call returns the first record."""
        row = {
            **values,
            "reference": reference_for(values["instruction_id"]),
            "status": status,
            "reason": reason,
            "booked_at": dt.datetime.now(dt.UTC),
        }
        async with self.engine.begin() as conn:
            existing = (
                await conn.execute(
                    select(payments).where(payments.c.instruction_id == values["instruction_id"])
                )
            ).first()
            if existing:
                return dict(existing._mapping)
            await conn.execute(insert(payments).values(**row))
            if status == "completed":
                await conn.execute(insert(statement).values(_line(row)))
        if status == "completed":
            self.paid_fen += row["amount_fen"]
        return row

    async def get_many(self, instruction_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The instructions booked already of these, by id."""
        query = select(payments).where(payments.c.instruction_id.in_(instruction_ids))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(query)).all()
        return {row.instruction_id: dict(row._mapping) for row in rows}

    async def book_many(
        self, entries: list[tuple[dict[str, Any], str, str | None]]
    ) -> dict[str, dict[str, Any]]:
        """Record several new instructions in one transaction (``book`` of each), by id;
        one booked meanwhile keeps its first record."""
        now = dt.datetime.now(dt.UTC)
        rows = {
            values["instruction_id"]: {
                **values,
                "reference": reference_for(values["instruction_id"]),
                "status": status,
                "reason": reason,
                "booked_at": now,
            }
            for values, status, reason in entries
        }
        if not rows:
            return {}
        async with self.engine.begin() as conn:
            query = select(payments).where(payments.c.instruction_id.in_(list(rows)))
            booked = {r.instruction_id: dict(r._mapping) for r in (await conn.execute(query)).all()}
            new = [row for iid, row in rows.items() if iid not in booked]
            if new:
                await conn.execute(insert(payments), new)
            lines = [_line(row) for row in new if row["status"] == "completed"]
            if lines:
                await conn.execute(insert(statement), lines)
        self.paid_fen += sum(row["amount_fen"] for row in new if row["status"] == "completed")
        return rows | booked

    async def complete(self, instruction_id: str) -> dict[str, Any] | None:
        async with self.engine.begin() as conn:
            done = await conn.execute(
                update(payments)
                .where(payments.c.instruction_id == instruction_id, payments.c.status == "pending")
                .values(status="completed", booked_at=dt.datetime.now(dt.UTC))
            )
            if done.rowcount:
                row = (
                    await conn.execute(
                        select(payments).where(payments.c.instruction_id == instruction_id)
                    )
                ).one()
                await conn.execute(insert(statement).values(_line(dict(row._mapping))))
        return await self.get(instruction_id)

    async def return_payment(self, instruction_id: str, reason: str) -> dict[str, Any] | None:
        """A completed payment sent back (the payee's account is closed): failed now. The
        statement keeps its line: the money went out, and came back."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(payments)
                .where(
                    payments.c.instruction_id == instruction_id, payments.c.status == "completed"
                )
                .values(status="failed", reason=reason)
            )
        return await self.get(instruction_id)

    async def open_accounts(self, holders: list[dict[str, str]]) -> None:
        """Open (or re-open) accounts: ``account_no``, ``holder_uscc``, ``holder_name``."""
        async with self.engine.begin() as conn:
            numbers = [h["account_no"] for h in holders]
            await conn.execute(delete(accounts).where(accounts.c.account_no.in_(numbers)))
            if holders:
                await conn.execute(insert(accounts), holders)

    async def holder(self, account_no: str) -> dict[str, Any] | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(select(accounts).where(accounts.c.account_no == account_no))
            ).first()
        return dict(row._mapping) if row else None

    async def statement_lines(self) -> list[dict[str, Any]]:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(statement).order_by(statement.c.line))).all()
        return [dict(r._mapping) for r in rows]

    async def add_line(self, line: dict[str, Any]) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(insert(statement).values(**line))

    async def drop_lines(self, instruction_id: str) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(
                delete(statement).where(statement.c.instruction_id == instruction_id)
            )


def _line(row: dict[str, Any]) -> dict[str, Any]:
    keys = ("reference", "instruction_id", "amount_fen", "currency", "booked_at")
    return {**{k: row[k] for k in keys}, "status": "completed"}
