"""Tables of subsidy-svc."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from qinqing_shared.db import new_metadata
from qinqing_shared.deadletters import DeadLetterMixin
from qinqing_shared.inbox import ProcessedEventMixin
from qinqing_shared.jobs import JobMixin
from qinqing_shared.outbox import OutboxMixin


class Base(DeclarativeBase):
    metadata = new_metadata()


class ApplicationRow(Base):
    __tablename__ = "applications"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(60), index=True)
    policy_version: Mapped[int] = mapped_column(Integer)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    status: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    decision: Mapped[dict[str, Any]] = mapped_column(JSON)
    beneficiaries: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # identity-svc's signature of the payee account, handed on in the payout order
    payee_proof: Mapped[str | None] = mapped_column(Text)
    # the policy's word on its claims if it is clawed back: kept or released
    claims_after_clawback: Mapped[str | None] = mapped_column(String(10))


class Claim(Base):
    """One claim per person, policy and year; the unique key enforces the rule."""

    __tablename__ = "claims"
    __table_args__ = (UniqueConstraint("policy_id", "id_number", "year"),)

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), index=True)
    policy_id: Mapped[str] = mapped_column(String(60))
    id_number: Mapped[str] = mapped_column(String(18))
    year: Mapped[int] = mapped_column(Integer)
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class ApplicationCommitment(Base):
    """A credit commitment an approved application relies on: broken, it is clawed back."""

    __tablename__ = "application_commitments"

    application_id: Mapped[str] = mapped_column(ForeignKey("applications.id"), primary_key=True)
    commitment_id: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class ProactiveRunRow(Base):
    """A proactive policy version's run over every enterprise (qinqing_shared.contracts
    .subsidy.ProactiveRun): how far its evaluation has come, in USCC order."""

    __tablename__ = "proactive_runs"

    policy_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    policy_version: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_code: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(12))
    cursor: Mapped[str | None] = mapped_column(String(18))
    evaluated: Mapped[int] = mapped_column(Integer, default=0)
    eligible: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    evaluated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class NoticeRow(Base):
    """An eligible enterprise told it will be paid without applying; its id is the id
    its application gets when the notice is taken for payment."""

    __tablename__ = "notices"
    __table_args__ = (UniqueConstraint("policy_id", "policy_version", "uscc"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(60))
    policy_version: Mapped[int] = mapped_column(Integer)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    beneficiaries: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))
    noticed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    pay_after: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    declined_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    taken_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    failed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    failure: Mapped[str | None] = mapped_column(String(500))


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
