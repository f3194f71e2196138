"""Request bounds, on a real uvicorn server with the services' own server options: a
head too large (431) or too slow (408), a request too long (503 timed-out), one too many
at once (503 overloaded)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from qinqing_devtools.nats_server import free_port
from qinqing_shared.cli import server_options
from qinqing_shared.guardrails import Guardrails
from qinqing_shared.settings import ServiceSettings

BOUNDS = ServiceSettings(
    max_header_bytes=2_048,
    header_timeout_seconds=0.5,
    request_timeout_seconds=0.5,
    max_concurrent_requests=2,
)


def bounded_app(release: asyncio.Event) -> FastAPI:
    app = FastAPI()
    app.add_middleware(
        Guardrails,
        max_concurrent=BOUNDS.max_concurrent_requests,
        timeout_seconds=BOUNDS.request_timeout_seconds,
    )

    @app.get("/quick")
    async def quick() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/held")
    async def held() -> dict[str, str]:
        await release.wait()
        return {"status": "released"}

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app


@contextlib.asynccontextmanager
async def serving(app: FastAPI) -> AsyncIterator[str]:
    port = free_port()
    options = server_options(BOUNDS) | {"loop": "asyncio"}
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning", **options))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn.Server sets a flag, not an event
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def raw(url: str, *chunks: bytes, pause: float = 0.0) -> bytes:
    """Send ``chunks`` on a fresh connection (``pause`` between them); what came back."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
            await asyncio.sleep(pause)
        return await asyncio.wait_for(reader.read(), timeout=5)
    finally:
        writer.close()


def status_and_problem(answer: bytes) -> tuple[int, str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body)["type"]


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, asyncio.Event]]:
    release = asyncio.Event()
    async with serving(bounded_app(release)) as url:
        yield url, release
        release.set()


async def test_a_request_head_over_the_bound_is_refused_431(
    server: tuple[str, asyncio.Event],
) -> None:
    url, _ = server
    big = b"GET /quick HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 3_000 + b"\r\n\r\n"
    assert status_and_problem(await raw(url, big)) == (
        431,
        "urn:qinqing:problem:headers-too-large",
    )


async def test_many_small_headers_over_the_bound_are_refused_431(
    server: tuple[str, asyncio.Event],
) -> None:
    url, _ = server
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 40) for i in range(60))
    answer = await raw(url, b"GET /quick HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert status_and_problem(answer)[0] == 431


async def test_a_head_just_under_the_bound_is_served(server: tuple[str, asyncio.Event]) -> None:
    url, _ = server
    async with httpx.AsyncClient(base_url=url) as client:
        answer = await client.get("/quick", headers={"X-Padding": "a" * 1_500})
    assert answer.status_code == 200


async def test_a_head_sent_too_slowly_is_cut_off_408(server: tuple[str, asyncio.Event]) -> None:
    url, _ = server
    answer = await raw(url, b"GET /quick HTTP/1.1\r\n", b"Host: x\r\n", pause=0.4)
    assert status_and_problem(answer) == (408, "urn:qinqing:problem:request-timeout")


async def test_a_request_over_its_time_is_answered_503_timed_out(
    server: tuple[str, asyncio.Event],
) -> None:
    url, _ = server
    async with httpx.AsyncClient(base_url=url) as client:
        answer = await client.get("/held")
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == "urn:qinqing:problem:timed-out"
    assert answer.headers["retry-after"] == "1"


async def test_one_request_over_the_concurrency_bound_is_refused_at_once(
    server: tuple[str, asyncio.Event],
) -> None:
    url, release = server
    async with httpx.AsyncClient(base_url=url, timeout=5) as client:
        held = [asyncio.create_task(client.get("/held")) for _ in range(2)]
        await asyncio.sleep(0.1)  # both are in the handler, waiting for release
        refused = await client.get("/quick")
        health = await client.get("/healthz")  # not counted: the service is alive
        release.set()
        answers = await asyncio.gather(*held)
        after = await client.get("/quick")
    assert (refused.status_code, refused.json()["type"]) == (503, "urn:qinqing:problem:overloaded")
    assert health.status_code == 200
    assert [a.status_code for a in answers] == [200, 200]
    assert after.status_code == 200


async def test_a_head_that_never_ends_is_refused_431_once_over_the_bound(
    server: tuple[str, asyncio.Event],
) -> None:
    url, _ = server  # one endless header value: the parser has not reported a header yet
    answer = await raw(url, b"GET /quick HTTP/1.1\r\nHost: x\r\nX-Endless: ", b"a" * 3_000)
    assert status_and_problem(answer)[0] == 431
