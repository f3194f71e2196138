"""Tables of catalog-svc."""

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


class District(Base):
    __tablename__ = "districts"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    name_zh: Mapped[str | None] = mapped_column(String(50))  # the pages are Chinese first
    kind: Mapped[str] = mapped_column(String(20))


class Department(Base):
    __tablename__ = "departments"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"))


class Service(Base):
    __tablename__ = "services"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"), index=True)
    district_code: Mapped[str | None] = mapped_column(ForeignKey("districts.code"), index=True)
    handled_anywhere: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(String(500), default="")
    # a service item's handling (ItemHandling; None: routed to its department), and how
    # many times its department set it: a decision names the version it was made on
    handling: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    handling_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PolicyRow(Base):
    __tablename__ = "policies"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str | None] = mapped_column(String(200))
    service_code: Mapped[str] = mapped_column(ForeignKey("services.code"))
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    currency: Mapped[str] = mapped_column(String(3))
    budget_fen: Mapped[int] = mapped_column(BigInteger)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date] = mapped_column(Date)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    proactive: Mapped[bool] = mapped_column(Boolean, default=False)  # paid without applying
    notice_days: Mapped[int] = mapped_column(Integer, default=0)


class PolicyVersion(Base):
    """Every version of every policy: a draft until its department publishes it, then
    never changed (an amendment is a newer version with its own dates). ``policies``
    holds the latest published version of each, for lists and search."""

    __tablename__ = "policy_versions"

    policy_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(10))  # draft | published
    department_code: Mapped[str] = mapped_column(String(20), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)  # the Policy, unsigned
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    published_by: Mapped[str | None] = mapped_column(String(100))


class Counter(Base):
    """Live platform figures, moved by events (e.g. cash transactions)."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class EnterpriseDistrict(Base):
    """Each enterprise's district, as identity-svc announces its registrations: for the
    live figures by district."""

    __tablename__ = "enterprise_districts"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    district_code: Mapped[str] = mapped_column(String(6))


class RecentPayout(Base):
    """A completed payout, for the public dashboard's latest payouts and payouts per
    minute: where the money went (department, district) and how much, never to whom.
    Kept a day (retention); a payout counted out of the figures leaves it at once."""

    __tablename__ = "recent_payouts"

    payout_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    paid_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    minute: Mapped[int] = mapped_column(BigInteger, index=True)  # since the epoch, UTC
    department_code: Mapped[str] = mapped_column(String(20))
    district_code: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class CountedOut(Base):
    """A payout taken out of the live figures (its money came back, or was demanded
    back): once, whichever came first."""

    __tablename__ = "payouts_counted_out"

    payout_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    why: Mapped[str] = mapped_column(String(20))  # reversed | clawed-back
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class RequestTopic(Base):
    """What an enterprise may raise, the department that takes it when nothing it links
    to names one, and its time limits in working days (data: docs/interaction.md)."""

    __tablename__ = "request_topics"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_zh: Mapped[str] = mapped_column(String(100))
    department_code: Mapped[str] = mapped_column(String(20))
    acknowledge_days: Mapped[int] = mapped_column(Integer)
    answer_days: Mapped[int] = mapped_column(Integer)
    needs_application: Mapped[bool] = mapped_column(Boolean, default=False)
    # a service item asked for: names the item, and its answer grants or refuses it
    needs_service: Mapped[bool] = mapped_column(Boolean, default=False)


class InteractionRequest(Base):
    """An enterprise's request to a department (诉求直达): who holds it, its status and
    limits. ``round`` counts the times its limits were set (submission, transfer,
    reply, reopening): a limit's job of an earlier round has nothing to do."""

    __tablename__ = "interaction_requests"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    client_id: Mapped[str] = mapped_column(String(100))
    topic: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)  # the enterprise's words: personal data
    links: Mapped[dict[str, Any]] = mapped_column(JSON)
    # a linked application's decision and trace, as an app may read them (masked)
    application: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    department_code: Mapped[str] = mapped_column(String(20), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    submitted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    acknowledge_by: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    answer_by: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    first_answered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    first_answer_in_time: Mapped[bool | None] = mapped_column(Boolean)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    rating: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(10))  # a service item's: granted | refused
    # a service item decided at once: subsidy-svc's signed decision (ItemDecision)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    steps: Mapped[int] = mapped_column(Integer, default=0)  # how many are in its history


class InteractionStep(Base):
    """A request's history: every step, never changed."""

    __tablename__ = "interaction_steps"
    __table_args__ = (UniqueConstraint("request_id", "seq"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[str] = mapped_column(String(36), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    department_code: Mapped[str] = mapped_column(String(20))
    to_department: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)
    rating: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(10))
    escalated_to: Mapped[list[str] | None] = mapped_column(JSON)


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
