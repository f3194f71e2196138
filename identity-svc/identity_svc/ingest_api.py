"""Departments send the facts they hold: one record, or a batch (docs/data-exchange.md).

Only the department that owns a kind of fact sends it (``OWNERS``), authenticated as
that department with ``facts:write``. A batch is taken record by record in one
transaction: each record is answered (applied, superseded, duplicate or refused with its
problem), and a refused record does not stop the others.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends

from identity_svc import ingest
from identity_svc.errors import RecordIdReused, SubjectNotRegistered
from identity_svc.ingest_batch import take_batch
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import FACTS_WRITE
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.ingest import (
    OWNERS,
    FactBatchIn,
    FactBatchReceipt,
    FactKind,
    FactReceipt,
    FactRecordIn,
    Outcome,
)
from qinqing_shared.deps import WriteUnitDep
from qinqing_shared.problems import responses

router = APIRouter(tags=["facts"], responses=GUARDED_RESPONSES)


def sender(kind: FactKind, caller: Caller = allow(scopes=(FACTS_WRITE,))) -> ingest.Sender:
    """The department sending, if it owns this kind of fact (checked before the body)."""
    owner = OWNERS[kind]
    if caller.kind != "department" or caller.department != owner:
        raise forbidden(f"Only department {owner} sends {kind.value} facts.")
    return ingest.Sender(department=owner, client_id=caller.client_id)


SenderDep = Annotated[ingest.Sender, Depends(sender)]


@router.post(
    "/facts/{kind}",
    response_model=FactReceipt,
    responses=responses(RecordIdReused, SubjectNotRegistered),
)
async def send_fact(
    kind: FactKind, record: FactRecordIn, uow: WriteUnitDep, by: SenderDep
) -> FactReceipt:
    """One record of a fact the calling department holds: kept in the history, and
    current unless the register holds the same fact as of a later date."""
    now = dt.datetime.now(dt.UTC)
    receipt = await ingest.take(uow.session, uow.outbox, kind, record, by, now)
    applied = [record] if receipt.outcome is Outcome.APPLIED else []
    await ingest.announce(uow.session, uow.outbox, by, kind, applied, now)
    await uow.commit()
    return receipt


@router.post("/facts/{kind}/batch", response_model=FactBatchReceipt)
async def send_facts(
    kind: FactKind, batch: FactBatchIn, uow: WriteUnitDep, by: SenderDep
) -> FactBatchReceipt:
    """Up to 1,000 records of one kind; each answered on its own."""
    now = dt.datetime.now(dt.UTC)
    receipts = await take_batch(uow.session, uow.outbox, kind, batch.records, by, now)
    counts = {o: sum(r.outcome is o for r in receipts) for o in Outcome}
    applied = [
        record
        for record, receipt in zip(batch.records, receipts, strict=True)
        if receipt.outcome is Outcome.APPLIED
    ]
    await ingest.announce(uow.session, uow.outbox, by, kind, applied, now)
    await uow.commit()
    return FactBatchReceipt(
        received=len(receipts),
        applied=counts[Outcome.APPLIED],
        superseded=counts[Outcome.SUPERSEDED],
        duplicate=counts[Outcome.DUPLICATE],
        refused=counts[Outcome.REFUSED],
        records=receipts,
    )
