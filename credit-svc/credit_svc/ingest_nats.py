"""Departments' credit records over NATS: ``qinqing.ingest.<department>.credit-record.v1``
on the stream ``QINQING_INGEST`` (identity-svc's, shared with the facts; docs/credit.md).

A message is a CloudEvent whose ``ce-source`` is ``/departments/<department>``, the
department its subject names (NATS lets each department's feed user publish on its own
subjects only), and whose data is one record as ``POST /records`` takes it, filed the
same way. One that cannot be filed is never lost: it is kept in credit-svc's dead-letter
store with the reason, the department is told on
``qinqing.credit.ingest.<department>.refused.v1``, and an operator replays it after
correction (``POST /dead-letters/{id}/replay``), filed then as the department's record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from credit_svc import records
from credit_svc.repository import CreditRepository
from qinqing_shared.contracts.credit import CreditRecordIn
from qinqing_shared.contracts.events import IngestRefused, credit_refused_subject
from qinqing_shared.contracts.ingest import (
    CREDIT_RECORD,
    DEPARTMENTS,
    department_of,
    from_its_department,
    ingest_subject,
)
from qinqing_shared.deadletters import DeadLetterMixin, DeadLetters
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem, invalid
from qinqing_shared.uow import UnitOfWork

SUBJECTS = ingest_subject("*", CREDIT_RECORD)
DURABLE = "credit-ingest"
LETTER_KIND = "credit-record"


def sender(subject: str) -> str:
    department = department_of(subject)
    if department not in DEPARTMENTS:
        raise Problem(403, "forbidden", "Forbidden", f"{department} is no department here.")
    return department


async def file(session: AsyncSession, outbox: Outbox, subject: str, data: dict[str, Any]) -> None:
    department = sender(subject)
    try:
        record = CreditRecordIn.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc.errors(include_url=False)) from exc
    now = dt.datetime.now(dt.UTC)
    by = f"nats:{department}"
    await records.file(
        CreditRepository(session), outbox, record, department=department, by=by, now=now
    )


def subscription(outbox: Outbox, letters: DeadLetters) -> Subscription:
    """credit-svc's consumer of the departments' credit records, and their replay."""

    async def on_record(uow: UnitOfWork, event: CloudEvent) -> None:
        try:
            async with uow.session.begin_nested():  # a refused record leaves nothing
                await file(uow.session, uow.outbox, event.type, event.data)
        except Problem as problem:  # kept, told, replayable: never lost
            refuse(uow, letters, event, problem)

    async def replay(
        session: AsyncSession, letter: DeadLetterMixin, payload: dict[str, Any]
    ) -> None:
        await file(session, outbox, letter.subject, payload)  # a Problem answers the replay

    letters.requeue[LETTER_KIND] = replay
    return Subscription(SUBJECTS, DURABLE, on_record, origin=from_its_department)


def refuse(uow: UnitOfWork, letters: DeadLetters, event: CloudEvent, problem: Problem) -> None:
    letter = letters.add(
        uow.session,
        kind=LETTER_KIND,
        ref=event.id,
        subject=event.type,
        payload=event.data,
        error=f"{problem.slug}: {problem.detail}",
    )
    department = department_of(event.type)
    if department not in DEPARTMENTS:
        return  # no such department to tell: the dead letter alone says it
    record_id = event.data.get("record_id")
    told = IngestRefused(
        department=department,
        kind=CREDIT_RECORD,
        record_id=record_id if isinstance(record_id, str) else None,
        message_id=event.id,
        problem=problem.slug,
        detail=problem.detail or "",
        dead_letter_id=letter,
    )
    uow.outbox.add(
        uow.session, credit_refused_subject(department), told.model_dump(), key=department
    )
