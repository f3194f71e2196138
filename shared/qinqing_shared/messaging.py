"""The NATS connection of a service: connect in the background, reconnect forever."""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlparse

import nats
from nats.aio.client import Client
from nats.js import JetStreamContext

log = logging.getLogger("qinqing.messaging")


def _without_password(url: str) -> str:
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.username or ''}@{parsed.hostname}:{parsed.port}"


class Messaging:
    """Holds the connection; ``ready`` is set once NATS answered the first time."""

    def __init__(self, url: str, name: str) -> None:
        self.url = url
        self.name = name
        self.client: Client | None = None
        self.ready = asyncio.Event()

    @property
    def js(self) -> JetStreamContext:
        if self.client is None:
            raise RuntimeError("NATS is not connected yet")
        return self.client.jetstream()

    @property
    def connected(self) -> bool:
        return self.client is not None and self.client.is_connected

    async def connect_forever(self) -> None:
        """Try until NATS answers: a service may start before its broker."""
        while self.client is None:
            try:
                self.client = await nats.connect(
                    self.url,
                    name=self.name,
                    max_reconnect_attempts=-1,
                    reconnect_time_wait=0.5,
                    connect_timeout=2,
                )
            except Exception:  # noqa: BLE001 - not there yet
                log.info("waiting for NATS at %s", _without_password(self.url))
                await asyncio.sleep(0.5)
        self.ready.set()

    async def close(self) -> None:
        # Close rather than drain: the outbox and the inbox keep what was not yet
        # acknowledged, so nothing is lost, and a pending pull would hold a drain up.
        if self.client is not None and not self.client.is_closed:
            await self.client.close()
