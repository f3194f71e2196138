"""The portal and the dashboard call the platform's public API like any app does:
over HTTP, at the gateway's public address, with the signed-in person's token."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import httpx

from qinqing_shared.http import ServiceClient
from qinqing_shared.problems import Problem

NAMES_SECONDS = 300.0  # districts' and departments' names change with a new release
# The dashboard's figures are asked at most this often, however many people watch it
STATS_SECONDS = 2.0


class PublicApi:
    """The gateway's public API; catalog-svc's and credit-svc's department APIs, where
    departments write their policies and credit records (as any department's system
    does, with the officer's token)."""

    def __init__(self, base_url: str, services: dict[str, str]) -> None:
        self.client = ServiceClient("the public API", base_url)
        self.catalog = ServiceClient("catalog-svc", services["catalog-svc"])
        self.credit = ServiceClient("credit-svc", services["credit-svc"])
        # where departments' refused records wait (their dead letters)
        self.letters = {
            name: ServiceClient(name, services[name]) for name in ("identity-svc", "credit-svc")
        }
        self._names: dict[str, tuple[float, dict[str, dict[str, str]]]] = {}
        self._stats: tuple[float, dict[str, Any]] | None = None

    async def get(self, path: str, token: str | None = None) -> Any:
        return await self.client.request("GET", path, headers=_bearer(token))

    async def send(
        self, method: str, path: str, token: str, body: Any = None, key: str | None = None
    ) -> Any:
        headers = _bearer(token)
        if key is not None:
            headers["Idempotency-Key"] = key
        return await self.client.request(method, path, body, headers)

    async def department(self, method: str, path: str, token: str, body: Any = None) -> Any:
        """catalog-svc's department API, with the officer's own token."""
        return await self.catalog.request(method, path, body, _bearer(token))

    async def dead_letters(
        self, service: str, method: str, path: str, token: str, body: Any = None
    ) -> Any:
        """A service's dead letters that are the officer's department's own."""
        path = "/dead-letters" + path
        return await self.letters[service].request(method, path, body, _bearer(token))

    async def credit_records(self, method: str, path: str, token: str, body: Any) -> Any:
        """credit-svc's department API (file, lift), with the officer's own token."""
        return await self.credit.request(method, path, body, _bearer(token))

    async def stats(self) -> dict[str, Any]:
        """``/v1/stats``, at most ``STATS_SECONDS`` old."""
        if self._stats is None or time.monotonic() - self._stats[0] >= STATS_SECONDS:
            self._stats = (time.monotonic(), await self.get("/v1/stats"))
        return self._stats[1]

    async def names(self, what: str, lang: str) -> dict[str, str]:
        """Code → name of the city's ``districts`` or ``departments`` in ``lang``
        (Chinese where the catalog has it, else its English name; kept 5 minutes)."""
        kept = self._names.get(what)
        if kept is None or time.monotonic() - kept[0] >= NAMES_SECONDS:
            rows = await self.get(f"/v1/{what}")
            kept = (time.monotonic(), {row["code"]: row for row in rows})
            self._names[what] = kept
        return {
            code: (row.get("name_zh") if lang == "zh" else None) or row["name"]
            for code, row in kept[1].items()
        }

    async def token(self, form: dict[str, str], client_id: str, secret: str) -> dict[str, Any]:
        """The token endpoint's answer for ``form`` (authenticated as the portal)."""
        try:
            answer = await self.client.http.post(
                "/oauth/token", data=form, auth=httpx.BasicAuth(client_id, secret)
            )
        except httpx.HTTPError as exc:
            raise Problem(
                503, "dependency-unavailable", "The sign-in service is unavailable", str(exc)
            ) from exc
        body: dict[str, Any] = answer.json()
        if answer.status_code != 200:
            detail = body.get("error_description") or body.get("error") or "refused"
            raise Problem(400, "sign-in-refused", "The sign-in was refused", str(detail))
        return body

    async def revoke(self, token: str, client_id: str, secret: str) -> None:
        # the session ends anyway; the token expires within 15 minutes
        with contextlib.suppress(httpx.HTTPError):
            await self.client.http.post(
                "/oauth/revoke", data={"token": token}, auth=httpx.BasicAuth(client_id, secret)
            )

    async def aclose(self) -> None:
        await self.client.aclose()
        await self.catalog.aclose()
        await self.credit.aclose()
        for client in self.letters.values():
            await client.aclose()


def _bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}
