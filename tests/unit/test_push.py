"""An application's page told of its steps: who is told what, and the stream's lines."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import pytest

from qinqing_gateway.web import push
from qinqing_gateway.web.push import QUEUE, Followers, TooManyStreams, stream
from qinqing_shared.contracts.events import PAYOUT_COMPLETED
from qinqing_shared.events import CloudEvent


@dataclass
class Msg:
    """What the NATS client hands a subscription's callback (the parts read)."""

    subject: str
    headers: dict[str, str] | None
    data: bytes


def completed(application_id: str) -> Msg:
    event = CloudEvent(
        type=PAYOUT_COMPLETED,
        source="/qinqing/payment-svc",
        subject=application_id,
        data={"application_id": application_id, "amount_fen": 100},
    )
    return Msg(PAYOUT_COMPLETED, event.headers(), event.body())


async def test_each_page_of_an_application_is_told_and_no_other() -> None:
    steps = Followers()
    first, second, other = steps.follow("a-1"), steps.follow("a-1"), steps.follow("a-2")
    await steps.on_message(completed("a-1"))  # type: ignore[arg-type]
    assert (first.get_nowait(), second.get_nowait(), other.empty()) == (
        PAYOUT_COMPLETED,
        PAYOUT_COMPLETED,
        True,
    )
    steps.leave("a-1", first)
    steps.leave("a-1", first)  # leaving twice counts once
    assert (steps.tell("a-1", "x"), steps.following) == (1, 2)
    steps.leave("a-1", second)
    steps.leave("a-2", other)
    assert (steps.tell("a-1", "x"), steps.following) == (0, 0)


async def test_an_unreadable_message_tells_nobody() -> None:
    steps = Followers()
    page = steps.follow("a-1")
    await steps.on_message(Msg(PAYOUT_COMPLETED, None, b"{}"))  # type: ignore[arg-type]
    await steps.on_message(Msg(PAYOUT_COMPLETED, {"ce-specversion": "1.0"}, b"{}"))  # type: ignore[arg-type]
    assert page.empty()


async def test_a_slow_page_keeps_the_latest_steps_and_the_pages_are_bounded() -> None:
    steps = Followers(max_streams=2)
    page = steps.follow("a-1")
    for n in range(QUEUE + 3):
        steps.tell("a-1", f"step-{n}")
    assert (page.qsize(), page.get_nowait()) == (QUEUE, "step-3")  # the oldest went
    steps.follow("a-2")
    with pytest.raises(TooManyStreams):
        steps.follow("a-3")


async def test_the_stream_tells_each_step_keeps_alive_and_ends_in_time() -> None:
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(PAYOUT_COMPLETED)

    async def here() -> bool:
        return False

    lines = [line async for line in stream(queue, here, seconds=0.25, heartbeat=0.1)]
    assert lines[:2] == [
        "retry: 3000\n\n",
        'event: step\ndata: {"type": "qinqing.payment.payout.completed.v1"}\n\n',
    ]
    assert set(lines[2:]) == {": still following\n\n"} and 1 <= len(lines[2:]) <= 3


async def test_the_stream_stops_when_the_page_is_gone() -> None:
    async def gone() -> bool:
        return True

    lines = [line async for line in stream(asyncio.Queue(), gone, seconds=5, heartbeat=0.05)]
    assert lines == ["retry: 3000\n\n"]


async def test_a_requests_event_tells_the_request_and_the_application_it_is_about() -> None:
    steps = Followers()
    request, application = steps.follow("r-1"), steps.follow("a-9")
    event = CloudEvent(
        type="qinqing.interaction.request.answered.v1",
        source="/qinqing/catalog-svc",
        subject="r-1",
        data={"request_id": "r-1", "application_id": "a-9", "department": "HZ-HRSS"},
    )
    await steps.on_message(Msg(event.type, event.headers(), event.body()))  # type: ignore[arg-type]
    assert (request.get_nowait(), application.get_nowait()) == (event.type, event.type)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_token_shown_a_subject_follows_it_without_reading_again_until_its_time_is_up() -> None:
    clock = Clock()
    shown = push.Shown(seconds=600, clock=clock)
    shown.remember("token-a", "request-1")
    clock.now += 599.9
    assert (shown.recent("token-a", "request-1"), shown.recent("token-b", "request-1")) == (
        True,
        False,
    )
    assert shown.recent("token-a", "request-2") is False  # another request: read it first
    clock.now += 0.1
    assert shown.recent("token-a", "request-1") is False  # read again after ten minutes


def test_the_pairs_shown_are_bounded_the_oldest_forgotten_first_and_no_token_kept() -> None:
    shown = push.Shown(most=2, clock=Clock())
    shown.remember("t1", "r")
    shown.remember("t2", "r")
    shown.remember("t1", "r")  # seen again: now the newest
    shown.remember("t3", "r")
    assert [shown.recent(t, "r") for t in ("t1", "t2", "t3")] == [True, False, True]
    assert not [key for key in shown._until if "t1" in key or "t3" in key]
