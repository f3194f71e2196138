"""The dead-letter store: what could not be delivered for good, kept whole, for operators.

Built once, for every kind of undeliverable thing: today the outbox's events (too large
for NATS, refused by JetStream as malformed); later department ingest and webhooks.
A dead letter is moved out of its queue in the same transaction that stores it, so the
rest of the queue flows and nothing is lost. Operators list, inspect and replay them
(after a correction of the payload if needed): each replay is recorded and audited.
Where a store's letters came from departments (ingest: ``Departments``), a department
lists, inspects and replays its own, and no one else's.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field
from sqlalchemy import JSON, DateTime, Integer, String, Text, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import (
    CREDIT_WRITE,
    DEAD_LETTERS_REPLAY,
    FACTS_WRITE,
    OPERATIONS_READ,
)
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.problems import Problem, not_found
from qinqing_shared.uow import Units

log = logging.getLogger("qinqing.deadletters")
audit = logging.getLogger("qinqing.audit")
# Puts a dead letter's (corrected) payload back in its queue, in the given transaction.
Requeue = Callable[[AsyncSession, "DeadLetterMixin", dict[str, Any]], Awaitable[None]]


class DeadLetterMixin:
    """Columns of a service's ``dead_letters`` table; mapped on the service's Base."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(30), index=True)  # e.g. "outbox-event"
    ref: Mapped[str] = mapped_column(String(100))  # the thing's own id (an event id)
    subject: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    error: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    replays: Mapped[int] = mapped_column(Integer, default=0)
    replayed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    replayed_by: Mapped[str | None] = mapped_column(String(100))


class DeadLetterOut(BaseModel):
    id: str
    kind: str
    ref: str
    subject: str
    error: str
    failed_at: dt.datetime
    replays: int
    replayed_at: dt.datetime | None
    replayed_by: str | None


class DeadLetterDetail(DeadLetterOut):
    payload: dict[str, Any]


class Replay(BaseModel):
    """Replay as it was, or with a corrected payload (the ``data`` of an event)."""

    payload: dict[str, Any] | None = Field(default=None, description="the corrected payload")


@dataclass(frozen=True)
class Departments:
    """Whose letters these are: a department's are those whose subject starts with
    ``prefix(department)``, and a department caller holding ``scope`` reads them."""

    prefix: Callable[[str], str]
    scope: str


class DeadLetters:
    def __init__(
        self, model: type[DeadLetterMixin], departments: Departments | None = None
    ) -> None:
        self.model = model
        self.departments = departments
        self.requeue: dict[str, Requeue] = {}

    def visible_to(self, caller: Caller) -> str | None:
        """The start of the subjects of the letters ``caller`` may see: all (operators:
        None), or a department's own; anyone else is refused."""
        if caller.kind == "operator":
            return None
        ours = self.departments
        if caller.kind != "department" or ours is None or ours.scope not in caller.scopes:
            raise forbidden("Only operators, and a department for its own letters, read these.")
        assert caller.department is not None
        return ours.prefix(caller.department)

    def add(
        self,
        session: AsyncSession,
        *,
        kind: str,
        ref: str,
        subject: str,
        payload: dict[str, Any],
        error: str,
    ) -> str:
        """Store a dead letter in the caller's transaction, and raise the alert; its id."""
        values: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "kind": kind,
            "ref": ref,
            "subject": subject,
            "payload": payload,
            "error": error[:2000],
            "failed_at": dt.datetime.now(dt.UTC),
            "replays": 0,
        }
        session.add(self.model(**values))
        log.error(
            "ALERT dead letter: %s %s on %s could not be delivered: %s",
            kind,
            ref,
            subject,
            error[:300],
        )
        return str(values["id"])

    async def waiting_count(self, units: Units) -> int:
        """Dead letters not yet replayed (the alert's gauge)."""
        async with units.read() as unit:
            query = select(func.count()).where(self.model.replayed_at.is_(None))
            return int(await unit.session.scalar(query) or 0)

    async def replay(
        self,
        units: Units,
        letter_id: str,
        body: Replay,
        by: str,
        visible: str | None = None,
    ) -> DeadLetterMixin:
        async with units.write() as uow:
            session = uow.session
            letter = await session.get(self.model, letter_id, with_for_update=True)
            if letter is None or not sees(letter, visible):
                raise not_found("Dead letter", letter_id)
            requeue = self.requeue.get(letter.kind)
            if requeue is None:
                raise Problem(
                    409,
                    "not-replayable",
                    "Not replayable",
                    f"Nothing here replays a {letter.kind!r}.",
                )
            payload = body.payload if body.payload is not None else letter.payload
            letter.replayed_at, letter.replayed_by = dt.datetime.now(dt.UTC), by
            await requeue(session, letter, payload)  # records the replay in the audit log
            letter.payload, letter.replays = payload, letter.replays + 1
            await uow.commit()
        audit.info("dead letter %s (%s %s) replayed by %s", letter_id, letter.kind, letter.ref, by)
        return letter


def sees(letter: DeadLetterMixin, visible: str | None) -> bool:
    """Whether a letter is one of those ``visible`` names (see ``visible_to``)."""
    return visible is None or letter.subject.startswith(visible)


READERS = (OPERATIONS_READ, FACTS_WRITE, CREDIT_WRITE)  # operators; departments (their own)
REPLAYERS = (DEAD_LETTERS_REPLAY, FACTS_WRITE, CREDIT_WRITE)


def dead_letter_router(store: DeadLetters, units: Units) -> APIRouter:
    router = APIRouter(prefix="/dead-letters", tags=["dead letters"], responses=GUARDED_RESPONSES)

    @router.get("", response_model=list[DeadLetterOut])
    async def list_letters(
        limit: int = Query(100, ge=1, le=1000),
        caller: Caller = allow(scopes=READERS),
    ) -> list[DeadLetterOut]:
        """What could not be delivered, newest first (operators; a department its own)."""
        visible = store.visible_to(caller)
        async with units.read() as unit:
            query = select(store.model).order_by(store.model.failed_at.desc()).limit(limit)
            if visible is not None:
                query = query.where(store.model.subject.startswith(visible, autoescape=True))
            rows = await unit.session.scalars(query)
            return [DeadLetterOut.model_validate(r, from_attributes=True) for r in rows]

    @router.get("/{letter_id}", response_model=DeadLetterDetail, responses={404: {}})
    async def inspect(
        letter_id: str = Path(max_length=36),
        caller: Caller = allow(scopes=READERS),
    ) -> DeadLetterDetail:
        """One dead letter with its payload and the error that stopped it."""
        visible = store.visible_to(caller)
        async with units.read() as unit:
            letter = await unit.session.get(store.model, letter_id)
            if letter is None or not sees(letter, visible):
                raise not_found("Dead letter", letter_id)
            return DeadLetterDetail.model_validate(letter, from_attributes=True)

    @router.post("/{letter_id}/replay", response_model=DeadLetterOut, responses={404: {}, 409: {}})
    async def replay(
        body: Replay,
        letter_id: str = Path(max_length=36),
        caller: Caller = allow(scopes=REPLAYERS),
    ) -> DeadLetterOut:
        """Put it back in its queue (with a corrected payload if given); audited."""
        visible = store.visible_to(caller)
        letter = await store.replay(units, letter_id, body, caller.actor, visible)
        return DeadLetterOut.model_validate(letter, from_attributes=True)

    return router
