"""The outbox relay and the inbox against a real database and a real JetStream."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable

import nats
import pytest
from nats.js import JetStreamContext
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc.models import OutboxEvent, ProcessedEvent
from qinqing_shared.db import Database
from qinqing_shared.events import CloudEvent, ensure_stream
from qinqing_shared.inbox import Subscription, consume_forever, handle_once
from qinqing_shared.outbox import Outbox


@pytest.fixture
async def db(service_db: Callable[[str], str]) -> AsyncIterator[Database]:
    database = Database(service_db("identity_svc"))
    yield database
    await database.dispose()


@pytest.fixture
async def js(nats_url: str) -> AsyncIterator[JetStreamContext]:
    client = await nats.connect(nats_url)
    jetstream = client.jetstream()
    await ensure_stream(jetstream, "identity")
    yield jetstream
    await client.close()


def new_subject() -> str:
    return f"qinqing.identity.test{uuid.uuid4().hex[:12]}.happened.v1"


async def read_all(js: JetStreamContext, subject: str) -> list[CloudEvent]:
    sub = await js.subscribe(subject, ordered_consumer=True)
    events = []
    with contextlib.suppress(TimeoutError, nats.errors.TimeoutError):
        while True:
            msg = await sub.next_msg(timeout=1)
            events.append(CloudEvent.from_message(msg.headers, msg.data))
    await sub.unsubscribe()
    return events


async def test_relay_publishes_committed_events_as_cloudevents(
    db: Database, js: JetStreamContext
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test"), new_subject()
    async with db.sessionmaker() as session, session.begin():
        written = outbox.add(session, subject, {"uscc": "91330106MA2H00014Q"}, key="k")
    async with db.sessionmaker() as session, session.begin():
        outbox.add(session, subject, {"never": "committed"})
        await session.rollback()
    assert await outbox.relay_once(db.sessionmaker, js) == 1
    assert await outbox.relay_once(db.sessionmaker, js) == 0
    [event] = await read_all(js, subject)
    assert event.id == written.id
    assert event.data == {"uscc": "91330106MA2H00014Q"}
    assert (event.type, event.source, event.subject) == (subject, "/qinqing/test", "k")


async def test_a_relay_that_crashed_before_marking_republishes_without_duplicates(
    db: Database, js: JetStreamContext
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test"), new_subject()
    async with db.sessionmaker() as session, session.begin():
        outbox.add(session, subject, {"n": 1})
    await outbox.relay_once(db.sessionmaker, js)
    async with db.sessionmaker() as session, session.begin():  # as if never marked sent
        await session.execute(update(OutboxEvent).values(published_at=None))
    assert await outbox.relay_once(db.sessionmaker, js) >= 1
    assert len(await read_all(js, subject)) == 1


async def test_an_event_is_handled_once_however_often_it_comes(
    db: Database, js: JetStreamContext
) -> None:
    seen: list[str] = []

    async def handler(_session: AsyncSession, event: CloudEvent) -> None:
        seen.append(event.id)

    subject = new_subject()
    sub = Subscription(subject, f"test-{uuid.uuid4().hex[:8]}", handler)
    event = CloudEvent(type=subject, source="/qinqing/test", data={"n": 1})
    # a consumer that committed but crashed before acking: the event comes again
    assert await handle_once(db.sessionmaker, ProcessedEvent, sub, event)
    await js.publish(subject, event.body(), headers=event.headers())
    await js.publish(subject, event.body(), headers=event.headers() | {"Nats-Msg-Id": "other"})
    task = asyncio.create_task(consume_forever(js, db.sessionmaker, ProcessedEvent, sub))
    try:
        for _ in range(50):
            await asyncio.sleep(0.1)
            try:
                info = await js.consumer_info("QINQING_IDENTITY", sub.durable)
            except nats.js.errors.NotFoundError:
                continue
            if info.delivered.stream_seq and info.num_ack_pending == 0 and info.num_pending == 0:
                break
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await js.delete_consumer("QINQING_IDENTITY", sub.durable)
    assert info.num_ack_pending == 0 and info.num_pending == 0
    assert seen == [event.id]
