"""Idempotency-Key handling (IETF httpapi draft) for every creating POST.

A key belongs to a client. The first request claims it (committed at once, so a
concurrent duplicate sees it) with a fingerprint of the request; a repeat with the same
fingerprint replays the stored answer, with another fingerprint is refused (422), and
while the first still runs is told to retry (409). A claim left ``in_progress`` longer
than its lease (a crash) may be taken over: what runs under a key must itself be
idempotent, so running it again is safe. Keys live ``ttl`` (24 hours by default).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import JSON, DateTime, Integer, String, bindparam, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, mapped_column

from qinqing_shared.db import as_utc, insert_ignore, table_of
from qinqing_shared.problems import Problem


class IdempotencyKeyMixin:
    """Columns of a service's ``idempotency_keys`` table."""

    client_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    resource_id: Mapped[str | None] = mapped_column(String(36))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


@dataclass(frozen=True)
class Replay:
    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Claim:
    """The key is ours: ``resource_id`` names what the request creates, kept on takeover."""

    client_id: str
    key: str
    resource_id: str
    taken_over: bool


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
            "retry cannot create twice.",
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
    def __init__(
        self,
        model: type[IdempotencyKeyMixin],
        sessions: async_sessionmaker[AsyncSession],
        ttl: dt.timedelta = dt.timedelta(hours=24),
        lease: dt.timedelta = dt.timedelta(seconds=60),
    ) -> None:
        self.model = model
        self.sessions = sessions
        self.ttl = ttl
        self.lease = lease
        table = table_of(model)  # built once: values go as parameters (see db.insert_ignore)
        self._done = (
            update(table)
            .where(table.c.client_id == bindparam("c"), table.c.key == bindparam("k"))
            .values(
                status="done", response_status=bindparam("code"), response_body=bindparam("body")
            )
        )

    async def begin(
        self, client_id: str, key: str, print_: str, resource_id: str | None = None
    ) -> Claim | Replay:
        """Claim the key for a new request, or say how to answer a repeated one."""
        now = dt.datetime.now(dt.UTC)
        values = self._new(client_id, key, print_, resource_id, now)
        try:
            async with self.sessions() as session, session.begin():
                if await insert_ignore(session, self.model, values):  # a new key: one statement
                    return Claim(client_id, key, values["resource_id"], taken_over=False)
                record = await session.get(self.model, (client_id, key), with_for_update=True)
                if record is None:  # released between the two statements
                    raise _in_progress()
                if as_utc(record.expires_at) < now:
                    await session.delete(record)
                    await session.flush()
                    session.add(self.model(**values))
                    return Claim(client_id, key, values["resource_id"], taken_over=False)
                return self._repeat(record, print_, now)
        except IntegrityError:
            raise _in_progress() from None

    def _new(
        self, client_id: str, key: str, print_: str, resource_id: str | None, now: dt.datetime
    ) -> dict[str, Any]:
        return {
            "client_id": client_id,
            "key": key,
            "fingerprint": print_,
            "status": "in_progress",
            "resource_id": resource_id or str(uuid.uuid4()),
            "created_at": now,
            "expires_at": now + self.ttl,
        }

    def _repeat(self, record: IdempotencyKeyMixin, print_: str, now: dt.datetime) -> Claim | Replay:
        if record.fingerprint != print_:
            raise Problem(
                422,
                "idempotency-key-reused",
                "Idempotency-Key reused",
                "This Idempotency-Key was used for a different request; use a new key.",
            )
        if record.status == "done" and record.response_body is not None:
            return Replay(record.response_status or 200, record.response_body)
        if as_utc(record.created_at) + self.lease > now:
            raise _in_progress()
        record.created_at = now  # a crashed request's claim: take it over, same resource
        return Claim(record.client_id, record.key, str(record.resource_id), taken_over=True)

    async def done(
        self, session: AsyncSession, claim: Claim, status: int, body: dict[str, Any]
    ) -> None:
        """Store the answer in the caller's transaction (with the change it answers).

        An update, never an insert: a claim released meanwhile (its request gave way
        to a retry) stays released, and the next repeat simply runs again.
        """
        values = {"c": claim.client_id, "k": claim.key, "code": status, "body": body}
        await session.execute(self._done, values)

    async def finish(self, claim: Claim, status: int, body: dict[str, Any]) -> None:
        async with self.sessions() as session, session.begin():
            await self.done(session, claim, status, body)

    async def release(self, claim: Claim) -> None:
        """Forget a claim whose request created nothing (refused, or failed early)."""
        async with self.sessions() as session, session.begin():
            await session.execute(
                delete(self.model).where(
                    self.model.client_id == claim.client_id, self.model.key == claim.key
                )
            )


def replay_response(replay: Replay) -> JSONResponse:
    media = "application/json" if replay.status < 400 else "application/problem+json"
    return JSONResponse(
        replay.body,
        status_code=replay.status,
        media_type=media,
        headers={"Idempotency-Replayed": "true"},
    )


def _in_progress() -> Problem:
    return Problem(
        409,
        "request-in-progress",
        "Request in progress",
        "A request with this Idempotency-Key is still being processed; "
        "retry shortly to get its answer.",
    )
