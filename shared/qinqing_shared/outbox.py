"""Transactional outbox: events are rows written with the change, relayed to JetStream."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from typing import Any

from nats.js import JetStreamContext
from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, Session, mapped_column

from qinqing_shared.db import as_utc
from qinqing_shared.events import CloudEvent

log = logging.getLogger("qinqing.outbox")
_WAKE_KEY = "qinqing_outbox_wake"


class OutboxMixin:
    """Columns of a service's ``outbox`` table; the service maps it on its own Base."""

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    event_id: Mapped[str] = mapped_column(String(36), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(100))
    occurred_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    ce_subject: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    def to_event(self) -> CloudEvent:
        return CloudEvent(
            id=self.event_id,
            type=self.subject,
            source=self.source,
            time=as_utc(self.occurred_at),  # SQLite hands it back without its zone
            subject=self.ce_subject,
            data=self.data,
        )


class Outbox:
    """Adds events to the current transaction and relays committed ones to JetStream."""

    def __init__(self, model: type[OutboxMixin], source: str) -> None:
        self.model = model
        self.source = source
        self.wake = asyncio.Event()

    def add(
        self, session: AsyncSession, subject: str, data: dict[str, Any], key: str | None = None
    ) -> CloudEvent:
        """Write an event in the session's transaction; it is published after commit."""
        event = CloudEvent(type=subject, source=self.source, subject=key, data=data)
        session.add(self.model(**_row(event)))
        session.info[_WAKE_KEY] = self.wake
        return event

    async def pending(self, sessions: async_sessionmaker[AsyncSession], limit: int) -> list[Any]:
        async with sessions() as session, session.begin():
            query = select(self.model).where(self.model.published_at.is_(None))
            rows = await session.scalars(query.order_by(self.model.seq).limit(limit))
            return list(rows)

    async def mark_published(
        self, sessions: async_sessionmaker[AsyncSession], seqs: list[int]
    ) -> None:
        async with sessions() as session, session.begin():
            await session.execute(
                update(self.model)
                .where(self.model.seq.in_(seqs))
                .values(published_at=dt.datetime.now(dt.UTC))
            )

    async def pending_count(self, sessions: async_sessionmaker[AsyncSession]) -> int:
        async with sessions() as session:
            query = select(func.count()).where(self.model.published_at.is_(None))
            return int(await session.scalar(query) or 0)

    async def relay_once(
        self, sessions: async_sessionmaker[AsyncSession], js: JetStreamContext, limit: int = 200
    ) -> int:
        """Publish one batch; a crash before marking republishes with the same msg id."""
        rows = await self.pending(sessions, limit)
        if not rows:
            return 0
        events = [row.to_event() for row in rows]
        await asyncio.gather(*(js.publish(e.type, e.body(), headers=e.headers()) for e in events))
        await self.mark_published(sessions, [row.seq for row in rows])
        return len(rows)

    async def relay_forever(
        self, sessions: async_sessionmaker[AsyncSession], js: JetStreamContext, poll: float
    ) -> None:
        while True:
            try:
                while await self.relay_once(sessions, js):
                    pass
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("outbox relay failed; retrying", exc_info=True)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), poll)
            self.wake.clear()


def _row(event: CloudEvent) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "subject": event.type,
        "source": event.source,
        "occurred_at": event.time,
        "ce_subject": event.subject,
        "data": event.data,
    }


def wake_relay_after_commit(session: Session) -> None:
    """Session ``after_commit`` hook: tell the relay there is something to publish."""
    wake = session.info.pop(_WAKE_KEY, None)
    if isinstance(wake, asyncio.Event):
        wake.set()
