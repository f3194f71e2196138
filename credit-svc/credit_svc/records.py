"""Credit records departments file and lift (credit repair), and the rating they make.
Nothing is deleted: a lifted record stays, with who lifted it, when and on what repair
commitment. Never commits."""

from __future__ import annotations

import datetime as dt

from credit_svc.errors import AlreadyLifted, RecordIdReused, RepairTooEarly
from credit_svc.models import CreditRecord
from credit_svc.repository import CreditRepository
from credit_svc.rules import REPAIR_AFTER_DAYS, grade, repair_kind
from qinqing_shared import audit
from qinqing_shared.auth.guard import forbidden
from qinqing_shared.contracts.credit import CreditRecordIn, CreditRecordOut, Filed, LiftIn, Rating
from qinqing_shared.contracts.events import CREDIT_RECORD_FILED, CREDIT_RECORD_LIFTED
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem, not_found


def out(record: CreditRecord) -> CreditRecordOut:
    return CreditRecordOut.model_validate(record, from_attributes=True)


async def file(
    repo: CreditRepository,
    outbox: Outbox,
    record: CreditRecordIn,
    *,
    department: str,
    by: str,
    now: dt.datetime,
) -> Filed:
    """File a department's record once: the same record again is a duplicate, its id
    with other content is refused."""
    record_id = f"{department}:{record.record_id}"
    known = await repo.session.get(CreditRecord, record_id)
    if known is not None:
        same = (known.uscc, known.kind, known.reason, known.valid_from, known.valid_to) == (
            record.uscc,
            record.kind,
            record.reason,
            record.valid_from,
            record.valid_to,
        )
        if not same:
            raise RecordIdReused(
                f"Record {record.record_id} was filed before with other content; "
                "file a correction under a new id."
            )
        return Filed(outcome="duplicate", record=out(known))
    row = CreditRecord(
        id=record_id,
        uscc=record.uscc,
        kind=record.kind,
        department=department,
        reason=record.reason,
        valid_from=record.valid_from,
        valid_to=record.valid_to,
        filed_by=by,
        filed_at=now,
    )
    repo.session.add(row)
    event = {
        "record_id": record_id,
        "uscc": record.uscc,
        "kind": record.kind,
        "department": department,
        "valid_from": record.valid_from.isoformat(),
        "valid_to": record.valid_to.isoformat() if record.valid_to else None,
    }
    outbox.add(repo.session, CREDIT_RECORD_FILED, event, key=record.uscc)
    audit.record(
        outbox,
        repo.session,
        actor=by,
        action="credit-record.filed",
        object_type="credit-record",
        object_id=record_id,
        uscc=record.uscc,
    )
    return Filed(outcome="filed", record=out(row))


def may_lift_from(record: CreditRecord) -> dt.date:
    return record.valid_from + dt.timedelta(days=REPAIR_AFTER_DAYS[repair_kind(out(record))])


async def lift(
    repo: CreditRepository,
    outbox: Outbox,
    record_id: str,
    repair: LiftIn,
    *,
    department: str,
    by: str,
    today: dt.date,
) -> CreditRecordOut:
    """Credit repair: the filing department lifts its record, once the rules' period has
    passed and with the enterprise's repair commitment."""
    record = await repo.session.get(CreditRecord, record_id, with_for_update=True)
    if record is None:
        raise not_found("Credit record", record_id)
    if record.department != department:
        raise forbidden(f"Only department {record.department} lifts its records.")
    if record.lifted_on is not None:
        raise AlreadyLifted(f"Record {record_id} was lifted on {record.lifted_on}.")
    on = repair.effective_on or today
    if on > today:
        raise Problem(
            422, "invalid-request", "The request is not valid", "effective_on is a day to come."
        )
    allowed_from = may_lift_from(record)
    if on < allowed_from:
        raise RepairTooEarly(
            f"A {record.kind} record may be lifted "
            f"{REPAIR_AFTER_DAYS[repair_kind(out(record))]} days "
            f"after it came into force: from {allowed_from}."
        )
    record.lifted_on, record.lifted_by = on, by
    record.repair_commitment, record.lift_reason = repair.repair_commitment, repair.reason
    event = {
        "record_id": record.id,
        "uscc": record.uscc,
        "kind": record.kind,
        "department": record.department,
        "lifted_on": on.isoformat(),
    }
    outbox.add(repo.session, CREDIT_RECORD_LIFTED, event, key=record.uscc)
    audit.record(
        outbox,
        repo.session,
        actor=by,
        action="credit-record.lifted",
        object_type="credit-record",
        object_id=record.id,
        uscc=record.uscc,
    )
    return out(record)


async def rating(repo: CreditRepository, uscc: str, on: dt.date) -> Rating:
    records = [out(r) for r in await repo.records_in_force(uscc, on)]
    found, explanation = grade(records)
    return Rating(uscc=uscc, on=on, grade=found, allowed=found != "D", explanation=explanation)
