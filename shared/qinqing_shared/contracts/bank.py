"""The bank's wire protocol, as the platform's bank connector and any bank (the sandbox
bank among them) speak it: payouts by instruction id, receipts, statement lines, and the
HMAC signature a bank puts on the confirmations it sends."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from enum import StrEnum

from pydantic import BaseModel


class BankStatus(StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"


class Instruction(BaseModel):
    instruction_id: str
    account_no: str
    amount_fen: int
    currency: str


class Receipt(BaseModel):
    instruction_id: str
    reference: str | None
    status: BankStatus
    reason: str | None = None


class StatementLine(BaseModel):
    reference: str
    instruction_id: str
    amount_fen: int
    currency: str
    status: BankStatus
    booked_at: dt.datetime


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``X-Bank-Signature`` of a confirmation: HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"
