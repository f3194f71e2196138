"""CloudEvents 1.0 in NATS binary mode, and the JetStream stream of each domain."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError
from pydantic import BaseModel, Field

SPEC_VERSION = "1.0"
DUPLICATE_WINDOW_SECONDS = 600.0


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class CloudEvent(BaseModel):
    """An event as it travels: the subject is also its CloudEvents type."""

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    source: str
    time: dt.datetime = Field(default_factory=utcnow)
    subject: str | None = None
    data: dict[str, Any]
    # W3C trace context of the request that wrote the event (qinqing_shared.tracing): the
    # consumers' spans join that trace. Travels as the ``traceparent`` header.
    traceparent: str | None = None

    def headers(self) -> dict[str, str]:
        headers = {
            "ce-specversion": SPEC_VERSION,
            "ce-id": self.id,
            "ce-type": self.type,
            "ce-source": self.source,
            "ce-time": self.time.isoformat(),
            "content-type": "application/json",
            "Nats-Msg-Id": self.id,
        }
        if self.subject:
            headers["ce-subject"] = self.subject
        if self.traceparent:
            headers["traceparent"] = self.traceparent
        return headers

    def body(self) -> bytes:
        return json.dumps(self.data, separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def from_message(cls, headers: dict[str, str] | None, payload: bytes) -> CloudEvent:
        """Read a binary-mode message; raises ValueError when it is not a CloudEvent."""
        h = headers or {}
        if h.get("ce-specversion") != SPEC_VERSION or "ce-id" not in h:
            raise ValueError("not a CloudEvents 1.0 binary-mode message")
        return cls(
            id=h["ce-id"],
            type=h["ce-type"],
            source=h["ce-source"],
            time=dt.datetime.fromisoformat(h["ce-time"]),
            subject=h.get("ce-subject"),
            data=json.loads(payload or b"{}"),
            traceparent=h.get("traceparent"),
        )


def stream_name(domain: str) -> str:
    return f"QINQING_{domain.upper()}"


def domain_of(subject: str) -> str:
    """'qinqing.payment.payout.completed.v1' -> 'payment'."""
    return subject.split(".")[1]


async def ensure_stream(js: JetStreamContext, domain: str, replicas: int = 1) -> None:
    """Create the domain's stream if it is missing (file storage, long dedupe window,
    ``replicas`` copies: 3 on a NATS cluster, see docs/deploy.md)."""
    name = stream_name(domain)
    try:
        await js.stream_info(name)
    except NotFoundError:
        config = StreamConfig(
            name=name,
            subjects=[f"qinqing.{domain}.>"],
            storage=StorageType.FILE,
            duplicate_window=DUPLICATE_WINDOW_SECONDS,
            num_replicas=replicas,
        )
        try:
            await js.add_stream(config)
        except Exception:  # noqa: BLE001 - another process may have created it meanwhile
            await js.stream_info(name)
