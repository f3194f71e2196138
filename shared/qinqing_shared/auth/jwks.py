"""Public keys of a signer (the authorization server, a peer service), fetched and cached.

A key id not seen before makes the cache fetch the JWKS again (a rotation), at most
once per ``refetch_seconds``; a fetch that fails leaves the known keys in place.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx
import jwt

log = logging.getLogger("qinqing.auth")


class JwksUnavailable(Exception):
    """The signer's JWKS could not be fetched: the key may exist, retry later."""


class JwksCache:
    def __init__(self, url: str, refetch_seconds: float = 5.0) -> None:
        self.url = url
        self.refetch_seconds = refetch_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -1e9
        self._lock = asyncio.Lock()
        self._http = httpx.AsyncClient(timeout=5)

    def load(self, jwks: dict[str, Any]) -> None:
        """Keys known without a fetch (the issuer's own process)."""
        self._keys |= {k.key_id: k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.key_id}

    async def key(self, kid: str) -> jwt.PyJWK | None:
        """The key, None when the signer has no such key; JwksUnavailable when the
        signer could not be asked (a restart): not a "no", a "not now"."""
        found = self._keys.get(kid)
        if found is None and time.monotonic() - self._fetched_at > self.refetch_seconds:
            async with self._lock:
                if kid not in self._keys:
                    await self._fetch()
            found = self._keys.get(kid)
        return found

    async def _fetch(self) -> None:
        try:
            response = await self._http.get(self.url)
            response.raise_for_status()
            self.load(response.json())
        except (httpx.HTTPError, ValueError, jwt.PyJWKSetError) as exc:
            log.warning("could not fetch the JWKS at %s: %s", self.url, exc)
            raise JwksUnavailable(f"{self.url}: {type(exc).__name__}") from exc
        self._fetched_at = time.monotonic()

    async def aclose(self) -> None:
        await self._http.aclose()
