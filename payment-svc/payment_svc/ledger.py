"""The double-entry journal: every movement is a balanced transfer of integer fen."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc.models import Entry, Transfer

CLEARING = "bank:clearing"


def budget_account(policy_id: str) -> str:
    return f"budget:{policy_id}"


def hold_account(policy_id: str) -> str:
    """Money reserved for payouts of a policy that the bank has not confirmed yet."""
    return f"hold:{policy_id}"


def enterprise_account(uscc: str) -> str:
    return f"enterprise:{uscc}"


def funding_account(department_code: str) -> str:
    return f"funding:{department_code}"


def post(
    session: AsyncSession,
    *,
    kind: str,
    reference: str,
    debit: str,
    credit: str,
    amount_fen: int,
    currency: str,
) -> Transfer:
    """Move ``amount_fen`` from ``debit`` to ``credit``: two entries summing to zero."""
    if amount_fen <= 0:
        raise ValueError("a transfer moves a positive amount")
    transfer = Transfer(
        id=str(uuid.uuid4()),
        kind=kind,
        reference=reference,
        amount_fen=amount_fen,
        currency=currency,
        created_at=dt.datetime.now(dt.UTC),
    )
    transfer.entries = [
        Entry(account_id=debit, amount_fen=-amount_fen),
        Entry(account_id=credit, amount_fen=amount_fen),
    ]
    session.add(transfer)
    return transfer
