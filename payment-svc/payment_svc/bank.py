"""The bank connector interface, and the sandbox bank that stands in for a real one."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc.models import SandboxBankTransfer


@dataclass(frozen=True)
class BankReceipt:
    reference: str
    status: str  # "completed" | "failed"


class BankConnector(Protocol):
    """What payment-svc needs from a bank; a real connector implements the same."""

    async def initiate_payout(
        self, *, instruction_id: str, account_no: str, amount_fen: int, currency: str
    ) -> BankReceipt: ...

    async def payout_status(self, *, instruction_id: str) -> BankReceipt | None: ...


class SandboxBank:
    """Pays at once into any account; idempotent per instruction id."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def initiate_payout(
        self, *, instruction_id: str, account_no: str, amount_fen: int, currency: str
    ) -> BankReceipt:
        existing = await self.payout_status(instruction_id=instruction_id)
        if existing is not None:
            return existing
        reference = "SBX" + hashlib.sha256(instruction_id.encode()).hexdigest()[:20].upper()
        self.session.add(
            SandboxBankTransfer(
                reference=reference,
                instruction_id=instruction_id,
                account_no=account_no,
                amount_fen=amount_fen,
                currency=currency,
                status="completed",
                created_at=dt.datetime.now(dt.UTC),
            )
        )
        return BankReceipt(reference=reference, status="completed")

    async def payout_status(self, *, instruction_id: str) -> BankReceipt | None:
        row = await self.session.scalar(
            select(SandboxBankTransfer).where(SandboxBankTransfer.instruction_id == instruction_id)
        )
        return BankReceipt(reference=row.reference, status=row.status) if row else None
