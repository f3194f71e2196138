"""Transactional outbox: events are rows written with the change, relayed to JetStream."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Container
from typing import Any

from nats.errors import MaxPayloadError
from nats.js import JetStreamContext
from nats.js.errors import BadRequestError
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Integer,
    String,
    bindparam,
    delete,
    func,
    inspect,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from qinqing_shared import audit, tracing
from qinqing_shared.cancel import stop_if_cancelled
from qinqing_shared.contracts.events import EVENTS
from qinqing_shared.db import as_utc, table_of
from qinqing_shared.deadletters import DeadLetterMixin, DeadLetters
from qinqing_shared.events import CloudEvent
from qinqing_shared.uow import Units

log = logging.getLogger("qinqing.outbox")
DEAD_EVENT = "outbox-event"
# Failures that publishing again cannot cure: the event goes to the dead letters.
PERMANENT = (MaxPayloadError, BadRequestError)
_PENDING_KEY = "qinqing_outbox_pending"
_LAST_MARKS_SECONDS = 5.0  # how long a stopping relay tries to mark what was acknowledged


class UnregisteredEvent(Exception):
    """A subject no one documented: a bug, refused before anything is written."""


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
    traceparent: Mapped[str | None] = mapped_column(String(55))  # see qinqing_shared.tracing
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    def to_event(self) -> CloudEvent:
        return CloudEvent(
            id=self.event_id,
            type=self.subject,
            source=self.source,
            time=as_utc(self.occurred_at),  # SQLite hands it back without its zone
            subject=self.ce_subject,
            data=self.data,
            traceparent=self.traceparent,
        )


class Outbox:
    """Adds events to the current transaction and relays committed ones to JetStream.

    Two paths lead to JetStream. The fast one: when a transaction that wrote events
    commits, its events are handed to this process's relay in memory and published at
    once (no read of the table). The safe one: the relay scans the table for unpublished
    rows on start, after any failure, and every ``scan`` seconds, which covers a process
    that died between commit and publish, and events written by other processes.
    Either way a row is marked published only after JetStream acknowledged it, and a
    republished event keeps its ``Nats-Msg-Id``, so JetStream drops the duplicate.
    """

    def __init__(
        self,
        model: type[OutboxMixin],
        source: str,
        dead_letters: DeadLetters | None = None,
        events: Container[str] = EVENTS,
    ) -> None:
        self.model = model
        self.source = source
        self.events = events  # the subjects it may publish: the registry
        # where an event that can never be published goes, so the rest flows
        self.dead_letters = dead_letters
        if dead_letters is not None:
            dead_letters.requeue[DEAD_EVENT] = self._requeue
        self.wake = asyncio.Event()
        self._fresh: list[CloudEvent] = []
        table = table_of(model)  # built once: values go as parameters (see db.insert_ignore)
        self._mark = (
            update(table)
            .where(table.c.event_id.in_(bindparam("ids", expanding=True)))
            .values(published_at=bindparam("at"))
        )

    def add(
        self, session: AsyncSession, subject: str, data: dict[str, Any], key: str | None = None
    ) -> CloudEvent:
        """Write an event in the session's transaction; it is published after commit.

        The subject must be in the event registry (``contracts.events.EVENTS``): what is
        published is what is documented."""
        if subject not in self.events:
            raise UnregisteredEvent(f"{subject} is not in qinqing_shared.contracts.events")
        event = CloudEvent(
            type=subject,
            source=self.source,
            subject=key,
            data=data,
            traceparent=tracing.traceparent(),
        )
        row = self.model(**_row(event))
        session.add(row)
        session.info.setdefault(_PENDING_KEY, []).append((self, row, event))
        return event

    def committed(self, events: list[CloudEvent]) -> None:
        """Events whose transaction has committed: publish them now."""
        self._fresh.extend(events)
        self.wake.set()

    def take_fresh(self, limit: int | None) -> list[CloudEvent]:
        """Up to ``limit`` handed-over events (all of them for None), oldest first."""
        batch = self._fresh[:limit]
        del self._fresh[: len(batch)]
        return batch

    async def pending(self, units: Units, limit: int) -> list[Any]:
        async with units.read() as unit:
            query = select(self.model).where(self.model.published_at.is_(None))
            rows = await unit.session.scalars(query.order_by(self.model.seq).limit(limit))
            return list(rows)

    async def mark_published(self, units: Units, event_ids: list[str]) -> None:
        async with units.write() as uow:
            values = {"ids": event_ids, "at": dt.datetime.now(dt.UTC)}
            await uow.session.execute(self._mark, values)
            await uow.commit()

    async def oldest_pending_age(self, units: Units, now: dt.datetime) -> float:
        """Seconds since the oldest event not yet on NATS was committed (0: none)."""
        async with units.read() as unit:
            query = select(func.min(self.model.occurred_at)).where(
                self.model.published_at.is_(None)
            )
            oldest = await unit.session.scalar(query)
        return 0.0 if oldest is None else max(0.0, (now - as_utc(oldest)).total_seconds())

    async def pending_count(self, units: Units) -> int:
        async with units.read() as unit:
            query = select(func.count()).where(self.model.published_at.is_(None))
            return int(await unit.session.scalar(query) or 0)

    async def publish(self, units: Units, js: JetStreamContext, events: list[Any]) -> None:
        """Publish, await every acknowledgement, then mark the rows published."""
        dead = await self.send(units, js, events)
        await self.mark_published(units, [e.id for e in events if e.id not in dead])

    async def send(self, units: Units, js: JetStreamContext, events: list[Any]) -> set[str]:
        """Publish and await every acknowledgement; the ids of events buried as dead.

        An event that can never be published (too large for NATS, refused by JetStream
        as malformed) goes to the dead-letter store and leaves the outbox, in one
        transaction. Any other failure (NATS down) is raised: the rows stay for later.
        """
        failures = await _publish(js, events)
        dead = {e.id: f for e, f in failures if isinstance(f, PERMANENT) and self.dead_letters}
        if dead:
            await self._bury(units, [(e, dead[e.id]) for e in events if e.id in dead])
        for _event, failure in failures:
            if not isinstance(failure, PERMANENT) or self.dead_letters is None:
                raise failure
        return set(dead)

    async def _bury(self, units: Units, dead: list[tuple[CloudEvent, Exception]]) -> None:
        assert self.dead_letters is not None
        async with units.write() as uow:
            session = uow.session
            for event, failure in dead:
                error = f"{type(failure).__name__}: {failure}"
                payload = event.model_dump(mode="json")
                self.dead_letters.add(
                    session,
                    kind=DEAD_EVENT,
                    ref=event.id,
                    subject=event.type,
                    payload=payload,
                    error=error,
                )
            ids = [event.id for event, _ in dead]
            await session.execute(delete(self.model).where(self.model.event_id.in_(ids)))
            await uow.commit()

    async def _requeue(
        self, session: AsyncSession, letter: DeadLetterMixin, payload: dict[str, Any]
    ) -> None:
        """A replayed event goes back in the outbox (its id kept), published after commit,
        with an audit record of who replayed it."""
        event = CloudEvent.model_validate(payload | {"id": letter.ref})
        row = self.model(**_row(event))
        session.add(row)
        session.info.setdefault(_PENDING_KEY, []).append((self, row, event))
        audit.record(
            self,
            session,
            actor=letter.replayed_by or "unknown",
            action="dead-letter.replayed",
            object_type="event",
            object_id=letter.ref,
        )

    async def relay_once(self, units: Units, js: JetStreamContext, limit: int = 200) -> int:
        """Scan the table and publish one batch of unpublished rows, oldest first."""
        rows = await self.pending(units, limit)
        if rows:
            await self.publish(units, js, [row.to_event() for row in rows])
        return len(rows)

    async def relay_forever(
        self,
        units: Units,
        js: JetStreamContext,
        scan: float,
        limit: int = 200,
        mark_after: float = 0.2,
    ) -> None:
        """Publish hand-overs at once; mark them in batches, at most ``mark_after`` late.

        A handed-over event is marked published a moment after JetStream acknowledged
        it, together with whatever else was acknowledged meanwhile: one marking commit
        for many events. Until then the row reads as unpublished; a process that dies in
        between republishes it (same ``Nats-Msg-Id``, dropped by JetStream), so nothing
        is lost and nothing reaches a subscriber twice. Marks are flushed before a scan.
        """
        relay = _Relay(self, units, js, limit, mark_after)
        try:
            await relay.run(scan)
        finally:
            # Best effort, and brief: a database that does not answer must not hold up
            # the shutdown; rows left unmarked are published again (and dropped) later.
            # The flush never outlives the relay: it would use a database being closed.
            flush = asyncio.ensure_future(relay.flush_marks())
            try:
                await asyncio.wait_for(asyncio.shield(flush), _LAST_MARKS_SECONDS)
            except BaseException:  # noqa: BLE001 - timed out, failed, or cancelled again
                flush.cancel()
                await asyncio.gather(flush, return_exceptions=True)


class _Relay:
    """The state of one running relay loop: when to scan, what is acked but unmarked."""

    def __init__(
        self,
        outbox: Outbox,
        units: Units,
        js: JetStreamContext,
        limit: int,
        mark_after: float,
    ) -> None:
        self.outbox, self.units, self.js = outbox, units, js
        self.limit, self.mark_after = limit, mark_after
        self.acked: list[str] = []
        self.mark_due = 0.0

    async def run(self, scan: float) -> None:
        loop = asyncio.get_running_loop()
        next_scan = loop.time()  # at once: leftovers of an earlier run, or of another process
        while True:
            stop_if_cancelled()  # a cancellation wait_for swallowed still stops the relay
            self.outbox.wake.clear()
            try:
                if loop.time() >= next_scan:
                    # Every ``scan`` seconds, busy or not: a steady stream of hand-overs
                    # must not starve the rows that no commit of this process handed over.
                    await self.scan()
                    next_scan = loop.time() + scan
                await self.publish_fresh(loop.time())
                if self.acked and (len(self.acked) >= self.limit or loop.time() >= self.mark_due):
                    await self.flush_marks()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("outbox relay failed; retrying from the table", exc_info=True)
                await asyncio.sleep(min(scan, 1.0))
                next_scan = loop.time()
                continue
            wake_at = min(next_scan, self.mark_due) if self.acked else next_scan
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.outbox.wake.wait(), max(0.0, wake_at - loop.time()))

    async def scan(self) -> None:
        await self.flush_marks()  # what was acknowledged is not published again
        self.outbox.take_fresh(None)  # committed, so the scan finds them
        while await self.outbox.relay_once(self.units, self.js, self.limit) == self.limit:
            pass

    async def publish_fresh(self, now: float) -> None:
        # A failed publish leaves its rows to the scan that follows any failure.
        while batch := self.outbox.take_fresh(self.limit):
            dead = await self.outbox.send(self.units, self.js, batch)
            if not self.acked:
                self.mark_due = now + self.mark_after
            self.acked.extend(event.id for event in batch if event.id not in dead)

    async def flush_marks(self) -> None:
        while self.acked:
            batch = self.acked[: self.limit]
            await self.outbox.mark_published(self.units, batch)
            del self.acked[: len(batch)]


async def _publish(js: JetStreamContext, events: list[Any]) -> list[tuple[Any, Exception]]:
    """Publish and await every acknowledgement; the events that failed, with why."""
    answers = await asyncio.gather(
        *(js.publish(e.type, e.body(), headers=e.headers()) for e in events),
        return_exceptions=True,
    )
    failed = [(e, a) for e, a in zip(events, answers, strict=True) if isinstance(a, BaseException)]
    for _event, answer in failed:
        if not isinstance(answer, Exception):  # a cancellation, not a failure to publish
            raise answer
    return [(e, a) for e, a in failed if isinstance(a, Exception)]


def _row(event: CloudEvent) -> dict[str, Any]:
    return {
        "event_id": event.id,
        "subject": event.type,
        "source": event.source,
        "occurred_at": event.time,
        "ce_subject": event.subject,
        "data": event.data,
        "traceparent": event.traceparent,
    }


def hand_over_after_commit(session: Session) -> None:
    """Session ``after_commit`` hook: give the committed events to their relays.

    The hook also fires when a savepoint is released: nothing is handed over until the
    outermost transaction commits. Rows added inside a savepoint that was rolled back
    became transient again: skipped.
    """
    if session.in_nested_transaction():
        return
    by_outbox: dict[Outbox, list[CloudEvent]] = {}
    for outbox, row, event in session.info.pop(_PENDING_KEY, ()):
        if inspect(row).has_identity:
            by_outbox.setdefault(outbox, []).append(event)
    for outbox, events in by_outbox.items():
        outbox.committed(events)


def forget_after_rollback(session: Session, transaction: SessionTransaction) -> None:
    """Session ``after_soft_rollback`` hook: a rolled-back transaction's events never leave.

    (A rolled-back savepoint's rows are skipped at commit, see above.)
    """
    if transaction.parent is None:
        session.info.pop(_PENDING_KEY, None)
