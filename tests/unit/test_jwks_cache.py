"""The public-key cache: a rotated key is looked up at once, made-up key ids cannot make
it fetch all the time, and a retired key stops verifying once the set is read again."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from qinqing_shared.auth.jwks import JwksCache
from qinqing_shared.auth.keys import KeyRing


class Signer:
    """A signer's JWKS endpoint, counting how often it is read."""

    def __init__(self, folder: Path) -> None:
        self.ring = KeyRing(folder, "EdDSA")
        self.reads = 0
        self.app = FastAPI()

        @self.app.get("/jwks.json")
        async def jwks() -> dict[str, Any]:
            self.reads += 1
            return self.ring.jwks()

    def cache(self, max_age_seconds: float = 300.0) -> JwksCache:
        cache = JwksCache("http://signer/jwks.json", max_age_seconds=max_age_seconds)
        transport = httpx.ASGITransport(app=self.app)
        cache._http = httpx.AsyncClient(transport=transport, base_url="http://signer")
        return cache


async def test_a_rotated_key_is_looked_up_at_once_and_made_up_ids_once_a_while(
    tmp_path: Path,
) -> None:
    signer = Signer(tmp_path)
    cache = signer.cache()
    first = signer.ring.current.kid
    assert (await cache.key(first)) is not None
    second = signer.ring.rotate().kid
    assert (await cache.key(second)) is not None  # right after the first read
    assert signer.reads == 2
    assert await cache.key("made-up-1") is None
    assert await cache.key("made-up-2") is None
    assert signer.reads == 3  # the second made-up id waits for refetch_seconds
    await cache.aclose()


async def test_a_retired_key_stops_verifying_once_the_set_is_read_again(tmp_path: Path) -> None:
    signer = Signer(tmp_path)
    cache = signer.cache(max_age_seconds=0.2)
    old = signer.ring.current.kid
    assert (await cache.key(old)) is not None
    signer.ring.rotate()
    signer.ring.retire(old, live_seconds=0, at_once=True)
    assert (await cache.key(old)) is not None  # known, and not yet due to be read again
    await asyncio.sleep(0.3)
    assert await cache.key(old) is None
    await cache.aclose()
