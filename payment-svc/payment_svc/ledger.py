"""The double-entry journal: every movement is a balanced transfer of integer fen."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc.models import Entry, Transfer
from qinqing_shared.db import table_of

CLEARING = "bank:clearing"


def budget_account(policy_id: str) -> str:
    return f"budget:{policy_id}"


def hold_account(policy_id: str) -> str:
    """Money reserved for payouts of a policy that the bank has not confirmed yet."""
    return f"hold:{policy_id}"


def enterprise_account(uscc: str) -> str:
    return f"enterprise:{uscc}"


def receivable_account(uscc: str) -> str:
    """What an enterprise owes back (a clawback demanded, not repaid yet): negative."""
    return f"receivable:{uscc}"


def recovery_account(policy_id: str) -> str:
    """Money owed back to a policy's budget, held until the enterprise repays it."""
    return f"recovery:{policy_id}"


def funding_account(department_code: str) -> str:
    return f"funding:{department_code}"


@dataclass(frozen=True)
class Move:
    """One transfer of a posting: ``amount`` leaves ``debit`` and arrives at ``credit``."""

    kind: str
    debit: str
    credit: str


@dataclass(frozen=True)
class Posting:
    """Moves of one amount for one reference (a payout's application)."""

    moves: Sequence[Move]
    reference: str
    amount_fen: int
    currency: str


async def post(
    session: AsyncSession,
    moves: Sequence[Move],
    *,
    reference: str,
    amount_fen: int,
    currency: str,
) -> None:
    """Record each move as a transfer with two entries summing to zero."""
    await post_many(session, [Posting(moves, reference, amount_fen, currency)])


async def post_many(session: AsyncSession, postings: Sequence[Posting]) -> None:
    """Record several postings' moves, each a transfer with two entries summing to zero.

    Two statements whatever the number of moves: the transfers, then their entries
    (written as rows, not ORM objects: the journal is append-only and never read back
    in the transaction that writes it).
    """
    if any(posting.amount_fen <= 0 for posting in postings):
        raise ValueError("a transfer moves a positive amount")
    now = dt.datetime.now(dt.UTC)
    transfers, entries = [], []
    for posting in postings:
        for move in posting.moves:
            transfer_id = str(uuid.uuid4())
            transfers.append(
                {
                    "id": transfer_id,
                    "kind": move.kind,
                    "reference": posting.reference,
                    "amount_fen": posting.amount_fen,
                    "currency": posting.currency,
                    "created_at": now,
                }
            )
            entries += [
                {
                    "transfer_id": transfer_id,
                    "account_id": move.debit,
                    "amount_fen": -posting.amount_fen,
                },
                {
                    "transfer_id": transfer_id,
                    "account_id": move.credit,
                    "amount_fen": posting.amount_fen,
                },
            ]
    if transfers:
        await session.execute(_INSERT_TRANSFERS, transfers)
        await session.execute(_INSERT_ENTRIES, entries)


_INSERT_TRANSFERS = insert(table_of(Transfer))
_INSERT_ENTRIES = insert(table_of(Entry))
