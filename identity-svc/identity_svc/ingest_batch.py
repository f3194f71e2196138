"""A department's batch of records, taken set-based: what ``ingest.take`` does record by
record, in a handful of statements per batch (a city's records at start-up took minutes
one by one). Each record is answered as ``take`` would answer it, in the batch's order:
a record id sent earlier in the batch is a duplicate (or reused), and a later record
about the same subject sees the earlier one. A new enterprise also gets its first payee
account, and every enterprise record that became current is announced, as one by one.
Never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc import ingest, service
from identity_svc.models import Employment, Enterprise, FactRecord, Person
from identity_svc.repository import IdentityRepository
from qinqing_shared.contracts.ingest import (
    ENTERPRISE_FIGURES,
    ENTERPRISE_KINDS,
    FACT_MODELS,
    EmploymentFact,
    EnterpriseFact,
    FactKind,
    FactReceipt,
    FactRecordIn,
    Outcome,
)
from qinqing_shared.db import table_of
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem

Key = tuple[str, ...]


@dataclass
class _Seen:
    """A record already taken (before this batch, or earlier in it)."""

    kind: str
    as_of: dt.date
    data: dict[str, Any]
    received_at: dt.datetime


@dataclass
class _Batch:
    """The batch's view of the register: what it read once, and what it changed."""

    known: dict[str, _Seen]
    at_start: dict[Key, dt.date | None]  # current facts before the batch, their as-of
    persons: set[str]
    enterprises: set[str]
    final: dict[Key, dict[str, Any] | None] = field(default_factory=dict)  # None: gone
    history: list[dict[str, Any]] = field(default_factory=list)
    registered: list[tuple[EnterpriseFact, bool]] = field(default_factory=list)  # new?

    def current(self, key: Key) -> tuple[bool, dt.date | None]:
        """Whether the subject has a current fact now, and its as-of date."""
        if key in self.final:
            values = self.final[key]
            return (values is not None, values["as_of"] if values is not None else None)
        return (key in self.at_start, self.at_start.get(key))


async def take_batch(
    session: AsyncSession,
    outbox: Outbox,
    kind: FactKind,
    records: Sequence[FactRecordIn],
    sender: ingest.Sender,
    now: dt.datetime,
) -> list[FactReceipt]:
    facts: list[Any | Problem] = []
    for record in records:
        try:
            facts.append(ingest.checked(kind, record))
        except Problem as problem:
            facts.append(problem)
    batch = await _read(session, kind, records, facts, sender)
    receipts = [
        _take(batch, kind, record, fact, sender, now)
        if not isinstance(fact, Problem)
        else ingest.refused(record.record_id, fact)
        for record, fact in zip(records, facts, strict=True)
    ]
    await _write(session, kind, batch)
    await _registrations(session, outbox, batch, sender)
    return receipts


def _key(fact: Any) -> Key:
    if isinstance(fact, EmploymentFact):
        return (fact.uscc, fact.id_number)
    if ingest.about_enterprise(fact):
        return (fact.uscc,)
    return (fact.id_number,)


def _table(kind: FactKind) -> Table:
    models = {FactKind.ENTERPRISE: Enterprise, FactKind.EMPLOYMENT: Employment}
    return table_of(models.get(kind) or ingest.TABLES[FACT_MODELS[kind]])


async def _read(
    session: AsyncSession,
    kind: FactKind,
    records: Sequence[FactRecordIn],
    facts: list[Any],
    sender: ingest.Sender,
) -> _Batch:
    good = [f for f in facts if not isinstance(f, Problem)]
    keys = {_key(f) for f in good}
    ids = [r.record_id for r in records]
    known_rows = await session.execute(
        select(FactRecord.record_id, FactRecord.kind, FactRecord.as_of, FactRecord.data)
        .add_columns(FactRecord.received_at)
        .where(FactRecord.department == sender.department, FactRecord.record_id.in_(ids))
    )
    known = {r[0]: _Seen(r[1], r[2], r[3], r[4]) for r in known_rows}
    table = _table(kind)
    pk = list(table.primary_key.columns)
    at_start: dict[Key, dt.date | None] = {}
    if keys:
        found = await session.execute(select(*pk, table.c.as_of).where(_keys_in(pk, sorted(keys))))
        at_start = {tuple(row[:-1]): row[-1] for row in found}
    persons: set[str] = set()
    enterprises: set[str] = set()
    if kind not in (FactKind.PERSON, *ENTERPRISE_KINDS):
        wanted = sorted({f.id_number for f in good})
        persons = set(await _existing(session, Person.id_number, wanted))
    if kind in (FactKind.EMPLOYMENT, *ENTERPRISE_FIGURES):
        wanted = sorted({f.uscc for f in good})
        enterprises = set(await _existing(session, Enterprise.uscc, wanted))
    return _Batch(known, at_start, persons, enterprises)


def _keys_in(pk: list[Any], keys: list[Key]) -> Any:
    if len(pk) == 1:
        return pk[0].in_([k[0] for k in keys])
    return tuple_(*pk).in_(keys)  # (uscc, id_number) IN (...): PostgreSQL and SQLite alike


