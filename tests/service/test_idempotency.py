"""The Idempotency-Key store (shared by the gateway and payment-svc) on a real database."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import replace

import pytest
from sqlalchemy import event, update
from sqlalchemy.exc import OperationalError

from qinqing_gateway.models import IdempotencyRecord
from qinqing_shared.db import Database
from qinqing_shared.idempotency import Answer, Claim, IdempotencyStore, Replay, fingerprint
from qinqing_shared.problems import Problem
from qinqing_shared.uow import Units


@pytest.fixture
async def store(service_db: Callable[[str], str]) -> AsyncIterator[IdempotencyStore]:
    db = Database(service_db("qinqing_gateway"))
    yield IdempotencyStore(IdempotencyRecord, Units(db))
    await db.dispose()


PRINT = fingerprint("POST", "/v1/x", {"uscc": "91330106MA2H00014Q"})


async def age(store: IdempotencyStore, **values: dt.datetime) -> None:
    async with store.units.write() as uow:
        await uow.session.execute(update(IdempotencyRecord).values(**values))
        await uow.commit()


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


# The protocol in one place (``once``), as the gateway and payment-svc run it.


async def test_once_runs_the_action_once_and_replays_its_final_answer(
    store: IdempotencyStore,
) -> None:
    runs: list[str] = []

    async def action(claim: Claim) -> Answer:
        runs.append(claim.resource_id)
        return Answer(200, {"id": claim.resource_id})

    first = await store.once("app-1", "o1", PRINT, action)
    again = await store.once("app-1", "o1", PRINT, action)
    assert first == Answer(200, {"id": runs[0]})
    assert again == Replay(200, {"id": runs[0]})
    assert len(runs) == 1


async def test_once_without_a_key_is_refused_before_anything_runs(
    store: IdempotencyStore,
) -> None:
    async def action(_claim: Claim) -> Answer:
        raise AssertionError("must not run")

    with pytest.raises(Problem) as missing:
        await store.once("app-1", None, PRINT, action)
    assert missing.value.slug == "idempotency-key-missing"


async def test_once_releases_the_key_when_the_action_fails(store: IdempotencyStore) -> None:
    async def failing(_claim: Claim) -> Answer:
        raise Problem(404, "policy-not-found", "Policy not found", "none")

    with pytest.raises(Problem):
        await store.once("app-1", "o2", PRINT, failing)
    fresh = await store.begin("app-1", "o2", PRINT)
    assert isinstance(fresh, Claim)
    assert not fresh.taken_over


async def test_once_keeps_a_held_key_when_the_action_fails(store: IdempotencyStore) -> None:
    """A key a durable resource holds (a flow) stays claimed: the retry resumes it."""
    made: list[str] = []

    async def holds_then_fails(claim: Claim) -> Answer:
        claim.held = True
        made.append(claim.resource_id)
        raise Problem(503, "dependency-unavailable", "Down", "down")

    with pytest.raises(Problem):
        await store.once("app-1", "o3", PRINT, holds_then_fails)
    with pytest.raises(Problem) as in_progress:
        await store.begin("app-1", "o3", PRINT)
    assert in_progress.value.slug == "request-in-progress"


async def test_once_keeps_nothing_for_an_answer_that_is_not_final(
    store: IdempotencyStore,
) -> None:
    async def pending(claim: Claim) -> Answer:
        return Answer(202, {"id": claim.resource_id}, final=False)

    answer = await store.once("app-1", "o4", PRINT, pending)
    assert answer.status == 202
    again = await store.begin("app-1", "o4", PRINT)
    assert isinstance(again, Claim)  # released: the same key asks again, and runs again


async def test_once_does_not_overwrite_an_answer_stored_in_the_actions_unit(
    store: IdempotencyStore,
) -> None:
    async def answers_itself(claim: Claim) -> Answer:
        async with store.units.write(claim) as uow:
            await uow.answer(200, {"stored": "in the unit"})
            await uow.commit()
        return Answer(200, {"stored": "by once"})

    await store.once("app-1", "o5", PRINT, answers_itself)
    assert await store.begin("app-1", "o5", PRINT) == Replay(200, {"stored": "in the unit"})


async def test_an_answer_whose_commit_failed_leaves_the_key_to_be_asked_again(
    store: IdempotencyStore,
) -> None:
    """The claim counts as answered only once the answer is committed: a failed commit
    releases the key, so the same key runs again instead of waiting for a lease."""

    def refuse(*_args: object) -> None:
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    async def answers_then_fails(claim: Claim) -> Answer:
        async with store.units.write(claim) as uow:
            await uow.answer(200, {"stored": "never"})
            event.listen(uow.session.sync_session, "before_commit", refuse, once=True)
            await uow.commit()
        return Answer(200, {"stored": "never"})

    with pytest.raises(OperationalError):
        await store.once("app-1", "o6", PRINT, answers_then_fails)
    again = await store.begin("app-1", "o6", PRINT)
    assert isinstance(again, Claim)
    assert not again.taken_over


# Exact outcomes: whose key is answered, released, replayed, and with what.


async def test_a_reused_key_is_refused_in_words(store: IdempotencyStore) -> None:
    await store.begin("app-1", "r1", PRINT)
    with pytest.raises(Problem) as reused:
        await store.begin("app-1", "r1", fingerprint("PUT", "/v1/x", {}))
    body = reused.value.body()
    assert (body["status"], body["type"], body["title"]) == (
        422,
        "urn:qinqing:problem:idempotency-key-reused",
        "Idempotency-Key reused",
    )
    assert body["detail"] == (
        "This Idempotency-Key was used for a different request; use a new key."
    )


async def test_a_new_claim_is_for_its_client_key_and_a_fresh_resource(
    store: IdempotencyStore,
) -> None:
    claim = await store.begin("app-1", "n1", PRINT, resource_id="res-1")
    assert isinstance(claim, Claim)
    assert replace(claim, since=None) == Claim("app-1", "n1", "res-1", taken_over=False)
    await age(store, expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    renewed = await store.begin("app-1", "n1", PRINT, resource_id="res-2")
    assert isinstance(renewed, Claim)
    assert replace(renewed, since=None) == Claim("app-1", "n1", "res-2", taken_over=False)
    await age(store, created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    taken = await store.begin("app-1", "n1", PRINT)
    assert isinstance(taken, Claim)
    assert replace(taken, since=None) == Claim("app-1", "n1", "res-2", taken_over=True)
    assert taken.since is not None and renewed.since is not None
    assert taken.since > renewed.since, "the takeover's own lease"


async def test_a_claim_taken_over_keeps_its_resource_whoever_fails(
    store: IdempotencyStore,
) -> None:
    """A slow request's claim is taken over by its retry. If either then fails before
    creating anything, the key keeps its resource id: the slow one may still create it,
    and a later retry must find it, never make a second."""
    slow = await store.begin("app-1", "t1", PRINT)
    assert isinstance(slow, Claim)
    await age(store, created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    retry = await store.begin("app-1", "t1", PRINT)
    assert isinstance(retry, Claim)
    await store.release(retry)  # the retry failed early
    await store.release(slow)  # and so did the slow one, after it lost its lease
    with pytest.raises(Problem) as still_held:
        await store.begin("app-1", "t1", PRINT)  # within the retry's lease
    await age(store, created_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5))
    later = await store.begin("app-1", "t1", PRINT)
    assert still_held.value.status == 409
    assert isinstance(later, Claim)
    assert (later.resource_id, later.taken_over) == (slow.resource_id, True)


async def test_an_answer_and_a_release_touch_only_their_own_client_s_key(
    store: IdempotencyStore,
) -> None:
    mine = await store.begin("app-1", "s1", PRINT)
    theirs = await store.begin("app-2", "s1", PRINT)
    assert isinstance(mine, Claim)
    assert isinstance(theirs, Claim)
    await store.finish(mine, 201, {"id": "mine"})
    assert await store.begin("app-1", "s1", PRINT) == Replay(201, {"id": "mine"})
    with pytest.raises(Problem) as still_running:
        await store.begin("app-2", "s1", PRINT)  # not answered by the other's answer
    assert still_running.value.status == 409
    await store.release(theirs)
    assert await store.begin("app-1", "s1", PRINT) == Replay(201, {"id": "mine"})


async def test_once_keeps_the_status_its_action_answered(store: IdempotencyStore) -> None:
    async def created(claim: Claim) -> Answer:
        return Answer(201, {"id": claim.resource_id})

    first = await store.once("app-1", "o1", PRINT, created)
    assert isinstance(first, Answer)
    assert await store.begin("app-1", "o1", PRINT) == Replay(201, first.body)


async def test_a_key_in_flight_is_refused_in_words_and_stored_as_in_progress(
    store: IdempotencyStore,
) -> None:
    await store.begin("app-1", "w1", PRINT)
    with pytest.raises(Problem) as in_flight:
        await store.begin("app-1", "w1", PRINT)
    assert in_flight.value.body() == {
        "type": "urn:qinqing:problem:request-in-progress",
        "title": "Request in progress",
        "status": 409,
        "detail": "A request with this Idempotency-Key is still being processed; "
        "retry shortly to get its answer.",
    }
    async with store.units.read() as unit:
        row = await unit.session.get(IdempotencyRecord, ("app-1", "w1"))
    assert row is not None
    assert row.status == "in_progress"


async def test_an_answer_and_a_release_touch_only_their_own_key(store: IdempotencyStore) -> None:
    first = await store.begin("app-1", "t1", PRINT)
    second = await store.begin("app-1", "t2", PRINT)
    third = await store.begin("app-1", "t3", PRINT)
    assert isinstance(first, Claim)
    assert isinstance(second, Claim)
    assert isinstance(third, Claim)
    await store.finish(first, 200, {"id": "first"})
    await store.release(third)
    with pytest.raises(Problem) as untouched:
        await store.begin("app-1", "t2", PRINT)
    assert untouched.value.status == 409
    assert await store.begin("app-1", "t1", PRINT) == Replay(200, {"id": "first"})
