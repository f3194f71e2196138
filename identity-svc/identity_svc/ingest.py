"""Departments' facts in: each record checked, kept in the history, and made current
unless the register holds the same fact as of a later date. Never commits.

A record is taken once per department and record id: sent again with the same content it
is a duplicate (answered as such, nothing changes), with other content it is refused (a
record id names one record). A fact about a person needs the person registered (public
security sends persons); employment needs the enterprise (market regulation) too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc import service
from identity_svc.errors import RecordIdReused, SubjectNotRegistered
from identity_svc.models import (
    EducationRecord,
    Employment,
    Enterprise,
    FactRecord,
    HomeOwnershipRecord,
    LeaseRecord,
    Person,
    SocialInsuranceRecord,
    Sourced,
    TaxRecord,
    UnemploymentInsuranceRecord,
)
from identity_svc.repository import IdentityRepository
from qinqing_shared.contracts.events import ENTERPRISE_REGISTERED, FACTS_RECEIVED, FactsReceived
from qinqing_shared.contracts.ingest import (
    FACT_MODELS,
    DegreeFact,
    EmploymentFact,
    EnterpriseFact,
    FactKind,
    FactReceipt,
    FactRecordIn,
    HomeOwnershipFact,
    LeaseFact,
    Outcome,
    PersonFact,
    SocialInsuranceFact,
    TaxFact,
    UnemploymentInsuranceFact,
)
from qinqing_shared.db import as_utc
from qinqing_shared.ids import mask_id_number
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem, invalid


@dataclass(frozen=True)
class Sender:
    department: str
    client_id: str


async def take(
    session: AsyncSession,
    outbox: Outbox,
    kind: FactKind,
    record: FactRecordIn,
    sender: Sender,
    now: dt.datetime,
) -> FactReceipt:
    """One record: applied, superseded or a duplicate; a Problem if it cannot be taken."""
    fact = checked(kind, record)
    known = await session.scalar(
        select(FactRecord).where(
            FactRecord.department == sender.department, FactRecord.record_id == record.record_id
        )
    )
    if known is not None:
        return again(known, kind, record)
    await _registered(session, fact)
    current = await _current(session, fact)
    later = current is not None and current.as_of is not None and current.as_of > record.as_of
    outcome = Outcome.SUPERSEDED if later else Outcome.APPLIED
    if outcome is Outcome.APPLIED:
        await _apply(session, outbox, fact, current, source_of(sender, record))
    session.add(
        FactRecord(
            department=sender.department,
            record_id=record.record_id,
            kind=kind.value,
            subject=subject_of(fact),
            as_of=record.as_of,
            data=fact.model_dump(mode="json"),
            outcome=outcome.value,
            received_at=now,
            received_from=sender.client_id,
        )
    )
    await session.flush()  # a second record of the batch sees this one
    return FactReceipt(record_id=record.record_id, outcome=outcome, received_at=now)


def checked(kind: FactKind, record: FactRecordIn) -> Any:
    try:
        return FACT_MODELS[kind].model_validate(record.data)
    except ValidationError as exc:
        raise invalid(exc.errors(include_url=False), prefix=("data",)) from exc


def again(known: FactRecord, kind: FactKind, record: FactRecordIn) -> FactReceipt:
    fact = FACT_MODELS[kind].model_validate(record.data).model_dump(mode="json")
    same = (known.kind, known.as_of, known.data) == (kind.value, record.as_of, fact)
    if not same:
        raise RecordIdReused(
            f"Record {record.record_id} was received before with other content; "
            "a record id names one record: send a correction under a new id."
        )
    return FactReceipt(
        record_id=record.record_id,
        outcome=Outcome.DUPLICATE,
        received_at=as_utc(known.received_at),
    )


def subject_of(fact: Any) -> str:
    if isinstance(fact, EmploymentFact):
        return f"{fact.uscc}/{fact.id_number}"
    return str(fact.uscc if about_enterprise(fact) else fact.id_number)


def about_enterprise(fact: Any) -> bool:
    """A fact about an enterprise (keyed by its USCC), not about a person."""
    return isinstance(fact, (EnterpriseFact, *FIGURES))


async def _registered(session: AsyncSession, fact: Any) -> None:
    if isinstance(fact, EnterpriseFact):
        return
    if isinstance(fact, FIGURES):
        if not await _has(session, Enterprise, fact.uscc):
            raise enterprise_not_registered(fact.uscc)
        return
    person = getattr(fact, "id_number", None)
    if (
        person is not None
        and not isinstance(fact, PersonFact)
        and not await _has(session, Person, person)
    ):
        raise person_not_registered(person)
    if isinstance(fact, EmploymentFact) and not await _has(session, Enterprise, fact.uscc):
        raise enterprise_not_registered(fact.uscc)


def person_not_registered(id_number: str) -> SubjectNotRegistered:
    return SubjectNotRegistered(
        f"Person {mask_id_number(id_number)} is not in the register yet: public security "
        "(HZ-PSB) registers persons. Send this record again once it has."
    )


def enterprise_not_registered(uscc: str) -> SubjectNotRegistered:
    return SubjectNotRegistered(
        f"Enterprise {uscc} is not in the register yet: market regulation (HZ-MSA) "
        "registers enterprises. Send this record again once it has."
    )


async def _has(session: AsyncSession, model: type[Any], key: str) -> bool:
    return await session.get(model, key) is not None


async def _current(session: AsyncSession, fact: Any) -> Sourced | None:
    model, key = _row_of(fact)
    found: Sourced | None = await session.get(model, key)
    return found


def _row_of(fact: Any) -> tuple[type[Any], Any]:
    if isinstance(fact, EmploymentFact):
        return Employment, (fact.uscc, fact.id_number)
    if isinstance(fact, EnterpriseFact):
        return Enterprise, fact.uscc
    return TABLES[type(fact)], fact.uscc if about_enterprise(fact) else fact.id_number


def source_of(sender: Sender, record: FactRecordIn) -> dict[str, Any]:
    return {"department": sender.department, "record_id": record.record_id, "as_of": record.as_of}


async def _apply(
    session: AsyncSession, outbox: Outbox, fact: Any, current: Any, source: dict[str, Any]
) -> None:
    if isinstance(fact, EmploymentFact) and not fact.employed:
        if current is not None:
            await session.execute(
                delete(Employment).where(
                    Employment.uscc == fact.uscc, Employment.id_number == fact.id_number
                )
            )
        return
    values = {**row_values(fact), **source}
    if isinstance(fact, EnterpriseFact) and current is not None:
        del values["bank_name"], values["bank_account_no"]  # the payee route changes these
    if current is None:
        session.add(_row_of(fact)[0](**values))
        if isinstance(fact, EnterpriseFact):  # the first payee account, as registered
            repo = IdentityRepository(session)
            await service.record_payee(
                repo, outbox, fact.uscc, fact.bank_account, source["department"]
            )
    else:
        for name, value in values.items():
            setattr(current, name, value)
    if isinstance(fact, EnterpriseFact):
        await _announce(session, outbox, fact)


def row_values(fact: Any) -> dict[str, Any]:
    values = fact.model_dump()
    if isinstance(fact, EnterpriseFact):
        account = values.pop("bank_account")
        values |= {"bank_name": account["bank"], "bank_account_no": account["account_no"]}
    if isinstance(fact, EmploymentFact):
        del values["employed"]
    return dict(values)


async def _announce(session: AsyncSession, outbox: Outbox, fact: EnterpriseFact) -> None:
    employees = await session.scalar(
        select(func.count()).select_from(Employment).where(Employment.uscc == fact.uscc)
    )
    announce_registered(session, outbox, fact, int(employees or 0))


def announce_registered(
    session: AsyncSession, outbox: Outbox, fact: EnterpriseFact, employees: int
) -> None:
    outbox.add(
        session,
        ENTERPRISE_REGISTERED,
        {
            "uscc": fact.uscc,
            "name": fact.name,
            "status": fact.status,
            "district_code": fact.district_code,
            "legal_representative": mask_id_number(fact.legal_representative),
            "employees": employees,
        },
        key=fact.uscc,
    )


async def announce(
    session: AsyncSession,
    outbox: Outbox,
    sender: Sender,
    kind: FactKind,
    applied: Sequence[FactRecordIn],
    now: dt.datetime,
) -> None:
    """Tell that records became current, and which enterprises they concern (what waits
    for such data may look again)."""
    if applied:
        told = FactsReceived(
            department=sender.department,
            kind=kind.value,
            applied=len(applied),
            received_at=now.isoformat(),
            enterprises=await concerned(session, applied),
        )
        outbox.add(session, FACTS_RECEIVED, told.model_dump(), key=sender.department)


async def concerned(session: AsyncSession, records: Sequence[FactRecordIn]) -> list[str]:
    """The enterprises records concern: the one a record names, or the employers of the
    person it is about."""
    usccs = {str(r.data["uscc"]) for r in records if "uscc" in r.data}
    people = sorted({str(r.data["id_number"]) for r in records if "uscc" not in r.data})
    if people:
        query = select(Employment.uscc).where(Employment.id_number.in_(people))
        usccs.update((await session.scalars(query)).all())
    return sorted(usccs)


def refused(record_id: str, problem: Problem) -> FactReceipt:
    return FactReceipt(record_id=record_id, outcome=Outcome.REFUSED, problem=problem.body())


TABLES: dict[type[Any], type[Any]] = {
    PersonFact: Person,
    SocialInsuranceFact: SocialInsuranceRecord,
    DegreeFact: EducationRecord,
    HomeOwnershipFact: HomeOwnershipRecord,
    TaxFact: TaxRecord,
    UnemploymentInsuranceFact: UnemploymentInsuranceRecord,
    LeaseFact: LeaseRecord,
}
# The facts a department keeps on an enterprise registered already (ENTERPRISE_FIGURES).
FIGURES = (TaxFact, UnemploymentInsuranceFact, LeaseFact)
