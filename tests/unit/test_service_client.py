"""A peer's refusal of the platform's own token is the platform's fault (503, retried),
never the outside caller's 401 or 403; a refusal of the caller's forwarded token is."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from qinqing_shared.http import ServiceClient
from qinqing_shared.problems import Problem


def refusing_peer() -> FastAPI:
    app = FastAPI()

    @app.get("/profile")
    async def profile(request: Request) -> JSONResponse:
        status = 401 if request.headers["authorization"].endswith("stale") else 403
        body = {"type": "urn:qinqing:problem:unauthenticated", "title": "No", "status": status}
        return JSONResponse(body | {"detail": "refused"}, status_code=status)

    return app


def client_of(app: FastAPI) -> ServiceClient:
    client = ServiceClient("identity-svc", "http://peer", token=lambda: "stale")
    client.http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://peer")
    return client


async def test_the_peer_refusing_the_platform_s_own_token_is_a_503_to_retry() -> None:
    client = client_of(refusing_peer())
    with pytest.raises(Problem) as refused:
        await client.request("GET", "/profile")
    await client.aclose()
    assert (refused.value.status, refused.value.slug) == (503, "dependency-unavailable")
    assert refused.value.headers == {"Retry-After": "2"}


async def test_the_peer_refusing_a_forwarded_caller_s_token_is_the_caller_s_answer() -> None:
    client = client_of(refusing_peer())
    with pytest.raises(Problem) as refused:
        await client.request("GET", "/profile", headers={"Authorization": "Bearer callers"})
    await client.aclose()
    assert (refused.value.status, refused.value.slug) == (403, "unauthenticated")
