"""Durable JetStream consumers that handle each event id once."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig
from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from qinqing_shared import tracing
from qinqing_shared.cancel import stop_if_cancelled
from qinqing_shared.db import insert_ignore, inserted_of
from qinqing_shared.events import CloudEvent, domain_of, ensure_stream, stream_name
from qinqing_shared.uow import UnitOfWork, Units

log = logging.getLogger("qinqing.inbox")

# Runs in the unit that records the event id; the inbox commits it.
Handler = Callable[[UnitOfWork, CloudEvent], Awaitable[None]]
# Runs in the unit that records the ids of a fetched batch's new events, given them in
# the order they came; the inbox commits it (e.g. one append of many to the audit chain)
BatchHandler = Callable[[UnitOfWork, list[CloudEvent]], Awaitable[None]]


class ProcessedEventMixin:
    """Columns of a service's ``processed_events`` table (the inbox)."""

    event_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    consumer: Mapped[str] = mapped_column(String(100), primary_key=True)
    processed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Subscription:
    """A durable consumer: the subject filter, its name, and the handler; ``wanted``,
    when given, says whether an event of this subject is of use now (False: acked
    without a transaction, e.g. no webhook wants it)."""

    subject: str
    durable: str
    handler: Handler
    wanted: Callable[[str], bool] | None = None
    # who may speak on these subjects: (subject, ce-source) -> bool; by default only the
    # domain's own service (a department's ingest subjects name the department instead)
    origin: Callable[[str, str], bool] | None = None
    # handles the new events of each fetched batch in one transaction, where one per
    # event costs more than the work (the audit chain); an event the batch cannot take
    # is then handled alone by ``handler``, so it fails alone
    batch_handler: BatchHandler | None = None


async def handle_once(
    units: Units,
    model: type[ProcessedEventMixin],
    sub: Subscription,
    event: CloudEvent,
) -> bool:
    """Record the event id, then run the handler, in one transaction; False if seen before.

    The id goes in first: a second delivery running at the same time waits on it (or
    finds it) instead of running the handler too.
    """
    async with units.write() as uow:
        values = {"event_id": event.id, "consumer": sub.durable}
        if not await insert_ignore(uow.session, model, values | {"processed_at": _now()}):
            return False
        await sub.handler(uow, event)
        await uow.commit()
    return True


def each_in_one(handler: Handler) -> BatchHandler:
    """A batch handler that runs ``handler`` on each event in turn, all in the batch's
    one transaction: for a consumer whose cost is mostly its transaction (a counter
    moved, a status set), where a batch of 50 events is one commit instead of 50."""

    async def run(uow: UnitOfWork, events: list[CloudEvent]) -> None:
        for event in events:
            await handler(uow, event)

    return run


async def handle_batch(
    units: Units,
    model: type[ProcessedEventMixin],
    sub: Subscription,
    events: list[CloudEvent],
) -> int:
    """Record the ids (one statement), then run the batch handler on the events not seen
    before, in the order they came, in one transaction; how many were new."""
    assert sub.batch_handler is not None
    once = list({event.id: event for event in events}.values())  # a repeat in the batch
    now = _now()
    rows = [
        {"event_id": event_id, "consumer": sub.durable, "processed_at": now}
        for event_id in sorted(event.id for event in once)
    ]
    async with units.write() as uow:
        new = await inserted_of(uow.session, model, rows, "event_id")
        fresh = [event for event in once if event.id in new]
        if fresh:
            await sub.batch_handler(uow, fresh)
        await uow.commit()
    return len(fresh)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def consume_forever(
    js: JetStreamContext,
    units: Units,
    model: type[ProcessedEventMixin],
    sub: Subscription,
    replicas: int = 1,
) -> None:
    """Pull, handle, then ack: a crash before the ack means a redelivery, handled as seen."""
    domain = domain_of(sub.subject)
    await ensure_stream(js, domain, replicas)
    config = ConsumerConfig(ack_policy=AckPolicy.EXPLICIT, ack_wait=30, max_ack_pending=1000)
    pull = await js.pull_subscribe(
        sub.subject, durable=sub.durable, stream=stream_name(domain), config=config
    )
    while True:
        stop_if_cancelled()
        try:
            messages = await pull.fetch(batch=50, timeout=1)
        except TimeoutError:
            stop_if_cancelled()
            continue
        except asyncio.CancelledError:
            raise
        except Exception:
            log.warning("fetch failed on %s", sub.durable, exc_info=True)
            await asyncio.sleep(1)
            continue
        if sub.batch_handler is not None and await _process_batch(messages, units, model, sub):
            continue
        for msg in messages:
            await _process(msg, units, model, sub)


async def _process_batch(
    messages: list[Msg], units: Units, model: type[ProcessedEventMixin], sub: Subscription
) -> bool:
    """The batch in one transaction, then every message acked; False (nothing done,
    nothing acked) when one message is not a plain event of use or the transaction
    failed: each is then processed alone, so what is wrong with one stays with it."""
    events = []
    for msg in messages:
        try:
            event = CloudEvent.from_message(msg.headers, msg.data)
        except (ValueError, KeyError):
            return False
        unwanted = sub.wanted is not None and not sub.wanted(event.type)
        if unwanted or not _from_its_owner(sub, msg.subject, event.source):
            return False
        events.append(event)
    try:
        with tracing.consuming(sub.subject, messages[0].headers if messages else None):
            await handle_batch(units, model, sub, events)
    except Exception:
        log.warning(
            "batch of %d failed on %s: one at a time", len(events), sub.durable, exc_info=True
        )
        return False
    for msg in messages:
        await msg.ack()
    return True


def _from_its_owner(sub: Subscription, subject: str, source: str) -> bool:
    if sub.origin is not None:
        return sub.origin(subject, source)
    return source == f"/qinqing/{domain_of(subject)}-svc"  # a domain's own service only


async def _process(
    msg: Msg,
    units: Units,
    model: type[ProcessedEventMixin],
    sub: Subscription,
) -> None:
    try:
        event = CloudEvent.from_message(msg.headers, msg.data)
    except (ValueError, KeyError):
        log.error("dropping a message that is not a CloudEvent on %s", msg.subject)
        await msg.term()
        return
    if not _from_its_owner(sub, msg.subject, event.source):
        log.error(
            "dropping %s on %s: it came from %r, not the subject's owner",
            event.id,
            msg.subject,
            event.source,
        )
        await msg.term()
        return
    if sub.wanted is not None and not sub.wanted(event.type):
        await msg.ack()  # of no use now: nothing to record
        return
    try:
        with tracing.consuming(msg.subject, msg.headers):
            await handle_once(units, model, sub, event)
    except Exception:
        log.exception("handler %s failed on event %s", sub.durable, event.id)
        await msg.nak(delay=1)
        return
    await msg.ack()
