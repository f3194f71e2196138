"""The Idempotency-Key store (shared by the gateway and payment-svc) on a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import update

from qinqing_gateway.models import IdempotencyRecord
from qinqing_shared.db import Database
from qinqing_shared.idempotency import Claim, IdempotencyStore, Replay, fingerprint
from qinqing_shared.problems import Problem


@pytest.fixture
async def store(service_db: Callable[[str], str]) -> AsyncIterator[IdempotencyStore]:
    db = Database(service_db("qinqing_gateway"))
    yield IdempotencyStore(IdempotencyRecord, db.sessionmaker)
    await db.dispose()


PRINT = fingerprint("POST", "/v1/x", {"uscc": "91330106MA2H00014Q"})


async def age(store: IdempotencyStore, **values: dt.datetime) -> None:
    async with store.sessions() as session, session.begin():
        await session.execute(update(IdempotencyRecord).values(**values))


async def test_a_key_in_flight_conflicts_then_replays_once_done(store: IdempotencyStore) -> None:
    claim = await store.begin("app-1", "k", PRINT)
    assert isinstance(claim, Claim)
    with pytest.raises(Problem) as in_flight:
        await store.begin("app-1", "k", PRINT)
    assert in_flight.value.status == 409
    await store.finish(claim, 200, {"id": claim.resource_id})
    assert await store.begin("app-1", "k", PRINT) == Replay(200, {"id": claim.resource_id})


async def test_the_same_key_with_another_body_is_refused(store: IdempotencyStore) -> None:
    await store.begin("app-1", "k2", PRINT)
    other = fingerprint("POST", "/v1/x", {"uscc": "91330108MA2H00022G"})
    with pytest.raises(Problem) as reused:
        await store.begin("app-1", "k2", other)
    assert reused.value.status == 422


async def test_keys_belong_to_their_client_and_expire(store: IdempotencyStore) -> None:
    first = await store.begin("app-1", "k3", PRINT)
    second = await store.begin("app-2", "k3", PRINT)
    assert isinstance(first, Claim)
    assert isinstance(second, Claim)
    assert first.resource_id != second.resource_id
    await age(store, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    fresh = await store.begin("app-1", "k3", PRINT)
    assert isinstance(fresh, Claim)
    assert fresh.resource_id != first.resource_id


async def test_a_claim_abandoned_by_a_crash_is_taken_over_for_the_same_resource(
    store: IdempotencyStore,
) -> None:
    first = await store.begin("app-1", "k4", PRINT)
    assert isinstance(first, Claim)
    await age(store, created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    again = await store.begin("app-1", "k4", PRINT)
    assert isinstance(again, Claim)
    assert again.taken_over
    assert again.resource_id == first.resource_id
    with pytest.raises(Problem):
        await store.begin("app-1", "k4", PRINT)


async def test_a_released_key_can_be_used_again(store: IdempotencyStore) -> None:
    first = await store.begin("app-1", "k5", PRINT)
    assert isinstance(first, Claim)
    await store.release(first)
    assert isinstance(await store.begin("app-1", "k5", PRINT), Claim)


async def test_an_answer_for_a_released_claim_is_not_stored(store: IdempotencyStore) -> None:
    """A request that lost its claim to a retry must not store an answer in its place."""
    first = await store.begin("app-1", "k6", PRINT)
    assert isinstance(first, Claim)
    await store.release(first)
    await store.finish(first, 200, {"late": True})
    assert isinstance(await store.begin("app-1", "k6", PRINT), Claim)
