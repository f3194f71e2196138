"""Tables of identity-svc: the register and the facts departments hold."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
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


class Sourced:
    """Where a current fact came from: the department, its record, the date it is true
    as of (None on rows loaded before departments sent their own: no provenance)."""

    department: Mapped[str | None] = mapped_column(String(20))
    record_id: Mapped[str | None] = mapped_column(String(64))
    as_of: Mapped[dt.date | None] = mapped_column(Date)


class Enterprise(Sourced, Base):
    __tablename__ = "enterprises"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    district_code: Mapped[str] = mapped_column(String(6), index=True)
    industry_code: Mapped[str] = mapped_column(String(10))
    registered_on: Mapped[dt.date] = mapped_column(Date)
    bank_name: Mapped[str] = mapped_column(String(100))
    bank_account_no: Mapped[str] = mapped_column(String(40))
    legal_representative: Mapped[str] = mapped_column(String(18))


class Person(Sourced, Base):
    __tablename__ = "persons"

    id_number: Mapped[str] = mapped_column(String(18), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    household_district: Mapped[str] = mapped_column(String(6))


class Employment(Sourced, Base):
    """Who works where, as social-insurance contributions show."""

    __tablename__ = "employments"

    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc"), primary_key=True)
    id_number: Mapped[str] = mapped_column(ForeignKey("persons.id_number"), primary_key=True)


class EducationRecord(Sourced, Base):
    """From the education bureau."""

    __tablename__ = "education_records"

    id_number: Mapped[str] = mapped_column(ForeignKey("persons.id_number"), primary_key=True)
    degree: Mapped[str] = mapped_column(String(20))
    graduation_year: Mapped[int] = mapped_column(Integer)


class SocialInsuranceRecord(Sourced, Base):
    """From the human resources and social security bureau."""

    __tablename__ = "social_insurance_records"

    id_number: Mapped[str] = mapped_column(ForeignKey("persons.id_number"), primary_key=True)
    months_in_city: Mapped[int] = mapped_column(Integer)


class HomeOwnershipRecord(Sourced, Base):
    """From the housing bureau."""

    __tablename__ = "home_ownership_records"

    id_number: Mapped[str] = mapped_column(ForeignKey("persons.id_number"), primary_key=True)
    owns_home_in_city: Mapped[bool] = mapped_column(Boolean)


class TaxRecord(Sourced, Base):
    """From the tax bureau: the enterprise's last tax year it sent."""

    __tablename__ = "tax_records"

    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    revenue_fen: Mapped[int] = mapped_column(BigInteger)
    tax_paid_fen: Mapped[int] = mapped_column(BigInteger)
    credit_rating: Mapped[str] = mapped_column(String(1))
    prior_tax_paid_fen: Mapped[int | None] = mapped_column(BigInteger)


class UnemploymentInsuranceRecord(Sourced, Base):
    """From human resources and social security: the enterprise's last year of
    unemployment insurance it sent."""

    __tablename__ = "unemployment_insurance_records"

    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    months_paid: Mapped[int] = mapped_column(Integer)
    paid_fen: Mapped[int] = mapped_column(BigInteger)
    average_insured: Mapped[int] = mapped_column(Integer)
    new_claimants: Mapped[int] = mapped_column(Integer)
    size_class: Mapped[str] = mapped_column(String(6))


class LeaseRecord(Sourced, Base):
    """From housing: the enterprise's registered lease of business premises over the
    last year it sent (rent paid, area, and the small-enterprise base it lies in)."""

    __tablename__ = "lease_records"

    uscc: Mapped[str] = mapped_column(ForeignKey("enterprises.uscc"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    rent_paid_fen: Mapped[int] = mapped_column(BigInteger)
    area_m2: Mapped[int] = mapped_column(Integer)
    incubation_base: Mapped[str | None] = mapped_column(String(100))


class FactRecord(Base):
    """Every record a department sent, as sent: the register's history (nothing here is
    changed or deleted). The current facts are in the tables above."""

    __tablename__ = "fact_records"
    __table_args__ = (UniqueConstraint("department", "record_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    department: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(30))
    subject: Mapped[str] = mapped_column(String(40), index=True)  # USCC and/or ID number
    as_of: Mapped[dt.date] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(12))  # applied, superseded
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    received_from: Mapped[str] = mapped_column(String(100))  # the sender's client id


class OutboxEvent(OutboxMixin, Base):
    __tablename__ = "outbox"


class ProcessedEvent(ProcessedEventMixin, Base):
    __tablename__ = "processed_events"


class PayeeAccountChange(Base):
    """Every change of an enterprise's payee account: which account, who, when."""

    __tablename__ = "payee_account_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    bank_name: Mapped[str] = mapped_column(String(100))
    bank_account_no: Mapped[str] = mapped_column(String(40))
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeadLetter(DeadLetterMixin, Base):
    """Events that could never be published (see qinqing_shared.deadletters)."""

    __tablename__ = "dead_letters"


class AuditEntry(Base):
    """One link of the audit chain: a record, and the hash of the entry before it."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    source: Mapped[str] = mapped_column(String(100))
    actor: Mapped[str] = mapped_column(String(100))
    on_behalf_of: Mapped[str | None] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[str] = mapped_column(String(100))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    outcome: Mapped[str] = mapped_column(String(30))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHead(Base):
    """The chain's head: one row, locked while an entry is appended (never by a writer
    of the audited work itself, which only puts a record in its outbox)."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


class Job(JobMixin, Base):
    """Due work: retention rounds and what the service schedules (qinqing_shared.jobs)."""

    __tablename__ = "jobs"
