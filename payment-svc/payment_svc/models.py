"""Tables of payment-svc: accounts, an append-only journal, budgets, payouts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from qinqing_shared.db import new_metadata
from qinqing_shared.deadletters import DeadLetterMixin
from qinqing_shared.idempotency import IdempotencyKeyMixin
from qinqing_shared.inbox import ProcessedEventMixin
from qinqing_shared.jobs import JobMixin
from qinqing_shared.outbox import OutboxMixin

Money = BigInteger
RowId = BigInteger().with_variant(Integer, "sqlite")


class Base(DeclarativeBase):
    metadata = new_metadata()


class Account(Base):
    """'budget:<policy>', 'enterprise:<uscc>', 'funding:<department>', 'bank:clearing'."""

    __tablename__ = "accounts"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Transfer(Base):
    """One movement of money; its entries sum to zero. Never updated or deleted."""

    __tablename__ = "transfers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(String(80), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    entries: Mapped[list[Entry]] = relationship()


class Entry(Base):
    """A leg of a transfer: negative debits the account, positive credits it."""

    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(RowId, primary_key=True, autoincrement=True)
    transfer_id: Mapped[str] = mapped_column(ForeignKey("transfers.id"), index=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)


class Budget(Base):
    """A policy's budget; ``remaining_fen`` only moves by a conditional update."""

    __tablename__ = "budgets"

    policy_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    department_code: Mapped[str] = mapped_column(String(20))
    currency: Mapped[str] = mapped_column(String(3))
    funded_fen: Mapped[int] = mapped_column(Money)
    paid_fen: Mapped[int] = mapped_column(Money, default=0)
    reserved_fen: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    remaining_fen: Mapped[int] = mapped_column(Money)
    exhausted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PayoutRow(Base):
    """One payout per application: the unique key is what makes 'never twice' hold.

    reserved -> sent -> completed | failed; completed -> reversed (a clawback or a
    payment the bank returned). The payout id is the bank instruction id.
    """

    __tablename__ = "payouts"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(36), unique=True)
    policy_id: Mapped[str] = mapped_column(ForeignKey("budgets.policy_id"))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    payee_bank: Mapped[str] = mapped_column(String(100))
    payee_account_no: Mapped[str] = mapped_column(String(40))
    # set off against what the enterprise owes (clawbacks): the bank pays the rest
    offset_fen: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    status: Mapped[str] = mapped_column(String(20))
    bank_reference: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class Clawback(Base):
    """What an enterprise owes back for a payout made on a broken commitment: booked as
    a receivable, demanded, settled by the bank's report of its repayment. Never deleted."""

    __tablename__ = "clawbacks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(36), unique=True)
    payout_id: Mapped[str] = mapped_column(ForeignKey("payouts.id"))
    policy_id: Mapped[str] = mapped_column(String(60))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(20))  # demanded -> (partly_repaid ->) repaid
    reason: Mapped[str] = mapped_column(String(300))
    demanded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    repayment_id: Mapped[str | None] = mapped_column(String(64))  # the last bank transfer
    repaid_fen: Mapped[int] = mapped_column(Money, default=0, server_default="0")
    # held for payouts that will set it off once the bank has paid them (PayoutOffset)
    offset_held_fen: Mapped[int] = mapped_column(Money, default=0, server_default="0")


class ClawbackRepayment(Base):
    """Each incoming transfer taken for a clawback: once per bank transfer id, the part
    it repaid. Never deleted."""

    __tablename__ = "clawback_repayments"

    transfer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    clawback_id: Mapped[str] = mapped_column(ForeignKey("clawbacks.id"), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # whose account the money came from (a bank transfer's); none for an offset or a return
    payer_account_no: Mapped[str | None] = mapped_column(String(40))


class PayoutOffset(Base):
    """A part of a payout set off against a clawback: held when the payout is reserved,
    taken when the bank pays the payout's rest, released if it does not, undone if the
    bank returns it. Never deleted."""

    __tablename__ = "payout_offsets"

    payout_id: Mapped[str] = mapped_column(ForeignKey("payouts.id"), primary_key=True)
    clawback_id: Mapped[str] = mapped_column(ForeignKey("clawbacks.id"), primary_key=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    # held -> taken (-> undone) | released | refunded (the demand was settled meanwhile)
    status: Mapped[str] = mapped_column(String(10))


class Refund(Base):
    """Money an enterprise repaid that is owed back to it (the payout it repaid came back
    from the bank): sent back through the bank to the account it came from, once per
    repayment. The refund id is the bank instruction id. Never deleted."""

    __tablename__ = "refunds"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    repayment_id: Mapped[str] = mapped_column(String(64), unique=True)
    clawback_id: Mapped[str] = mapped_column(ForeignKey("clawbacks.id"), index=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    amount_fen: Mapped[int] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    account_no: Mapped[str] = mapped_column(String(40))
    # due -> sent -> completed (-> returned) | failed
    status: Mapped[str] = mapped_column(String(20))
    bank_reference: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    settled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class IdempotencyKey(IdempotencyKeyMixin, Base):
    __tablename__ = "idempotency_keys"


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class ProcessedEvent(ProcessedEventMixin, Base):
    __tablename__ = "processed_events"


class DeadLetter(DeadLetterMixin, Base):
    """Events that could never be published (see qinqing_shared.deadletters)."""

    __tablename__ = "dead_letters"


class Job(JobMixin, Base):
    """Due work: retention rounds and what the service schedules (qinqing_shared.jobs)."""

    __tablename__ = "jobs"
