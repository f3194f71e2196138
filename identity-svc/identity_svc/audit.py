"""The audit chain: records from every service's outbox, appended in one hash chain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc.models import AuditEntry, AuditHead
from qinqing_shared.audit import DOMAINS, GENESIS, AuditRecord, audit_subject, chain_hash
from qinqing_shared.db import as_utc
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.uow import UnitOfWork

CHAINED = (
    "event_id",
    "source",
    "actor",
    "on_behalf_of",
    "action",
    "object_type",
    "object_id",
    "uscc",
    "outcome",
    "at",
)


def _content(values: dict[str, Any]) -> dict[str, Any]:
    content = {k: values[k] for k in CHAINED}
    content["at"] = as_utc(content["at"]).isoformat()
    return content


async def append(uow: UnitOfWork, event: CloudEvent) -> None:
    """Add the record to the chain (once per event: the inbox sees to it)."""
    await append_all(uow, [event])


async def append_all(uow: UnitOfWork, events: list[CloudEvent]) -> None:
    """Add the records to the chain in the order given, the head locked once (a fetched
    batch in one transaction: the inbox records each event id in it)."""
    session = uow.session
    records = [AuditRecord.model_validate(event.data) for event in events]
    head = await session.get(AuditHead, 1, with_for_update=True)
    if head is None:
        head = AuditHead(id=1, seq=0, hash=GENESIS)
        session.add(head)
    seq, previous = head.seq, head.hash
    for event, record in zip(events, records, strict=True):
        values = record.model_dump() | {"event_id": event.id, "source": event.source}
        digest = chain_hash(previous, _content(values))
        seq += 1
        session.add(AuditEntry(seq=seq, prev_hash=previous, hash=digest, **values))
        previous = digest
    head.seq, head.hash = seq, previous


SUBSCRIPTIONS = [
    Subscription(
        audit_subject(domain), f"identity-svc-audit-{domain}", append, batch_handler=append_all
    )
    for domain in DOMAINS
]


@dataclass
class Verification:
    entries: int
    intact: bool
    first_broken: int | None
    head: str


async def verify(session: AsyncSession) -> Verification:
    """Recompute every link; the first entry whose hash does not follow, if any."""
    previous, count, last = GENESIS, 0, 0
    # in batches by sequence (a server-side cursor would need a transaction on PostgreSQL)
    while batch := list(await session.scalars(_AFTER, {"last": last})):
        for entry in batch:
            count += 1
            expected = chain_hash(previous, _content({k: getattr(entry, k) for k in CHAINED}))
            if entry.prev_hash != previous or entry.hash != expected:
                return Verification(count, False, entry.seq, previous)
            previous = entry.hash
        last = batch[-1].seq
    return Verification(count, True, None, previous)


_AFTER = (
    select(AuditEntry)
    .where(AuditEntry.seq > bindparam("last"))
    .order_by(AuditEntry.seq)
    .limit(1000)
)


async def records_of(session: AsyncSession, uscc: str, limit: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.uscc == uscc).order_by(AuditEntry.seq.desc())
    return list(await session.scalars(query.limit(limit)))
