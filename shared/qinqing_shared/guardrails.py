"""Bounds on every request a service takes: how many at once, and for how long.

An ASGI middleware in every service (``create_service_app`` installs it):

- at most ``max_concurrent_requests`` requests are handled at once; one more is answered
  503 ``overloaded`` with ``Retry-After`` at once, rather than queued behind the others
  (health checks are not counted, so an orchestrator still sees a busy service alive);
- a request (reading its body included) is given ``request_timeout_seconds``; one that
  has not started its answer by then is cancelled and answered 503 ``timed-out``. Its
  open transaction is rolled back as a crash's would be; what it had committed stays,
  and a retry with the same Idempotency-Key resumes from there, never paying twice.

Header sizes and slow headers are bounded one level down, in the HTTP server
(``qinqing_shared.httpserver``), before a request reaches the app.
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qinqing_shared.problems import PROBLEM_MEDIA_TYPE, Problem

log = logging.getLogger("qinqing.guardrails")

UNCOUNTED = frozenset({"/healthz", "/readyz"})


class Guardrails:
    def __init__(self, app: ASGIApp, *, max_concurrent: int, timeout_seconds: float) -> None:
        self.app = app
        self.max_concurrent = max_concurrent
        self.timeout_seconds = timeout_seconds
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in UNCOUNTED:
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.max_concurrent:
            await _answer(send, overloaded(self.max_concurrent), scope["path"])
            return
        self.in_flight += 1
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            async with asyncio.timeout(self.timeout_seconds):
                await self.app(scope, receive, tracking_send)
        except TimeoutError:
            log.warning(
                "%s %s cut off after %ss", scope["method"], scope["path"], self.timeout_seconds
            )
            if started:
                raise  # the answer is half sent: the server closes the connection
            await _answer(send, timed_out(self.timeout_seconds), scope["path"])
        finally:
            self.in_flight -= 1


def overloaded(limit: int) -> Problem:
    problem = Problem(
        503,
        "overloaded",
        "Too many requests in progress",
        f"This service handles {limit} requests at a time; retry after the time given.",
    )
    problem.headers = {"Retry-After": "1"}
    return problem


def timed_out(seconds: float) -> Problem:
    problem = Problem(
        503,
        "timed-out",
        "The request took too long",
        f"The request was not answered within {seconds:g} s. Retry it, with the same "
        "Idempotency-Key where the route takes one: the retry resumes, never pays twice.",
    )
    problem.headers = {"Retry-After": "1"}
    return problem


async def _answer(send: Send, problem: Problem, path: str) -> None:
    body = _json(problem.body(path))
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ] + [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
    await send({"type": "http.response.start", "status": problem.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _json(body: dict[str, object]) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
