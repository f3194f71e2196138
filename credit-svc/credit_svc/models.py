"""Tables of credit-svc."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, String, Text, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from qinqing_shared.db import new_metadata
from qinqing_shared.deadletters import DeadLetterMixin
from qinqing_shared.inbox import ProcessedEventMixin
from qinqing_shared.jobs import JobMixin
from qinqing_shared.outbox import OutboxMixin


class Base(DeclarativeBase):
    metadata = new_metadata()


class CreditRecord(Base):
    """A record a department filed (black list, red list, violation), or an enterprise's
    commitment (信用承诺) made through the platform to a policy's department."""

    __tablename__ = "credit_records"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(500))
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    # filed by a department through the API (None: loaded with the demo data)
    filed_by: Mapped[str | None] = mapped_column(String(100))
    filed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # credit repair: the record stays, in force no more from lifted_on
    lifted_on: Mapped[dt.date | None] = mapped_column(Date)
    lifted_by: Mapped[str | None] = mapped_column(String(100))
    repair_commitment: Mapped[str | None] = mapped_column(Text)
    lift_reason: Mapped[str | None] = mapped_column(String(500))
    # a commitment: what it stands for (a policy's clause, for one person; or a service
    # item's condition, for the enterprise itself), what was declared and by whom;
    # closed (kept, broken, lapsed) when verified
    policy_id: Mapped[str | None] = mapped_column(String(60))
    service_code: Mapped[str | None] = mapped_column(String(40))
    clause: Mapped[str | None] = mapped_column(String(60))
    fact: Mapped[str | None] = mapped_column(String(100))
    subject: Mapped[str | None] = mapped_column(String(18))  # the person's ID number
    statement: Mapped[str | None] = mapped_column(Text)
    signed_by: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str | None] = mapped_column(String(10))  # open, kept, broken, lapsed
    # a clause opened to red-listed enterprises only: it stands while the red list does
    redlist_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    closed_on: Mapped[dt.date | None] = mapped_column(Date)  # in force until the day before
    evidence: Mapped[str | None] = mapped_column(String(500))
    # a violation the platform filed because this commitment was broken
    commitment_id: Mapped[str | None] = mapped_column(String(64), index=True)


class CreditCheckRow(Base):
    """One check per application: asking again returns the same answer."""

    __tablename__ = "credit_checks"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(36), unique=True)
    uscc: Mapped[str] = mapped_column(String(18))
    checked_on: Mapped[dt.date] = mapped_column(Date)
    allowed: Mapped[bool] = mapped_column(Boolean)
    fast_track: Mapped[bool] = mapped_column(Boolean)
    reasons: Mapped[list[str]] = mapped_column(JSON)
    records: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    commitments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


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
