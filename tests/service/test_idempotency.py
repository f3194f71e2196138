"""The gateway's Idempotency-Key store on a real, migrated database."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import update

from qinqing_gateway.idempotency import IdempotencyStore, Replay, fingerprint
from qinqing_gateway.models import IdempotencyRecord
from qinqing_shared.db import Database
from qinqing_shared.problems import Problem


@pytest.fixture
async def store(service_db: Callable[[str], str]) -> AsyncIterator[IdempotencyStore]:
    db = Database(service_db("qinqing_gateway"))
    yield IdempotencyStore(db.sessionmaker, ttl_hours=24)
    await db.dispose()


PRINT = fingerprint("POST", "/v1/x", {"uscc": "91330106MA2H00014Q"})


async def test_a_key_in_flight_conflicts_then_replays_once_done(store: IdempotencyStore) -> None:
    record = await store.begin("app-1", "k", PRINT)
    assert isinstance(record, IdempotencyRecord) and record.application_id
    with pytest.raises(Problem) as in_flight:
        await store.begin("app-1", "k", PRINT)
    assert in_flight.value.status == 409
    await store.finish("app-1", "k", 200, {"id": record.application_id})
    replay = await store.begin("app-1", "k", PRINT)
    assert replay == Replay(200, {"id": record.application_id})


async def test_the_same_key_with_another_body_is_refused(store: IdempotencyStore) -> None:
    await store.begin("app-1", "k2", PRINT)
    other = fingerprint("POST", "/v1/x", {"uscc": "91330108MA2H00022G"})
    with pytest.raises(Problem) as reused:
        await store.begin("app-1", "k2", other)
    assert reused.value.status == 422


async def test_keys_belong_to_their_client_and_expire(store: IdempotencyStore) -> None:
    first = await store.begin("app-1", "k3", PRINT)
    second = await store.begin("app-2", "k3", PRINT)
    assert isinstance(first, IdempotencyRecord) and isinstance(second, IdempotencyRecord)
    assert first.application_id != second.application_id
    async with store.sessions() as session, session.begin():
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        await session.execute(update(IdempotencyRecord).values(expires_at=past))
    fresh = await store.begin("app-1", "k3", PRINT)
    assert isinstance(fresh, IdempotencyRecord) and fresh.application_id != first.application_id
