"""Public keys of a signer (the authorization server, a peer service), fetched and cached.

A key id not seen before makes the cache fetch the JWKS again (a rotation), at most
once per ``refetch_seconds``; the set is also read again after ``max_age_seconds``, so a
retired key stops verifying. A fetch that fails leaves the known keys in place.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import httpx
import jwt

from qinqing_shared.auth.keys import KeyRing

log = logging.getLogger("qinqing.auth")


class JwksUnavailable(Exception):
    """The signer's JWKS could not be fetched: the key may exist, retry later."""


class JwksCache:
    def __init__(self, url: str, refetch_seconds: float = 5.0, max_age_seconds: float = 300.0):
        self.url = url
        self.refetch_seconds = refetch_seconds
        self.max_age_seconds = max_age_seconds
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at = -1e9
        self._looked_up_unknown = -1e9
        self._lock = asyncio.Lock()
        self._http = httpx.AsyncClient(timeout=5)
        self._ring: KeyRing | None = None
        self._issuer = ""  # an OpenID Connect issuer whose discovery names the JWKS
        self._ring_kids: list[str] = []

    def load(self, jwks: dict[str, Any]) -> None:
        """Keys known without a fetch (the issuer's own process)."""
        self._keys |= {k.key_id: k for k in jwt.PyJWKSet.from_dict(jwks).keys if k.key_id}
        self._fetched_at = time.monotonic()

    def follow(self, ring: KeyRing) -> None:
        """The signer is this process (the gateway's authorization server): its keys
        are read from its ring, so a rotated or retired key counts at once."""
        self._ring = ring

    async def key(self, kid: str) -> jwt.PyJWK | None:
        """The key, None when the signer has no such key; JwksUnavailable when the
        signer could not be asked (a restart): not a "no", a "not now"."""
        if self._ring is not None:
            kids = [k.kid for k in self._ring.keys]
            if kids != self._ring_kids:
                self._keys, self._ring_kids = {}, kids
                self.load(self._ring.jwks())
            return self._keys.get(kid)
        found = self._keys.get(kid)
        now = time.monotonic()
        if found is None and now - self._looked_up_unknown > self.refetch_seconds:
            # a key id not seen yet: a rotation, looked up at once (at most one look-up
            # each refetch_seconds, so made-up key ids cannot make it fetch all the time)
            async with self._lock:
                if kid not in self._keys:
                    await self._fetch()
                    if kid not in self._keys:  # made up (or retired): not again for a while
                        self._looked_up_unknown = now
            found = self._keys.get(kid)
        elif found is not None and now - self._fetched_at > self.max_age_seconds:
            # read again now and then, so a retired key stops verifying
            async with self._lock:
                with contextlib.suppress(JwksUnavailable):  # the known keys serve meanwhile
                    await self._fetch()
            found = self._keys.get(kid)
        return found

    @classmethod
    def discovered(cls, issuer: str, max_age_seconds: float = 300.0) -> JwksCache:
        """The keys of an OpenID Connect issuer, found through its discovery document
        (``<issuer>/.well-known/openid-configuration``, whose ``jwks_uri`` names them)."""
        cache = cls("", max_age_seconds=max_age_seconds)
        cache._issuer = issuer
        return cache

    async def _discover(self) -> None:
        url = self._issuer.rstrip("/") + "/.well-known/openid-configuration"
        response = await self._http.get(url)
        response.raise_for_status()
        metadata = response.json()
        if metadata.get("issuer") != self._issuer:  # OpenID Connect Discovery 1.0, 4.3
            raise ValueError(f"{url} names the issuer {metadata.get('issuer')!r}")
        self.url = str(metadata["jwks_uri"])

    async def _fetch(self) -> None:
        try:
            if self._issuer and not self.url:
                await self._discover()
            response = await self._http.get(self.url)
            response.raise_for_status()
            keys = jwt.PyJWKSet.from_dict(response.json()).keys
        except (httpx.HTTPError, ValueError, KeyError, jwt.PyJWKSetError) as exc:
            # known keys serve on; the set is asked for again after refetch_seconds
            self._fetched_at = time.monotonic() - self.max_age_seconds + self.refetch_seconds
            self._looked_up_unknown = -1e9  # a key id not found meanwhile: "not now", not "no"
            log.warning("could not fetch the JWKS at %s: %s", self.url, exc)
            raise JwksUnavailable(f"{self.url}: {type(exc).__name__}") from exc
        self._keys = {k.key_id: k for k in keys if k.key_id}  # the signer's set, as it is now
        self._fetched_at = time.monotonic()

    async def aclose(self) -> None:
        await self._http.aclose()
