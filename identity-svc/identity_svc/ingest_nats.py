"""Departments' facts over NATS: ``qinqing.ingest.<department>.<kind>.v1`` on the stream
``QINQING_INGEST`` (created and read by identity-svc; docs/data-exchange.md).

A message is a CloudEvent whose ``ce-source`` is ``/departments/<department>``, the
department its subject names (NATS lets each department's feed user publish on its own
subjects only), and whose data is one record, as ``POST /facts/{kind}`` takes it. It is
taken exactly like a REST record. One that cannot be taken is never lost: it is kept in
the dead-letter store with the reason, the department is told on
``qinqing.identity.ingest.<department>.refused.v1``, and an operator replays it after
correction (``POST /dead-letters/{id}/replay``), taken then as the department's record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc import ingest
from qinqing_shared.contracts.events import ingest_refused_subject
from qinqing_shared.contracts.ingest import (
    CREDIT_RECORD,
    DEPARTMENTS,
    OWNERS,
    FactKind,
    FactRecordIn,
    Outcome,
    department_of,
    from_its_department,
)
from qinqing_shared.deadletters import DeadLetterMixin, DeadLetters
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem, invalid
from qinqing_shared.uow import UnitOfWork

SUBJECTS = "qinqing.ingest.>"
DURABLE = "identity-ingest"
LETTER_KIND = "ingest-record"


def not_credit(subject: str) -> bool:
    """Credit records share the stream; credit-svc takes them (acked here unread)."""
    return subject.split(".")[3:4] != [CREDIT_RECORD]


def kind_of(subject: str) -> FactKind:
    """The kind of fact a subject carries, if its department holds it; else a problem."""
    parts = subject.split(".")
    if len(parts) != 5 or parts[4] != "v1" or parts[3] not in set(FactKind):
        raise Problem(
            422, "unknown-subject", "Not an ingest subject", f"{subject} names no kind of fact."
        )
    kind = FactKind(parts[3])
    if OWNERS[kind] != parts[2]:
        raise Problem(
            403, "forbidden", "Forbidden", f"Only department {OWNERS[kind]} sends {kind} facts."
        )
    return kind


def record_of(data: dict[str, Any]) -> FactRecordIn:
    try:
        return FactRecordIn.model_validate(data)
    except ValidationError as exc:
        raise invalid(exc.errors(include_url=False)) from exc


def sender(subject: str) -> ingest.Sender:
    department = department_of(subject)
    return ingest.Sender(department=department, client_id=f"nats:{department}")


async def take(session: AsyncSession, outbox: Outbox, subject: str, data: dict[str, Any]) -> None:
    now = dt.datetime.now(dt.UTC)
    kind, by = kind_of(subject), sender(subject)
    record = record_of(data)
    receipt = await ingest.take(session, outbox, kind, record, by, now)
    applied = [record] if receipt.outcome is Outcome.APPLIED else []
    await ingest.announce(session, outbox, by, kind, applied, now)


def subscription(outbox: Outbox, letters: DeadLetters) -> Subscription:
    """identity-svc's consumer of the ingest stream, and the dead letters' replay."""

    async def on_record(uow: UnitOfWork, event: CloudEvent) -> None:
        subject = event.type
        try:
            await take(uow.session, uow.outbox, subject, event.data)
        except Problem as problem:  # kept, told, replayable: never lost
            refuse(uow, letters, event, problem)

    async def replay(
        session: AsyncSession, letter: DeadLetterMixin, payload: dict[str, Any]
    ) -> None:
        await take(session, outbox, letter.subject, payload)  # a Problem answers the replay

    letters.requeue[LETTER_KIND] = replay
    return Subscription(SUBJECTS, DURABLE, on_record, wanted=not_credit, origin=from_its_department)


def refuse(uow: UnitOfWork, letters: DeadLetters, event: CloudEvent, problem: Problem) -> None:
    subject = event.type
    letter = letters.add(
        uow.session,
        kind=LETTER_KIND,
        ref=event.id,
        subject=subject,
        payload=event.data,
        error=f"{problem.slug}: {problem.detail}",
    )
    record_id = event.data.get("record_id")
    department = department_of(subject)
    if department not in DEPARTMENTS:
        return  # no such department to tell: the dead letter alone says it
    uow.outbox.add(
        uow.session,
        ingest_refused_subject(department),
        {
            "department": department,
            "kind": subject.split(".")[3] if subject.count(".") >= 3 else "",
            "record_id": record_id if isinstance(record_id, str) else None,
            "message_id": event.id,
            "problem": problem.slug,
            "detail": problem.detail,
            "dead_letter_id": letter,
        },
        key=department,
    )
