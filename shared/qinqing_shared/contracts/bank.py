"""The bank's wire protocol, as the platform's bank connector and any bank (the sandbox
bank among them) speak it: payouts by instruction id, receipts, statement lines, and the
HMAC signature a bank puts on the confirmations it sends."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from enum import StrEnum

from pydantic import BaseModel, Field


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


class IncomingTransfer(BaseModel):
    """Money paid into the platform's account (a repayment of a clawback): the bank tells
    it as it tells a confirmation, signed; the reference is what the payer quoted."""

    transfer_id: str = Field(max_length=64)
    reference: str = Field(max_length=64)
    payer_account_no: str = Field(max_length=40)
    amount_fen: int = Field(gt=0)
    currency: str = Field(max_length=3)
    received_at: dt.datetime


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``X-Bank-Signature`` of a confirmation: HMAC-SHA256 of ``"<timestamp>.<body>"``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class InstructionBatch(BaseModel):
    """Several instructions sent at once: the bank executes each once, as if sent alone."""

    instructions: list[Instruction] = Field(min_length=1, max_length=1000)


class ReceiptBatch(BaseModel):
    receipts: list[Receipt]  # one for each instruction, in the order sent
