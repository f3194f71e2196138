"""Logic of credit-svc: a check says whether an enterprise may receive public funds."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from credit_svc.models import CreditCheckRow, CreditRecord
from credit_svc.repository import CreditRepository
from qinqing_shared.contracts.credit import CreditCheck, CreditCheckRequest, CreditRecordOut
from qinqing_shared.contracts.events import CREDIT_CHECK_COMPLETED, CreditCheckCompleted
from qinqing_shared.outbox import Outbox

FAST_TRACK_KINDS = {"redlist", "commitment"}


def judge(records: Sequence[CreditRecordOut]) -> tuple[bool, bool, list[str]]:
    """(allowed, fast_track, reasons): any black-list record in force denies funds."""
    reasons = [
        f"On the credit black list of {r.department} until {r.valid_to or 'further notice'}: "
        f"{r.reason}"
        for r in records
        if r.kind == "blacklist"
    ]
    fast_track = any(r.kind in FAST_TRACK_KINDS for r in records)
    return not reasons, fast_track and not reasons, reasons


async def check(
    repo: CreditRepository, outbox: Outbox, *, request: CreditCheckRequest
) -> CreditCheck:
    """Check once per application; asking again returns the first answer."""
    existing = await repo.check_for(request.application_id)
    if existing is not None:
        return to_check(existing)
    records = [_out(r) for r in await repo.records_in_force(request.uscc, request.on)]
    allowed, fast_track, reasons = judge(records)
    row = CreditCheckRow(
        id=str(uuid.uuid4()),
        application_id=request.application_id,
        uscc=request.uscc,
        checked_on=request.on,
        allowed=allowed,
        fast_track=fast_track,
        reasons=reasons,
        records=[r.model_dump(mode="json") for r in records],
        created_at=dt.datetime.now(dt.UTC),
    )
    repo.session.add(row)
    data = CreditCheckCompleted(
        check_id=row.id,
        application_id=row.application_id,
        uscc=row.uscc,
        allowed=allowed,
        reasons=reasons,
    )
    outbox.add(repo.session, CREDIT_CHECK_COMPLETED, data.model_dump(), key=row.application_id)
    return to_check(row)


def _out(record: CreditRecord) -> CreditRecordOut:
    return CreditRecordOut.model_validate(record, from_attributes=True)


def to_check(row: CreditCheckRow) -> CreditCheck:
    return CreditCheck(
        id=row.id,
        application_id=row.application_id,
        uscc=row.uscc,
        allowed=row.allowed,
        fast_track=row.fast_track,
        reasons=list(row.reasons),
        records=[CreditRecordOut.model_validate(r) for r in row.records],
    )
