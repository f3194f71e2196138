"""Calling another service: problems answered upstream come back as problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import orjson
from httpx_aiohttp import AiohttpTransport

from qinqing_shared import tracing
from qinqing_shared.logs import REQUEST_ID
from qinqing_shared.problems import Problem
from qinqing_shared.uow import ensure_no_open_unit


class ServiceClient:
    """A thin JSON client for one peer service, keeping one connection pool."""

    def __init__(
        self,
        name: str,
        base_url: str,
        timeout: float = 10.0,
        token: Callable[[], str] | None = None,
    ) -> None:
        self.name = name
        # the caller's own access token for this peer (aud = the peer), made per call
        self.token = token
        # Idle connections are kept a minute (httpx's default is 5 s): a new TCP
        # connection per call costs both sides more than the call itself.
        limits = httpx.Limits(max_connections=200, keepalive_expiry=60)
        # httpx's API on aiohttp's connection handling: a call costs a third of the CPU
        # of httpx's own transport (measured, docs/benchmarks.md)
        transport = AiohttpTransport(limits=limits)
        self.http = httpx.AsyncClient(base_url=base_url, timeout=timeout, transport=transport)

    async def request(
        self, method: str, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        """The JSON answer of a 2xx; a problem (as ``Problem``) otherwise.

        Calls carry this client's own token unless ``headers`` bring an Authorization
        (a caller's token the gateway forwards for the service to check itself).
        """
        ensure_no_open_unit(f"calling {self.name}")
        own_token = self.token is not None and not (headers and "Authorization" in headers)
        if own_token:
            assert self.token is not None
            headers = {**(headers or {}), "Authorization": f"Bearer {self.token()}"}
        if (request_id := REQUEST_ID.get()) is not None:  # one id through every service
            headers = {**(headers or {}), "X-Request-Id": request_id}
        if tracing.enabled():  # one trace through every service
            headers = tracing.inject(headers)
        content = None
        if json is not None:  # orjson: a tenth of the standard library's CPU
            content = orjson.dumps(json, option=orjson.OPT_NON_STR_KEYS)
            headers = {**(headers or {}), "Content-Type": "application/json"}
        try:
            response = await self.http.request(method, path, content=content, headers=headers)
        except httpx.HTTPError as exc:
            raise Problem(
                503,
                "dependency-unavailable",
                "A platform service is unavailable",
                f"{self.name} did not answer ({type(exc).__name__}); retry later.",
            ) from exc
        if response.is_success:
            return orjson.loads(response.content) if response.content else None
        if own_token and response.status_code in (401, 403):
            raise _refused_us(self.name, response.status_code)
        raise _problem_from(self.name, response)

    async def aclose(self) -> None:
        await self.http.aclose()


def _refused_us(name: str, status: int) -> Problem:
    """A peer refused this service's own token: the platform's fault, not the caller's
    (a 401 while a rotated key reaches the peer), so never the caller's 401 or 403."""
    problem = Problem(
        503,
        "dependency-unavailable",
        "A platform service is unavailable",
        f"{name} did not accept the platform's own credentials ({status}); retry later.",
    )
    problem.headers = {"Retry-After": "2"}
    return problem


def _problem_from(name: str, response: httpx.Response) -> Problem:
    if response.status_code < 500:
        try:
            return Problem.from_body(response.status_code, response.json())
        except ValueError:
            pass
    return Problem(
        502,
        "dependency-failed",
        "A platform service failed",
        f"{name} answered {response.status_code}; retry later.",
    )
