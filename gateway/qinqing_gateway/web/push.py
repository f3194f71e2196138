"""An application's page, and a request's, told of each of its steps as the step's
event arrives (server-sent events), instead of asking every second.

Every gateway instance hears the events of every application and every request to a
department on plain NATS subscriptions (``SUBJECTS``: what webhooks deliver, and the
requests' events; nothing durable: a page that misses one still asks now and then) and
hands each to the pages that follow that application or request in this process. A
page is told only which step happened; it then fetches its own part again (or, for a
request, offers to), through the public API with the person's token, so what it shows
is what that person may read. Bounded: at most ``MAX_STREAMS`` pages at once per
process (a stream is a request in progress: the service's guardrails take at most
256), each stream for ``STREAM_SECONDS`` (under the guardrails' 60 s per request), with
a comment line every ``HEARTBEAT_SECONDS`` so that proxies keep the connection. Then
the stream ends and the browser connects again (``retry``): a final application is
answered 204, and the browser stops.

Who may follow: the stream checks, through the API, that the person may read what it
follows. A request's read is an audit record in the enterprise's records of use, so a
page reconnecting every ``STREAM_SECONDS`` would add one each time: ``Shown`` remembers,
for ``SHOWN_SECONDS``, that this person's token was shown this request (by its page or
a stream's check), and a reconnect within that time follows without reading again. The
stream carries step names only; what a step changed is read again, and recorded,
through the API.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import time
from collections import OrderedDict, defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from nats.aio.msg import Msg

from qinqing_gateway.webhooks.dispatch import APP_SUBJECTS
from qinqing_shared.events import CloudEvent
from qinqing_shared.messaging import Messaging
from qinqing_shared.problems import Problem

log = logging.getLogger("gateway.push")
MAX_STREAMS = 100
STREAM_SECONDS = 45.0
HEARTBEAT_SECONDS = 10.0
QUEUE = 16  # steps waiting for a slow page; beyond it the oldest go (the page refetches)
SUBJECTS = (*APP_SUBJECTS, "qinqing.interaction.request.>")
KEYS = ("application_id", "request_id")  # what an event names that a page follows
SHOWN_SECONDS = 600.0
SHOWN_MAX = 10_000  # remembered (token, subject) pairs per process; the oldest go first


class TooManyStreams(Exception):
    """This process follows ``MAX_STREAMS`` pages already."""


class Shown:
    """Which (token, subject) pairs were shown lately: a token's holder who read a
    subject within ``seconds`` may follow it again without another read. Bounded, and
    in memory only (another process, or a restart, reads once more)."""

    def __init__(
        self,
        seconds: float = SHOWN_SECONDS,
        most: int = SHOWN_MAX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds, self.most, self.clock = seconds, most, clock
        self._until: OrderedDict[str, float] = OrderedDict()

    def remember(self, token: str, subject: str) -> None:
        key = _pair(token, subject)
        self._until.pop(key, None)
        self._until[key] = self.clock() + self.seconds
        while len(self._until) > self.most:
            self._until.popitem(last=False)

    def recent(self, token: str, subject: str) -> bool:
        until = self._until.get(_pair(token, subject))
        return until is not None and self.clock() < until


def _pair(token: str, subject: str) -> str:
    """The pair's key: a digest, so that no token is kept in the map."""
    return hashlib.sha256(f"{token}\0{subject}".encode()).hexdigest()


class Followers:
    """Which pages follow which application or request in this process, and what each
    is told."""

    def __init__(self, max_streams: int = MAX_STREAMS) -> None:
        self.max_streams = max_streams
        self._pages: dict[str, set[asyncio.Queue[str]]] = defaultdict(set)
        self._open = 0
        self.shown = Shown()

    @property
    def following(self) -> int:
        return self._open

    def follow(self, application_id: str) -> asyncio.Queue[str]:
        """A page starts following the application: the queue its steps arrive on."""
        if self._open >= self.max_streams:
            raise TooManyStreams(f"{self._open} pages are followed already")
        queue: asyncio.Queue[str] = asyncio.Queue(QUEUE)
        self._pages[application_id].add(queue)
        self._open += 1
        return queue

    def leave(self, application_id: str, queue: asyncio.Queue[str]) -> None:
        """The page is gone (closed, or its time is up)."""
        pages = self._pages.get(application_id)
        if pages is None or queue not in pages:
            return
        pages.discard(queue)
        self._open -= 1
        if not pages:
            del self._pages[application_id]

    def tell(self, application_id: str, step: str) -> int:
        """Hand ``step`` to every page following the application: how many."""
        pages = self._pages.get(application_id, set())
        for queue in pages:
            if queue.full():
                queue.get_nowait()  # the oldest goes: the page refetches all of it anyway
            queue.put_nowait(step)
        return len(pages)

    async def on_message(self, msg: Msg) -> None:
        try:
            event = CloudEvent.from_message(msg.headers, msg.data)
        except (ValueError, KeyError):
            log.warning("an unreadable event on %s", msg.subject)
            return
        data = event.data if isinstance(event.data, dict) else {}
        for key in {data.get(k) for k in KEYS} - {None, ""}:
            if isinstance(key, str):
                self.tell(key, event.type)

    async def listen_forever(self, messaging: Messaging) -> None:
        """Hear every application's events, for as long as the connection lives."""
        await messaging.ready.wait()
        assert messaging.client is not None
        for subject in SUBJECTS:
            await messaging.client.subscribe(subject, cb=self.on_message)
        await asyncio.Event().wait()


async def stream(
    queue: asyncio.Queue[str],
    disconnected: Callable[[], Awaitable[bool]],
    *,
    seconds: float = STREAM_SECONDS,
    heartbeat: float = HEARTBEAT_SECONDS,
) -> AsyncIterator[str]:
    """The page's event stream: each step as ``event: step``, a comment line while
    nothing happens; it ends when its time is up (the browser connects again)."""
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    yield "retry: 3000\n\n"
    while (left := until - loop.time()) > 0:
        try:
            step = await asyncio.wait_for(queue.get(), min(heartbeat, left))
        except TimeoutError:
            if await disconnected():
                return
            yield ": still following\n\n"
            continue
        yield f"event: step\ndata: {json.dumps({'type': step})}\n\n"


def followed(request: Request, key: str) -> Response:
    """The stream of ``key``'s steps for this page (its reader checked by the caller),
    or 503 when this process follows too many pages (the page asks as before)."""
    steps: Followers = request.app.state.followers
    try:
        queue = steps.follow(key)
    except TooManyStreams:
        raise Problem(
            503,
            "overloaded",
            "Too many pages followed",
            "Too many pages are followed at once; this page asks for its state instead.",
            headers={"Retry-After": "5"},
        ) from None

    async def events() -> AsyncIterator[str]:
        try:
            async for chunk in stream(queue, request.is_disconnected):
                yield chunk
        finally:
            steps.leave(key, queue)

    headers = {"Cache-Control": "no-store", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
