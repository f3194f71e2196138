"""Logic of credit-svc: a check says whether an enterprise may receive public funds."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from credit_svc.models import CreditCheckRow, CreditRecord
from credit_svc.repository import CreditRepository
from credit_svc.rules import commitments_refused, denial, denial_zh
from qinqing_shared.contracts.credit import (
    CommittedFact,
    CreditCheck,
    CreditCheckRequest,
    CreditRecordOut,
)
from qinqing_shared.contracts.events import CREDIT_CHECK_COMPLETED, CreditCheckCompleted
from qinqing_shared.outbox import Outbox

FAST_TRACK_KINDS = {"redlist", "commitment"}


def judge(records: Sequence[CreditRecordOut]) -> tuple[bool, bool, list[str]]:
    """(allowed, fast_track, reasons): joint punishment (a black-list record, repeated
    broken commitments) denies funds."""
    reasons = denial(records)
    fast_track = any(r.kind in FAST_TRACK_KINDS for r in records)
    return not reasons, fast_track and not reasons, reasons


def committed(
    rows: Sequence[CreditRecord], records: Sequence[CreditRecordOut]
) -> list[dict[str, Any]]:
    """The open commitments an application may rely on: none while they are refused,
    and none made on a red list that is no longer in force."""
    if commitments_refused(records, redlist_only=False) is not None:
        return []
    redlisted = commitments_refused(records, redlist_only=True) is None
    return [
        CommittedFact(
            id=r.id,
            policy_id=r.policy_id or "",
            service_code=r.service_code or "",
            clause=r.clause or "",
            id_number=r.subject or "",
            statement=r.statement or "",
        ).model_dump()
        for r in rows
        if r.kind == "commitment" and r.outcome == "open" and (redlisted or not r.redlist_only)
    ]


async def check(
    repo: CreditRepository, outbox: Outbox, *, request: CreditCheckRequest
) -> CreditCheck:
    """Check once per application; asking again returns the first answer."""
    existing = await repo.check_for(request.application_id)
    if existing is not None:
        return to_check(existing)
    rows = await repo.records_in_force(request.uscc, request.on)
    return to_check(_row(repo, outbox, request, rows))


async def check_many(
    repo: CreditRepository, outbox: Outbox, requests: Sequence[CreditCheckRequest]
) -> list[CreditCheck]:
    """Check several applications at once, each as ``check`` would alone (once per
    application id: one asked again, or twice in the batch, answers its first check)."""
    made = await repo.checks_for([r.application_id for r in requests])
    records: dict[str, list[CreditRecord]] = {}
    for on in sorted({r.on for r in requests}):
        usccs = sorted({r.uscc for r in requests if r.on == on})
        for uscc, rows in (await repo.records_in_force_of(usccs, on)).items():
            records[f"{uscc}@{on}"] = rows
    checks = []
    for request in requests:
        if request.application_id not in made:
            rows = records[f"{request.uscc}@{request.on}"]
            made[request.application_id] = _row(repo, outbox, request, rows)
        checks.append(to_check(made[request.application_id]))
    return checks


def _row(
    repo: CreditRepository,
    outbox: Outbox,
    request: CreditCheckRequest,
    rows: Sequence[CreditRecord],
) -> CreditCheckRow:
    """The new check of one application, with its event."""
    records = [_out(r) for r in rows]
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
        commitments=committed(rows, records),
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
    return row


def _out(record: CreditRecord) -> CreditRecordOut:
    return CreditRecordOut.model_validate(record, from_attributes=True)


def to_check(row: CreditCheckRow) -> CreditCheck:
    records = [CreditRecordOut.model_validate(r) for r in row.records]
    reasons_zh = denial_zh(records)  # the check's records say it again, in Chinese
    return CreditCheck(
        id=row.id,
        application_id=row.application_id,
        uscc=row.uscc,
        allowed=row.allowed,
        fast_track=row.fast_track,
        reasons=list(row.reasons),
        reasons_zh=reasons_zh if len(reasons_zh) == len(row.reasons) else list(row.reasons),
        records=records,
        commitments=[CommittedFact.model_validate(c) for c in row.commitments or []],
    )
