"""Consumers that take a fetched batch in one transaction (qinqing_shared.inbox,
``batch_handler``), on real NATS and a real database: each event once, in order; an
event the batch cannot take handled alone, so it fails alone; and the audit chain
appended a batch at a time is the chain appended one record at a time."""

from __future__ import annotations

import datetime as dt

from nats.js import JetStreamContext
from sqlalchemy import select

from identity_svc.audit import _content, append, append_all, verify
from identity_svc.models import AuditEntry, ProcessedEvent
from qinqing_shared.audit import GENESIS, audit_subject, chain_hash
from qinqing_shared.db import Database, insert_ignore
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription, each_in_one, handle_batch
from qinqing_shared.uow import UnitOfWork, Units
from tests.service.test_events import (
    IDENTITY,
    consuming,
    db,
    js,
    subscription,
    until,
)

__all__ = ["db", "js"]


class Seen:
    """What the handlers were given: each batch, and each event handled alone."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.alone: list[int] = []

    async def batch(self, _uow: UnitOfWork, events: list[CloudEvent]) -> None:
        if any(e.data.get("poison") for e in events):
            raise ValueError("this batch holds an event the handler cannot take")
        self.batches.append([int(e.data["n"]) for e in events])

    async def one(self, _uow: UnitOfWork, event: CloudEvent) -> None:
        if event.data.get("poison"):
            raise ValueError("nor alone")
        self.alone.append(int(event.data["n"]))

    def subscription(self) -> Subscription:
        plain = subscription(self.one)
        return Subscription(plain.subject, plain.durable, self.one, batch_handler=self.batch)


async def publish(js: JetStreamContext, sub: Subscription, *events: CloudEvent) -> None:
    for event in events:
        await js.publish(sub.subject, event.body(), headers=event.headers())


def numbered(sub: Subscription, n: int, **more: object) -> CloudEvent:
    return CloudEvent(type=sub.subject, source=IDENTITY, data={"n": n, **more})


async def handled(db: Database, durable: str) -> int:
    async with Units(db).read() as unit:
        query = select(ProcessedEvent).where(ProcessedEvent.consumer == durable)
        return len(list(await unit.session.scalars(query)))


async def test_a_fetched_batch_is_one_transaction_with_each_event_once_in_order(
    db: Database, js: JetStreamContext
) -> None:
    seen = Seen()
    sub = seen.subscription()
    events = [numbered(sub, n) for n in range(30)]
    await publish(js, sub, *events)
    again = events[7].headers() | {"Nats-Msg-Id": "a-second-delivery"}  # the same event id
    await js.publish(sub.subject, events[7].body(), headers=again)
    async with consuming(db, js, sub):
        await until(lambda: sum(len(b) for b in seen.batches) >= 30)
    assert seen.batches == [list(range(30))]
    assert (seen.alone, await handled(db, sub.durable)) == ([], 30)


async def test_an_event_the_batch_cannot_take_is_handled_alone_and_fails_alone(
    db: Database, js: JetStreamContext
) -> None:
    seen = Seen()
    sub = seen.subscription()
    forged = CloudEvent(type=sub.subject, source="/qinqing/payment-svc", data={"n": 99})
    await publish(js, sub, numbered(sub, 0), numbered(sub, 1, poison=True), forged)
    await publish(js, sub, numbered(sub, 2))
    async with consuming(db, js, sub):
        await until(lambda: sorted(seen.alone) == [0, 2])
    assert (sorted(seen.alone), seen.batches) == ([0, 2], [])
    assert await handled(db, sub.durable) == 2  # the poisoned one is not taken, ever


async def test_a_handler_run_on_each_event_of_a_batch_is_rolled_back_with_the_batch(
    db: Database, js: JetStreamContext
) -> None:
    """each_in_one: the handler's writes of a batch that failed are undone, and each
    event handled alone after writes once."""
    tried: list[int] = []

    async def effect(uow: UnitOfWork, event: CloudEvent) -> None:
        tried.append(int(event.data["n"]))
        if event.data.get("poison"):
            raise ValueError("not this one")
        row = {"event_id": event.id, "consumer": "effect", "processed_at": event.time}
        await insert_ignore(uow.session, ProcessedEvent, row)

    plain = subscription(effect)
    sub = Subscription(plain.subject, plain.durable, effect, batch_handler=each_in_one(effect))
    await publish(js, sub, numbered(sub, 0), numbered(sub, 1), numbered(sub, 2, poison=True))
    async with consuming(db, js, sub):
        await until(lambda: tried.count(1) >= 2)
    assert tried[:5] == [0, 1, 2, 0, 1]  # the batch, then each alone
    assert (await handled(db, "effect"), await handled(db, sub.durable)) == (2, 2)


async def test_a_batch_runs_only_what_no_earlier_batch_took_in_the_order_it_came(
    db: Database,
) -> None:
    seen = Seen()
    sub = seen.subscription()
    units = Units(db)
    events = [numbered(sub, n) for n in range(6)]
    assert await handle_batch(units, ProcessedEvent, sub, events[:3]) == 3
    again = [events[4], events[2], events[5], events[0], events[4], events[3]]
    assert await handle_batch(units, ProcessedEvent, sub, again) == 3
    assert await handle_batch(units, ProcessedEvent, sub, events[1:3]) == 0
    assert seen.batches == [[0, 1, 2], [4, 5, 3]]  # nothing twice, and no empty batch
    assert await handled(db, sub.durable) == 6


def record(n: int) -> CloudEvent:
    data = {
        "actor": "gateway",
        "action": "profile.read",
        "object_type": "enterprise",
        "object_id": f"9133010{n:011d}",
        "at": dt.datetime(2026, 11, 29, 8, n, tzinfo=dt.UTC).isoformat(),
    }
    return CloudEvent(type=audit_subject("identity"), source=IDENTITY, data=data)


async def test_the_chain_appended_a_batch_at_a_time_is_the_chain_of_one_at_a_time(
    db: Database,
) -> None:
    first, then = [record(n) for n in range(3)], record(3)
    async with Units(db).write() as uow:
        await append_all(uow, first)
        await uow.commit()
    async with Units(db).write() as uow:
        await append(uow, then)
        await uow.commit()
    previous, expected = GENESIS, []
    for event in [*first, then]:
        values = event.data | {"event_id": event.id, "source": event.source, "on_behalf_of": None}
        values |= {"uscc": None, "outcome": "ok", "at": dt.datetime.fromisoformat(values["at"])}
        previous = chain_hash(previous, _content(values))
        expected.append(previous)
    async with Units(db).read() as unit:
        entries = list(await unit.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        check = await verify(unit.session)
    assert [(e.seq, e.event_id, e.hash) for e in entries] == [
        (n + 1, event.id, expected[n]) for n, event in enumerate([*first, then])
    ]
    assert (check.entries, check.intact, check.head) == (4, True, expected[-1])