async def _existing(session: AsyncSession, column: Any, values: list[str]) -> list[str]:
    if not values:
        return []
    return list((await session.scalars(select(column).where(column.in_(values)))).all())


def _take(
    batch: _Batch,
    kind: FactKind,
    record: FactRecordIn,
    fact: Any,
    sender: ingest.Sender,
    now: dt.datetime,
) -> FactReceipt:
    seen = batch.known.get(record.record_id)
    if seen is not None:
        try:
            return ingest.again(_as_record(seen), kind, record)
        except Problem as problem:
            return ingest.refused(record.record_id, problem)
    try:
        _registered(batch, kind, fact)
    except Problem as problem:
        return ingest.refused(record.record_id, problem)
    key = _key(fact)
    exists, as_of = batch.current(key)
    later = exists and as_of is not None and as_of > record.as_of
    outcome = Outcome.SUPERSEDED if later else Outcome.APPLIED
    if outcome is Outcome.APPLIED:
        _apply(batch, key, exists, fact, ingest.row_values(fact) | ingest.source_of(sender, record))
    data = fact.model_dump(mode="json")
    batch.known[record.record_id] = _Seen(kind.value, record.as_of, data, now)
    batch.history.append(
        {
            "department": sender.department,
            "record_id": record.record_id,
            "kind": kind.value,
            "subject": ingest.subject_of(fact),
            "as_of": record.as_of,
            "data": data,
            "outcome": outcome.value,
            "received_at": now,
            "received_from": sender.client_id,
        }
    )
    return FactReceipt(record_id=record.record_id, outcome=outcome, received_at=now)


def _apply(batch: _Batch, key: Key, exists: bool, fact: Any, values: dict[str, Any]) -> None:
    if isinstance(fact, EmploymentFact) and not fact.employed:
        batch.final[key] = None  # no longer employed there: the row goes
        return
    if isinstance(fact, EnterpriseFact):
        batch.registered.append((fact, not exists))
        if exists:  # the payee account changes by its own route, never by a registration
            del values["bank_name"], values["bank_account_no"]
            values = (batch.final.get(key) or {}) | values
    batch.final[key] = values


def _as_record(seen: _Seen) -> Any:
    return FactRecord(
        kind=seen.kind, as_of=seen.as_of, data=seen.data, received_at=seen.received_at
    )


def _registered(batch: _Batch, kind: FactKind, fact: Any) -> None:
    if kind in (FactKind.PERSON, FactKind.ENTERPRISE):
        return
    if kind in ENTERPRISE_FIGURES:
        if fact.uscc not in batch.enterprises:
            raise ingest.enterprise_not_registered(fact.uscc)
        return
    if fact.id_number not in batch.persons:
        raise ingest.person_not_registered(fact.id_number)
    if isinstance(fact, EmploymentFact) and fact.uscc not in batch.enterprises:
        raise ingest.enterprise_not_registered(fact.uscc)


async def _write(session: AsyncSession, kind: FactKind, batch: _Batch) -> None:
    """Each changed subject's end state, one statement per kind of change; then the
    history."""
    table = _table(kind)
    pk = [c.name for c in table.primary_key.columns]
    gone = [k for k, v in batch.final.items() if v is None and k in batch.at_start]
    changed = [v for k, v in batch.final.items() if v is not None and k in batch.at_start]
    new = [v for k, v in batch.final.items() if v is not None and k not in batch.at_start]
    if gone:
        where = and_(*(table.c[name] == bindparam(f"k_{name}") for name in pk))
        rows = [{f"k_{name}": value for name, value in zip(pk, k, strict=True)} for k in gone]
        await session.execute(delete(table).where(where), rows)
    if changed:
        where = and_(*(table.c[name] == bindparam(f"k_{name}") for name in pk))
        columns = [name for name in changed[0] if name not in pk]
        statement = update(table).where(where).values({c: bindparam(f"v_{c}") for c in columns})
        rows = [
            {f"v_{c}": v[c] for c in columns} | {f"k_{name}": v[name] for name in pk}
            for v in changed
        ]
        await session.execute(statement, rows)
    if new:
        await session.execute(insert(table), new)
    if batch.history:
        await session.execute(insert(table_of(FactRecord)), batch.history)


async def _registrations(
    session: AsyncSession, outbox: Outbox, batch: _Batch, sender: ingest.Sender
) -> None:
    """A new enterprise's first payee account; each registration announced, as ``take``
    does, with the employees the register holds for it."""
    if not batch.registered:
        return
    usccs = sorted({fact.uscc for fact, _new in batch.registered})
    counted = await session.execute(
        select(Employment.uscc, func.count())
        .where(Employment.uscc.in_(usccs))
        .group_by(Employment.uscc)
    )
    employees = {uscc: int(n) for uscc, n in counted}
    repo = IdentityRepository(session)
    for fact, new in batch.registered:
        if new:
            await service.record_payee(
                repo, outbox, fact.uscc, fact.bank_account, sender.department
            )
        ingest.announce_registered(session, outbox, fact, employees.get(fact.uscc, 0))
