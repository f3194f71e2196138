"""Calling another service: problems answered upstream come back as problems."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from qinqing_shared.problems import Problem


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
        limits = httpx.Limits(max_keepalive_connections=50, keepalive_expiry=60)
        self.http = httpx.AsyncClient(base_url=base_url, timeout=timeout, limits=limits)

    async def request(
        self, method: str, path: str, json: Any = None, headers: dict[str, str] | None = None
    ) -> Any:
        """The JSON answer of a 2xx; a problem (as ``Problem``) otherwise.

        Calls carry this client's own token unless ``headers`` bring an Authorization
        (a caller's token the gateway forwards for the service to check itself).
        """
        if self.token is not None and not (headers and "Authorization" in headers):
            headers = {**(headers or {}), "Authorization": f"Bearer {self.token()}"}
        try:
            response = await self.http.request(method, path, json=json, headers=headers)
        except httpx.HTTPError as exc:
            raise Problem(
                503,
                "dependency-unavailable",
                "A platform service is unavailable",
                f"{self.name} did not answer ({type(exc).__name__}); retry later.",
            ) from exc
        if response.is_success:
            return response.json()
        raise _problem_from(self.name, response)

    async def aclose(self) -> None:
        await self.http.aclose()


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
