"""Tables of the gateway: idempotency keys, the saga's flow log, the authorization
server's clients, and the webhooks (endpoints, deliveries, their inbox and dead letters)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
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
from qinqing_shared.idempotency import IdempotencyKeyMixin
from qinqing_shared.inbox import ProcessedEventMixin
from qinqing_shared.jobs import JobMixin


class Base(DeclarativeBase):
    metadata = new_metadata()


class IdempotencyRecord(IdempotencyKeyMixin, Base):
    """A client's key, the request's fingerprint, and once done the answer to replay."""

    __tablename__ = "idempotency_keys"


class FlowStatus(StrEnum):
    RUNNING = "running"  # being advanced (or to be taken over by the sweep)
    PROCESSING = "processing"  # waiting for the bank's confirmation
    PAID = "paid"
    REJECTED = "rejected"
    FAILED = "failed"  # ended by a problem the caller caused; answered again as is
    CLAWED_BACK = "clawed_back"  # paid, then its commitment was broken (aftermath.py)


class Flow(Base):
    """One subsidy request on its way through identity, eligibility, credit and payout."""

    __tablename__ = "flows"

    application_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(60))
    uscc: Mapped[str] = mapped_column(String(18), index=True)
    client_id: Mapped[str] = mapped_column(String(100))
    idempotency_key: Mapped[str] = mapped_column(String(255))
    applied_on: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), index=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    # written at the start and at the end; in between, the steps' times tell (sweep)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class FlowStep(Base):
    """A step's recorded result: a resumed flow skips it instead of repeating it."""

    __tablename__ = "flow_steps"

    application_id: Mapped[str] = mapped_column(
        ForeignKey("flows.application_id"), primary_key=True
    )
    step: Mapped[str] = mapped_column(String(30), primary_key=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    completed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class OAuthClient(Base):
    """A registered client of the authorization server: an app, an enterprise's system, a
    department, an operator or a platform service. The secret is kept as a hash only."""

    __tablename__ = "oauth_clients"

    client_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    secret_sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    scopes: Mapped[str] = mapped_column(String(500))
    uscc: Mapped[str | None] = mapped_column(String(18))
    department: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # where the authorization-code grant may send a code back (space separated, exact)
    redirect_uris: Mapped[str | None] = mapped_column(String(1000))


class AppGrant(Base):
    """An enterprise lets an app act for it (apply, read its applications) until revoked."""

    __tablename__ = "app_grants"

    uscc: Mapped[str] = mapped_column(String(18), primary_key=True)
    client_id: Mapped[str] = mapped_column(ForeignKey("oauth_clients.client_id"), primary_key=True)
    granted_by: Mapped[str] = mapped_column(String(100))
    granted_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class RevokedToken(Base):
    """An access token revoked before it expired (RFC 7009); kept until it would expire."""

    __tablename__ = "revoked_tokens"

    jti: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class Person(Base):
    """A person who signs in: a member of an enterprise's staff (``uscc``), or a
    department's officer (``department``, with the scopes the department gives them)."""

    __tablename__ = "people"

    username: Mapped[str] = mapped_column(String(100), primary_key=True)
    password_scrypt: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(200))
    uscc: Mapped[str | None] = mapped_column(String(18), index=True)
    department: Mapped[str | None] = mapped_column(String(20))
    scopes: Mapped[str | None] = mapped_column(String(500))  # an officer's, space separated
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class AuthorizationCode(Base):
    """An authorization code (RFC 6749 §4.1, PKCE RFC 7636): kept as a hash, used once."""

    __tablename__ = "authorization_codes"

    code_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(100))
    username: Mapped[str] = mapped_column(String(100))
    uscc: Mapped[str | None] = mapped_column(String(18))
    department: Mapped[str | None] = mapped_column(String(20))  # an officer's code
    redirect_uri: Mapped[str] = mapped_column(String(500))
    code_challenge: Mapped[str] = mapped_column(String(128))
    scope: Mapped[str] = mapped_column(String(500))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A browser's session with the portal (qinqing_gateway.web): the cookie holds a
    random id, kept here as a hash. Before sign-in it holds the OAuth state and PKCE
    verifier; after, the signed-in person's access token, until that token expires."""

    __tablename__ = "web_sessions"

    id_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    csrf: Mapped[str] = mapped_column(String(64))
    state: Mapped[str | None] = mapped_column(String(64))
    verifier: Mapped[str | None] = mapped_column(String(128))
    username: Mapped[str | None] = mapped_column(String(100))
    uscc: Mapped[str | None] = mapped_column(String(18))  # a person of an enterprise
    department: Mapped[str | None] = mapped_column(String(20))  # or an officer
    access_token: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class ProcessedEvent(ProcessedEventMixin, Base):
    """Events the webhook dispatcher has turned into deliveries (the inbox)."""

    __tablename__ = "processed_events"


class DeadLetter(DeadLetterMixin, Base):
    """Webhook deliveries that failed their last try (see qinqing_shared.deadletters)."""

    __tablename__ = "dead_letters"


class WebhookEndpoint(Base):
    """An HTTPS endpoint a department or an app registered for some subjects; the
    secret signs every delivery (Standard Webhooks) and is shown once, at registration."""

    __tablename__ = "webhook_endpoints"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    client_id: Mapped[str] = mapped_column(String(100), index=True)  # its owner
    owner_kind: Mapped[str] = mapped_column(String(20))  # "app" or "department"
    url: Mapped[str] = mapped_column(String(2000))
    subjects: Mapped[list[str]] = mapped_column(JSON)
    secret: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeliveryState(StrEnum):
    PENDING = "pending"  # to be sent, or sent again when next_attempt_at comes
    DELIVERED = "delivered"  # the endpoint answered 2xx
    DEAD = "dead"  # failed its last try: a dead letter now, the next one goes on


class WebhookDelivery(Base):
    """One event for one endpoint; sent in order of ``seq`` per endpoint and application."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("endpoint_id", "event_id"),)

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[str] = mapped_column(String(36), unique=True)
    endpoint_id: Mapped[str] = mapped_column(
        ForeignKey("webhook_endpoints.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[str] = mapped_column(String(36))
    subject: Mapped[str] = mapped_column(String(200))
    order_key: Mapped[str] = mapped_column(String(100))  # the application it is about
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20), index=True)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Job(JobMixin, Base):
    """Due work: retention rounds and what the service schedules (qinqing_shared.jobs)."""

    __tablename__ = "jobs"
