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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fastapi.responses import JSONResponse
from sqlalchemy import JSON, DateTime, Integer, String, bindparam, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from qinqing_shared.db import as_utc, insert_ignore, table_of
from qinqing_shared.problems import Problem

if TYPE_CHECKING:
    from qinqing_shared.uow import Units


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


@dataclass
class Claim:
    """The key is ours: ``resource_id`` names what the request creates, kept on takeover.

    ``held``: a durable resource now owns the key (the gateway's flow), and whoever
    finishes that resource stores the answer; an error no longer releases the key.
    ``answered``: the final answer is stored (``UnitOfWork.answer``).
    """

    client_id: str
    key: str
    resource_id: str
    taken_over: bool
    held: bool = False
    answered: bool = False
    # when this request took the key (its lease): a release deletes the claim only while
    # nobody has taken it over since
    since: dt.datetime | None = None


@dataclass(frozen=True)
class Answer:
    """What a keyed request answers; only a ``final`` answer is kept under its key."""

    status: int
    body: dict[str, Any]
    final: bool = True


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
        units: Units,
        ttl: dt.timedelta = dt.timedelta(hours=24),
        lease: dt.timedelta = dt.timedelta(seconds=60),
    ) -> None:
        self.model = model
        self.units = units
        units.keys = self  # a unit may store answers under its claim
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
            async with self.units.write() as uow:
                outcome = await self._claim(uow.session, values, now)
                await uow.commit()
                return outcome
        except IntegrityError:
            raise _in_progress() from None

    async def _claim(
        self, session: AsyncSession, values: dict[str, Any], now: dt.datetime
    ) -> Claim | Replay:
        client_id, key = values["client_id"], values["key"]
        since = values["created_at"]
        if await insert_ignore(session, self.model, values):  # a new key: one statement
            return Claim(client_id, key, values["resource_id"], taken_over=False, since=since)
        record = await session.get(self.model, (client_id, key), with_for_update=True)
        if record is None:  # released between the two statements
            raise _in_progress()
        if as_utc(record.expires_at) < now:
            await session.delete(record)
            await session.flush()
            session.add(self.model(**values))
            return Claim(client_id, key, values["resource_id"], taken_over=False, since=since)
        return self._repeat(record, values["fingerprint"], now)

    async def once(
        self,
        client_id: str,
        key: str | None,
        print_: str,
        action: Callable[[Claim], Awaitable[Answer]],
    ) -> Answer | Replay:
        """The Idempotency-Key protocol, for every creating request of every service.

        A repeat replays the stored answer; a new key runs ``action`` once. A final
        answer is kept (unless ``action`` stored it in its own unit of work already); a
        request that fails, or whose outcome is not known yet, releases the key so the
        same key may ask again, unless a durable resource holds it (``Claim.held``).
        """
        claim = await self.begin(client_id, require_key(key), print_)
        if isinstance(claim, Replay):
            return claim
        try:
            answer = await action(claim)
        except BaseException:
            if not claim.held and not claim.answered:
                await self.release(claim)
            raise
        if answer.final and not claim.answered:
            await self.finish(claim, answer.status, answer.body)
        elif not answer.final and not claim.held:
            await self.release(claim)
        return answer

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
        resource = str(record.resource_id)
        return Claim(record.client_id, record.key, resource, taken_over=True, since=now)

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
        async with self.units.write(claim) as uow:
            await uow.answer(status, body)
            await uow.commit()

    async def release(self, claim: Claim) -> None:
        """Forget a claim whose request created nothing (refused, or failed early).

        A claim taken over is never released: the request it was taken from may be alive
        still (only slow) and create the resource under the claim's id, so the key keeps
        that id, and the next retry takes it over again once its lease has run out. A
        claim another request took over since is left to that request."""
        if claim.taken_over:
            return
        where = [self.model.client_id == claim.client_id, self.model.key == claim.key]
        if claim.since is not None:
            where.append(self.model.created_at == claim.since)
        async with self.units.write() as uow:
            await uow.session.execute(delete(self.model).where(*where))
            await uow.commit()


def answer_response(answer: Answer | Replay) -> Any:
    """A keyed answer as HTTP: a replay says so in ``Idempotency-Replayed``."""
    if isinstance(answer, Replay):
        return replay_response(answer)
    return JSONResponse(answer.body, status_code=answer.status)


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
