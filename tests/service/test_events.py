"""The outbox relay and the inbox against a real database and a real JetStream."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator

import nats
import pytest
from nats.js import JetStreamContext
from nats.js.api import ConsumerInfo
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sqlalchemy import event as orm_event
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from identity_svc.models import DeadLetter, OutboxEvent, ProcessedEvent
from qinqing_shared import tracing
from qinqing_shared.contracts.events import EVENTS
from qinqing_shared.db import Database
from qinqing_shared.deadletters import DeadLetters, Replay
from qinqing_shared.events import CloudEvent, ensure_stream
from qinqing_shared.inbox import Handler, Subscription, consume_forever, handle_once
from qinqing_shared.outbox import (
    Outbox,
    UnregisteredEvent,
    forget_after_rollback,
    hand_over_after_commit,
)
from qinqing_shared.uow import UnitOfWork, Units


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


IDENTITY = "/qinqing/identity-svc"  # the source that owns new_subject()'s subjects


def new_subject() -> str:
    return f"qinqing.identity.test{uuid.uuid4().hex[:12]}.happened.v1"


class TestSubjects:
    """The registry these tests publish under: the platform's, and their own made-up
    subjects, fresh per test so each reads only its own events."""

    def __contains__(self, subject: object) -> bool:
        return str(subject).startswith("qinqing.identity.test") or subject in EVENTS


TESTS = TestSubjects()


STREAM = "QINQING_IDENTITY"


async def ignore(_uow: UnitOfWork, _event: CloudEvent) -> None:
    return None


def subscription(handler: Handler, subject: str | None = None) -> Subscription:
    """A durable consumer of its own on a fresh subject (unless given)."""
    return Subscription(subject or new_subject(), f"test-{uuid.uuid4().hex[:8]}", handler)


@contextlib.asynccontextmanager
async def consuming(
    db: Database, js: JetStreamContext, sub: Subscription
) -> AsyncIterator[asyncio.Task[None]]:
    """The subscription's consumer running; stopped, and its durable deleted, after."""
    task = asyncio.create_task(consume_forever(js, Units(db), ProcessedEvent, sub))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await js.delete_consumer(STREAM, sub.durable)


async def until(condition: Callable[[], bool], seconds: float = 5) -> None:
    """Poll ``condition`` until it holds or ``seconds`` pass; the caller asserts it."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)


async def consumer_of(js: JetStreamContext, durable: str) -> ConsumerInfo:
    """The durable's consumer, once the running loop has created it."""
    for _ in range(100):
        with contextlib.suppress(nats.js.errors.NotFoundError):
            return await js.consumer_info(STREAM, durable)
        await asyncio.sleep(0.05)
    raise AssertionError(f"no consumer {durable} was created")


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
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    async with db.sessionmaker() as session, session.begin():
        written = outbox.add(session, subject, {"uscc": "91330106MA2H00014Q"}, key="k")
    async with db.sessionmaker() as session, session.begin():
        outbox.add(session, subject, {"never": "committed"})
        await session.rollback()
    assert await outbox.relay_once(Units(db), js) == 1
    assert await outbox.relay_once(Units(db), js) == 0
    [event] = await read_all(js, subject)
    assert event.id == written.id
    assert event.data == {"uscc": "91330106MA2H00014Q"}
    assert (event.type, event.source, event.subject) == (subject, "/qinqing/test", "k")


@pytest.fixture
def hand_over() -> AsyncIterator[None]:
    """The session hooks a service installs: committed events go to the relay at once."""
    orm_event.listen(Session, "after_commit", hand_over_after_commit)
    orm_event.listen(Session, "after_soft_rollback", forget_after_rollback)
    yield
    orm_event.remove(Session, "after_commit", hand_over_after_commit)
    orm_event.remove(Session, "after_soft_rollback", forget_after_rollback)


