"""Idempotency-Key handling (IETF httpapi draft): replay, conflict, mismatch."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from qinqing_gateway.models import IdempotencyRecord
from qinqing_shared.db import as_utc
from qinqing_shared.problems import Problem


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict[str, Any]


def fingerprint(method: str, path: str, body: Any) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def require_key(key: str | None) -> str:
    if not key:
        raise Problem(
            400,
            "idempotency-key-missing",
            "Idempotency-Key header missing",
            "Send an Idempotency-Key header (a fresh UUID per new request) so a "
            "retry cannot pay twice.",
        )
    if len(key) > 255:
        raise Problem(
            400,
            "idempotency-key-invalid",
            "Idempotency-Key too long",
            "An Idempotency-Key has at most 255 characters.",
        )
    return key


class IdempotencyStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], ttl_hours: int) -> None:
        self.sessions = sessions
        self.ttl = dt.timedelta(hours=ttl_hours)

    async def begin(self, client_id: str, key: str, print_: str) -> IdempotencyRecord | Replay:
        """Claim the key for a new request, or say how to answer a repeated one."""
        now = dt.datetime.now(dt.UTC)
        try:
            async with self.sessions() as session, session.begin():
                record = await session.get(IdempotencyRecord, (client_id, key))
                if record is not None and as_utc(record.expires_at) < now:
                    await session.delete(record)
                    await session.flush()
                    record = None
                if record is not None:
                    return _repeat(record, print_)
                record = IdempotencyRecord(
                    client_id=client_id,
                    key=key,
                    fingerprint=print_,
                    status="in_progress",
                    application_id=str(uuid.uuid4()),
                    created_at=now,
                    expires_at=now + self.ttl,
                )
                session.add(record)
            return record
        except IntegrityError:
            raise _in_progress() from None

    async def finish(self, client_id: str, key: str, status: int, body: dict[str, Any]) -> None:
        async with self.sessions() as session, session.begin():
            record = await session.get(IdempotencyRecord, (client_id, key))
            if record is not None:
                record.status, record.response_status, record.response_body = "done", status, body

    async def release(self, client_id: str, key: str) -> None:
        """Forget a key whose request was refused before anything was created."""
        async with self.sessions() as session, session.begin():
            await session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.client_id == client_id, IdempotencyRecord.key == key
                )
            )


def _repeat(record: IdempotencyRecord, print_: str) -> Replay:
    if record.fingerprint != print_:
        raise Problem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused",
            "This Idempotency-Key was used for a different request; use a new key.",
        )
    if record.status != "done" or record.response_body is None:
        raise _in_progress()
    return Replay(record.response_status or 200, record.response_body)


def _in_progress() -> Problem:
    return Problem(
        409,
        "request-in-progress",
        "Request in progress",
        "A request with this Idempotency-Key is still being processed; "
        "retry shortly to get its answer.",
    )