@pytest.mark.usefixtures("hand_over")
async def test_only_committed_events_are_handed_to_the_relay(db: Database) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    async with db.sessionmaker() as session, session.begin():
        kept = outbox.add(session, subject, {"n": 1})
        async with session.begin_nested():
            saved = outbox.add(session, subject, {"in": "a savepoint released"})
        assert outbox._fresh == []  # a released savepoint is not a commit
        with contextlib.suppress(RuntimeError):
            async with session.begin_nested():
                outbox.add(session, subject, {"in": "a savepoint rolled back"})
                await session.flush()
                raise RuntimeError("undo the savepoint")
    with contextlib.suppress(RuntimeError):
        async with db.sessionmaker() as session, session.begin():
            outbox.add(session, subject, {"in": "a rolled-back transaction"})
            raise RuntimeError("roll back")
    assert [e.id for e in outbox._fresh] == [kept.id, saved.id]
    assert outbox.wake.is_set()


@pytest.mark.usefixtures("hand_over")
async def test_the_relay_publishes_a_commit_at_once_and_scans_for_the_rest(
    db: Database, js: JetStreamContext
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    async with db.sessionmaker() as session, session.begin():  # before the relay: a leftover
        leftover = outbox.add(session, subject, {"n": 0})
    relay = asyncio.create_task(outbox.relay_forever(Units(db), js, scan=60))
    try:
        async with db.sessionmaker() as session, session.begin():
            fresh = outbox.add(session, subject, {"n": 1})
        for _ in range(100):
            if await outbox.pending_count(Units(db)) == 0:
                break
            await asyncio.sleep(0.05)
        assert await outbox.pending_count(Units(db)) == 0  # well before the 60 s scan
    finally:
        relay.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay
    assert sorted(e.id for e in await read_all(js, subject)) == sorted([leftover.id, fresh.id])


class CountingOutbox(Outbox):
    """An outbox that notes each marking commit's event ids."""

    def __init__(self) -> None:
        super().__init__(OutboxEvent, "/qinqing/test", events=TESTS)
        self.marks: list[list[str]] = []

    async def mark_published(self, units: Units, event_ids: list[str]) -> None:
        self.marks.append(list(event_ids))
        await super().mark_published(units, event_ids)


@pytest.mark.usefixtures("hand_over")
async def test_hand_overs_are_published_at_once_and_marked_together_and_on_stop(
    db: Database, js: JetStreamContext
) -> None:
    outbox, subject = CountingOutbox(), new_subject()
    async with db.sessionmaker() as session, session.begin():  # before the relay: a leftover
        outbox.add(session, subject, {"n": "left over"})
    relay = asyncio.create_task(outbox.relay_forever(Units(db), js, scan=60, mark_after=30))
    try:
        for _ in range(100):  # the first scan found and marked it: the scan is behind us
            if await outbox.pending_count(Units(db)) == 0:
                break
            await asyncio.sleep(0.05)
        written = []
        for n in range(3):
            async with db.sessionmaker() as session, session.begin():
                written.append(outbox.add(session, subject, {"n": n}).id)
        assert [e.id for e in await read_all(js, subject)][1:] == written  # not waiting 30 s
        assert await outbox.pending_count(Units(db)) == 3  # acknowledged, not marked
    finally:
        relay.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await relay
    assert await outbox.pending_count(Units(db)) == 0  # marked when it stopped
    assert [ids for ids in outbox.marks if set(ids) & set(written)] == [written]  # one commit


async def test_the_table_is_scanned_on_time_while_hand_overs_keep_coming(
    db: Database, js: JetStreamContext
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    relay = asyncio.create_task(outbox.relay_forever(Units(db), js, scan=0.3))

    async def busy() -> None:  # a commit handing over (nothing of this outbox) every 10 ms
        while True:
            outbox.committed([])
            await asyncio.sleep(0.01)

    waker = asyncio.create_task(busy())
    try:
        await asyncio.sleep(0.5)  # the first scan is behind us
        async with db.sessionmaker() as session, session.begin():  # no hooks: not handed over
            outbox.add(session, subject, {"written by": "another process"})
        for _ in range(60):
            if await outbox.pending_count(Units(db)) == 0:
                break
            await asyncio.sleep(0.05)
        assert await outbox.pending_count(Units(db)) == 0
    finally:
        for task in (waker, relay):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    assert len(await read_all(js, subject)) == 1


async def test_a_relay_that_crashed_before_marking_republishes_without_duplicates(
    db: Database, js: JetStreamContext
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    async with db.sessionmaker() as session, session.begin():
        outbox.add(session, subject, {"n": 1})
    await outbox.relay_once(Units(db), js)
    async with db.sessionmaker() as session, session.begin():  # as if never marked sent
        await session.execute(update(OutboxEvent).values(published_at=None))
    assert await outbox.relay_once(Units(db), js) >= 1
    assert len(await read_all(js, subject)) == 1


async def test_an_event_is_handled_once_however_often_it_comes(
    db: Database, js: JetStreamContext
) -> None:
    seen: list[str] = []

    async def handler(_uow: UnitOfWork, event: CloudEvent) -> None:
        seen.append(event.id)

    sub = subscription(handler)
    event = CloudEvent(type=sub.subject, source=IDENTITY, data={"n": 1})
    # a consumer that committed but crashed before acking: the event comes again
    assert await handle_once(Units(db), ProcessedEvent, sub, event)
    await js.publish(sub.subject, event.body(), headers=event.headers())
    headers = event.headers() | {"Nats-Msg-Id": "other"}
    await js.publish(sub.subject, event.body(), headers=headers)
    async with consuming(db, js, sub):
        info = await consumer_of(js, sub.durable)
        for _ in range(50):
            if info.delivered.stream_seq and info.num_ack_pending == 0 and info.num_pending == 0:
                break
            await asyncio.sleep(0.1)
            info = await js.consumer_info(STREAM, sub.durable)
    assert info.num_ack_pending == 0 and info.num_pending == 0
    assert seen == [event.id]


async def test_an_event_from_another_domain_s_source_is_dropped(
    db: Database, js: JetStreamContext
) -> None:
    """Only identity-svc speaks on qinqing.identity.*: a forged source is not handled."""
    seen: list[str] = []

    async def handler(_uow: UnitOfWork, event: CloudEvent) -> None:
        seen.append(event.source)

    sub = subscription(handler)
    forged = CloudEvent(type=sub.subject, source="/qinqing/payment-svc", data={"n": 1})
    real = CloudEvent(type=sub.subject, source=IDENTITY, data={"n": 2})
    for event in (forged, real):
        await js.publish(sub.subject, event.body(), headers=event.headers())
    async with consuming(db, js, sub):
        await until(lambda: bool(seen))  # the forged one came first: met before the real one
    assert seen == [IDENTITY]


async def test_an_event_too_large_for_nats_is_dead_lettered_and_the_rest_flows(
    db: Database, js: JetStreamContext
) -> None:
    """Once, one 1.7 MB event stopped every later event of its outbox."""
    letters = DeadLetters(DeadLetter)
    outbox, subject = Outbox(OutboxEvent, IDENTITY, letters, events=TESTS), new_subject()
    async with db.sessionmaker() as session, session.begin():
        too_large = outbox.add(session, subject, {"blob": "x" * 1_800_000})
        after = outbox.add(session, subject, {"n": 2})
    assert await outbox.relay_once(Units(db), js) == 2
    assert await outbox.pending_count(Units(db)) == 0
    assert [e.id for e in await read_all(js, subject)] == [after.id]
    async with db.sessionmaker() as session:
        [letter] = (await session.scalars(select(DeadLetter))).all()
    assert (letter.kind, letter.ref, letter.subject) == ("outbox-event", too_large.id, subject)
    assert letter.error.startswith("MaxPayloadError")
    assert letter.payload["data"] == {"blob": "x" * 1_800_000}, "kept whole"

    # the operator's correction cannot give the event another id: it is the same event
    corrected = letter.payload | {"data": {"blob": "a link to it instead"}, "id": "another"}
    replayed = await letters.replay(Units(db), letter.id, Replay(payload=corrected), "ops")
    assert (replayed.replays, replayed.replayed_by) == (1, "ops")
    assert await outbox.relay_once(Units(db), js) == 2  # the event and its audit record
    records = await read_all(js, "qinqing.identity.audit.recorded.v1")
    [record] = [r for r in records if r.data["object_id"] == too_large.id]
    assert (record.data["actor"], record.data["action"]) == ("ops", "dead-letter.replayed")
    assert (record.data["object_type"], record.data["object_id"]) == ("event", too_large.id)
    published = {e.id: e.data for e in await read_all(js, subject)}
    assert published == {after.id: {"n": 2}, too_large.id: {"blob": "a link to it instead"}}


def test_the_outbox_refuses_a_subject_no_one_documented() -> None:
    subject = "qinqing.identity.undocumented.v1"
    message = f"^{subject} is not in qinqing_shared.contracts.events$"
    with pytest.raises(UnregisteredEvent, match=message.replace(".", r"\.")):
        Outbox(OutboxEvent, IDENTITY).add(None, subject, {})  # type: ignore[arg-type]


async def test_a_handler_that_fails_is_not_acked_and_its_event_comes_again(
    db: Database, js: JetStreamContext
) -> None:
    attempts: list[str] = []

    async def flaky(_uow: UnitOfWork, event: CloudEvent) -> None:
        assert event.data == {"n": 1}  # the message's body, as published
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RuntimeError("the database went away mid-handler")

    sub = subscription(flaky)
    event = CloudEvent(type=sub.subject, source=IDENTITY, data={"n": 1})
    await js.publish(sub.subject, event.body(), headers=event.headers())
    async with consuming(db, js, sub):
        await until(lambda: len(attempts) == 2)  # redelivered after the nak's 1 s delay
    assert attempts == [event.id, event.id]
    async with db.sessionmaker() as session:
        handled = await session.scalar(select(ProcessedEvent.event_id))
    assert handled == event.id


async def test_rows_are_marked_published_only_once_jetstream_has_them(
    db: Database, nats_url: str
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    async with db.sessionmaker() as session, session.begin():
        written = outbox.add(session, subject, {"n": 1})
    client = await nats.connect(nats_url)
    gone = client.jetstream()
    await client.close()  # NATS is unreachable from here on
    with pytest.raises(nats.errors.ConnectionClosedError):
        await outbox.publish(Units(db), gone, [written])
    assert await outbox.pending_count(Units(db)) == 1


async def test_an_event_is_handled_in_the_unit_that_records_it_once(db: Database) -> None:
    async def note(uow: UnitOfWork, event: CloudEvent) -> None:  # a write of the handler's
        uow.session.add(
            ProcessedEvent(event_id=event.id, consumer="noted", processed_at=event.time)
        )

    subject = new_subject()
    sub = Subscription(subject, "test-once", note)
    event = CloudEvent(type=subject, source=IDENTITY, data={"n": 1})
    assert await handle_once(Units(db), ProcessedEvent, sub, event) is True
    assert await handle_once(Units(db), ProcessedEvent, sub, event) is False
    async with db.sessionmaker() as session:
        query = select(ProcessedEvent.event_id, ProcessedEvent.consumer)
        processed = sorted((await session.execute(query)).all())
    assert processed == [(event.id, "noted"), (event.id, "test-once")]


async def test_a_consumer_acks_explicitly_and_waits_30_s_for_each_ack(
    db: Database, js: JetStreamContext
) -> None:
    sub = subscription(ignore)
    async with consuming(db, js, sub):
        info = await consumer_of(js, sub.durable)
    config = info.config
    assert (info.stream_name, config.durable_name, config.filter_subject) == (
        STREAM,
        sub.durable,
        sub.subject,
    )
    assert (str(config.ack_policy), config.ack_wait, config.max_ack_pending) == (
        "explicit",
        30.0,
        1000,
    )


async def test_what_is_dropped_or_fails_is_logged_with_its_ids(
    db: Database, js: JetStreamContext, caplog: pytest.LogCaptureFixture
) -> None:
    attempts: list[str] = []

    async def failing_once(_uow: UnitOfWork, event: CloudEvent) -> None:
        attempts.append(event.id)
        if len(attempts) == 1:
            raise RuntimeError("boom")

    sub = subscription(failing_once)
    subject = sub.subject
    forged = CloudEvent(type=subject, source="/qinqing/payment-svc", data={"n": 0})
    real = CloudEvent(type=subject, source=IDENTITY, data={"n": 1})
    await js.publish(subject, b"not a cloudevent")
    for event in (forged, real):
        await js.publish(subject, event.body(), headers=event.headers())
    with caplog.at_level(logging.INFO, logger="qinqing.inbox"):
        async with consuming(db, js, sub):
            await until(lambda: len(attempts) == 2)  # the failed one comes again after 1 s
    assert attempts == [real.id, real.id]
    logged = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "qinqing.inbox"]
    assert logged == [
        ("ERROR", f"dropping a message that is not a CloudEvent on {subject}"),
        (
            "ERROR",
            f"dropping {forged.id} on {subject}: it came from '/qinqing/payment-svc', "
            "not the subject's owner",
        ),
        ("ERROR", f"handler {sub.durable} failed on event {real.id}"),
    ]
    failure = next(r for r in caplog.records if r.getMessage().startswith("handler"))
    assert failure.exc_info
    assert failure.exc_info[0] is RuntimeError


async def test_a_scan_publishes_the_oldest_rows_first_a_batch_at_a_time(
    db: Database, js: JetStreamContext
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    async with db.sessionmaker() as session, session.begin():
        written = [outbox.add(session, subject, {"n": n}) for n in range(3)]
    assert await outbox.relay_once(Units(db), js, limit=2) == 2
    assert [e.id for e in await read_all(js, subject)] == [e.id for e in written[:2]]
    assert await outbox.pending_count(Units(db)) == 1
    assert await outbox.relay_once(Units(db), js) == 1
    assert await outbox.relay_once(Units(db), js) == 0
    assert [e.id for e in await read_all(js, subject)] == [e.id for e in written]


async def test_the_oldest_unpublished_event_s_age_is_measured(
    db: Database, js: JetStreamContext
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    now = dt.datetime.now(dt.UTC)
    assert await outbox.oldest_pending_age(Units(db), now) == 0.0
    async with db.sessionmaker() as session, session.begin():
        outbox.add(session, subject, {"n": 1})
    async with db.sessionmaker() as session, session.begin():  # committed 30 s ago
        await session.execute(
            update(OutboxEvent).values(occurred_at=now - dt.timedelta(seconds=30))
        )
    assert await outbox.oldest_pending_age(Units(db), now) == 30.0
    assert await outbox.oldest_pending_age(Units(db), now - dt.timedelta(seconds=40)) == 0.0
    await outbox.relay_once(Units(db), js)
    assert await outbox.oldest_pending_age(Units(db), now) == 0.0


async def test_a_relay_that_cannot_publish_says_so_and_keeps_trying(
    db: Database, nats_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    outbox, subject = Outbox(OutboxEvent, "/qinqing/test", events=TESTS), new_subject()
    async with db.sessionmaker() as session, session.begin():
        outbox.add(session, subject, {"n": 1})
    client = await nats.connect(nats_url)
    gone = client.jetstream()
    await client.close()
    with caplog.at_level(logging.WARNING, logger="qinqing.outbox"):
        relay = asyncio.create_task(outbox.relay_forever(Units(db), gone, scan=0.05))
        try:
            for _ in range(100):
                failures = [
                    r for r in caplog.records if r.getMessage().startswith("outbox relay failed")
                ]
                if len(failures) >= 2:  # and tried again
                    break
                await asyncio.sleep(0.05)
        finally:
            relay.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relay
    assert failures[0].getMessage() == "outbox relay failed; retrying from the table"
    assert failures[0].exc_info
    assert failures[0].exc_info[0] is nats.errors.ConnectionClosedError
    assert await outbox.pending_count(Units(db)) == 1


async def test_a_consumer_whose_fetch_fails_says_so_and_tries_again(
    db: Database, js: JetStreamContext, caplog: pytest.LogCaptureFixture
) -> None:
    sub = subscription(ignore)

    def failed() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "qinqing.inbox"]

    with caplog.at_level(logging.WARNING, logger="qinqing.inbox"):
        async with consuming(db, js, sub):
            await consumer_of(js, sub.durable)
            await js.delete_consumer(STREAM, sub.durable)  # pulled from under it
            await until(lambda: len(failed()) >= 2)  # one failure, a second's pause, another
    failures = failed()
    assert len(failures) >= 2
    assert failures[0].getMessage() == f"fetch failed on {sub.durable}"
    assert failures[0].exc_info
    assert failures[1].created - failures[0].created >= 0.9


async def test_a_consumer_waiting_for_messages_stops_when_cancelled(
    db: Database, js: JetStreamContext
) -> None:
    sub = subscription(ignore)
    async with consuming(db, js, sub) as task:
        await consumer_of(js, sub.durable)
        await asyncio.sleep(0.3)  # inside a fetch that waits for messages
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(task, 5)


async def test_an_event_no_one_wants_now_is_acked_without_a_transaction(
    db: Database, js: JetStreamContext
) -> None:
    handled: list[str] = []

    async def note(_uow: UnitOfWork, event: CloudEvent) -> None:
        handled.append(event.id)

    wanted: set[str] = set()
    plain = subscription(note)
    sub = Subscription(plain.subject, plain.durable, note, wanted=wanted.__contains__)
    skipped = CloudEvent(type=sub.subject, source=IDENTITY, data={"n": 1})
    await js.publish(sub.subject, skipped.body(), headers=skipped.headers())
    async with consuming(db, js, sub):
        info = await consumer_of(js, sub.durable)
        for _ in range(100):  # acked: nothing pending or waiting for an ack
            info = await js.consumer_info(STREAM, sub.durable)
            if info.ack_floor.stream_seq >= info.delivered.stream_seq > 0:
                break
            await asyncio.sleep(0.05)
        assert info.num_pending == 0
        assert info.num_ack_pending == 0
        wanted.add(sub.subject)  # someone wants it from now on
        kept = CloudEvent(type=sub.subject, source=IDENTITY, data={"n": 2})
        await js.publish(sub.subject, kept.body(), headers=kept.headers())
        await until(lambda: handled == [kept.id])
    assert handled == [kept.id]  # the first was never handled, nor redelivered
    async with db.sessionmaker() as session:
        recorded = list(await session.scalars(select(ProcessedEvent.event_id)))
    assert recorded == [kept.id]


@pytest.fixture
def traced() -> Iterator[InMemorySpanExporter]:
    """Tracing on in this process, its spans kept in memory (qinqing_shared.tracing)."""
    exporter = InMemorySpanExporter()
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):  # the process's first: set it
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    processor = SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    tracing._state["enabled"] = True
    try:
        yield exporter
    finally:
        tracing._state["enabled"] = False
        processor.shutdown()


async def test_an_event_keeps_the_trace_it_was_written_in_and_its_consumer_joins_it(
    db: Database, js: JetStreamContext, traced: InMemorySpanExporter
) -> None:
    outbox, subject = Outbox(OutboxEvent, IDENTITY, events=TESTS), new_subject()
    writer = trace.get_tracer("test").start_span("a request that writes an event")
    with trace.use_span(writer, end_on_exit=True):
        async with db.sessionmaker() as session, session.begin():
            written = outbox.add(session, subject, {"n": 1})
    parent = writer.get_span_context()
    expected = f"00-{parent.trace_id:032x}-{parent.span_id:016x}-{int(parent.trace_flags):02x}"
    assert written.traceparent == expected
    assert await outbox.relay_once(Units(db), js) == 1  # read back from its row
    handled: list[str | None] = []

    async def note(_uow: UnitOfWork, event: CloudEvent) -> None:
        handled.append(event.traceparent)

    async with consuming(db, js, subscription(note, subject)):
        await until(lambda: len(handled) == 1)
    assert handled == [expected]  # the header the relay sent
    consumer = [s for s in traced.get_finished_spans() if s.name == f"process {subject}"]
    assert len(consumer) == 1
    assert consumer[0].parent is not None
    assert (consumer[0].parent.trace_id, consumer[0].parent.span_id) == (
        parent.trace_id,
        parent.span_id,
    )
    assert consumer[0].attributes == {
        "messaging.system": "nats",
        "messaging.destination.name": subject,
    }


async def test_a_consumer_makes_the_stream_it_reads_with_one_replica(
    db: Database, js: JetStreamContext
) -> None:
    domain = f"t{uuid.uuid4().hex[:10]}"  # a domain without a stream yet
    sub = Subscription(f"qinqing.{domain}.thing.happened.v1", f"test-{domain}", ignore)
    task = asyncio.create_task(consume_forever(js, Units(db), ProcessedEvent, sub))
    try:
        await consumer_of_stream(js, f"QINQING_{domain.upper()}", sub.durable)
        info = await js.stream_info(f"QINQING_{domain.upper()}")
        assert info.config.num_replicas == 1  # one NATS server here: one copy
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await js.delete_stream(f"QINQING_{domain.upper()}")


async def consumer_of_stream(js: JetStreamContext, stream: str, durable: str) -> None:
    for _ in range(100):
        with contextlib.suppress(nats.js.errors.NotFoundError):
            await js.consumer_info(stream, durable)
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"no consumer {durable} on {stream}")
