"""Credit commitments (信用承诺): an enterprise declares what a department's data does
not tell yet; the platform verifies it when the data comes (or the time to verify runs
out). A broken commitment files a violation against the enterprise. Never commits."""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from credit_svc.errors import CommitmentClosed, CommitmentRefused
from credit_svc.models import CreditRecord
from credit_svc.records import out
from credit_svc.repository import CreditRepository
from credit_svc.rules import commitments_refused
from qinqing_shared import audit
from qinqing_shared.contracts.credit import (
    Commitment,
    CommitmentFiling,
    CommitmentToVerify,
    VerdictIn,
)
from qinqing_shared.contracts.events import (
    COMMITMENT_BROKEN,
    COMMITMENT_KEPT,
    COMMITMENT_LAPSED,
    COMMITMENT_MADE,
    CREDIT_RECORD_FILED,
    CommitmentEvent,
)
from qinqing_shared.ids import mask_id_number
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import not_found

SUBJECTS = {"kept": COMMITMENT_KEPT, "broken": COMMITMENT_BROKEN, "lapsed": COMMITMENT_LAPSED}


T = TypeVar("T")


def _set(value: T | None) -> T:
    """A commitment's own field, which every commitment record has."""
    if value is None:
        raise ValueError("a commitment record lacks one of its fields")
    return value


def view(row: CreditRecord) -> Commitment:
    return Commitment(
        id=row.id,
        uscc=row.uscc,
        policy_id=row.policy_id or "",
        service_code=row.service_code,
        clause=_set(row.clause),
        department=row.department,
        id_number_masked=mask_id_number(row.subject) if row.subject else "",
        statement=_set(row.statement),
        signed_by=_set(row.signed_by),
        made_on=row.valid_from,
        verify_by=_set(row.valid_to),
        outcome=_set(row.outcome),
        closed_on=row.closed_on,
        evidence=row.evidence,
    )


def to_verify(row: CreditRecord) -> CommitmentToVerify:
    found = view(row).model_dump()
    return CommitmentToVerify(**found, fact=_set(row.fact), id_number=row.subject)


async def make(
    repo: CreditRepository, outbox: Outbox, filing: CommitmentFiling, now: dt.datetime
) -> Commitment:
    """Record a commitment once (its id again answers it); an enterprise under joint
    punishment, or that broke a commitment, makes none; one open commitment per
    clause and person stands (asking again answers it)."""
    known = await repo.session.get(CreditRecord, filing.commitment_id)
    if known is not None:
        return view(known)
    standing = await repo.open_commitment(
        filing.uscc,
        filing.clause,
        policy_id=filing.policy_id,
        service_code=filing.service_code,
        subject=filing.id_number,
    )
    if standing is not None:
        return view(standing)
    records = [out(r) for r in await repo.records_in_force(filing.uscc, filing.made_on)]
    refused = commitments_refused(records, filing.redlist_only)
    if refused is not None:
        raise CommitmentRefused(refused)
    row = CreditRecord(
        id=filing.commitment_id,
        uscc=filing.uscc,
        kind="commitment",
        department=filing.department,
        reason=f"Commitment to {_addressee(filing)} ({filing.clause}): {filing.statement}"[:500],
        valid_from=filing.made_on,
        valid_to=filing.verify_by,
        filed_by=filing.signed_via,
        filed_at=now,
        policy_id=filing.policy_id,
        service_code=filing.service_code,
        clause=filing.clause,
        fact=filing.fact,
        subject=filing.id_number,
        statement=filing.statement,
        signed_by=filing.signed_by,
        outcome="open",
        redlist_only=filing.redlist_only,
    )
    repo.session.add(row)
    _announce(repo, outbox, COMMITMENT_MADE, row)
    audit.record(
        outbox,
        repo.session,
        actor=filing.signed_via,
        action="commitment.made",
        object_type="commitment",
        object_id=row.id,
        uscc=row.uscc,
    )
    return view(row)


def _addressee(commitment: CommitmentFiling | CreditRecord) -> str:
    """What a commitment is to, in words: a policy, or a service item."""
    if commitment.service_code is not None:
        return f"service item {commitment.service_code}"
    return str(commitment.policy_id)


async def find(repo: CreditRepository, commitment_id: str) -> CreditRecord:
    row = await repo.commitment(commitment_id)
    if row is None:
        raise not_found("Commitment", commitment_id)
    return row


async def close(
    repo: CreditRepository,
    outbox: Outbox,
    commitment_id: str,
    verdict: VerdictIn,
    now: dt.datetime,
) -> Commitment:
    """Close an open commitment with the verifier's verdict, once (the same verdict
    again answers it). Broken: a violation is filed against the enterprise in the name
    of the policy's department, which alone may lift it (credit repair)."""
    row = await repo.commitment(commitment_id, lock=True)
    if row is None:
        raise not_found("Commitment", commitment_id)
    if row.outcome != "open":
        if row.outcome == verdict.verdict:
            return view(row)
        raise CommitmentClosed(f"Commitment {commitment_id} was found {row.outcome} before.")
    row.outcome, row.closed_on, row.evidence = verdict.verdict, verdict.on, verdict.evidence
    _announce(repo, outbox, SUBJECTS[verdict.verdict], row)
    audit.record(
        outbox,
        repo.session,
        actor="commitment-verifier",
        action=f"commitment.{verdict.verdict}",
        object_type="commitment",
        object_id=row.id,
        uscc=row.uscc,
    )
    if verdict.verdict == "broken":
        _file_violation(repo, outbox, row, now)
    return view(row)


def _file_violation(
    repo: CreditRepository, outbox: Outbox, commitment: CreditRecord, now: dt.datetime
) -> None:
    on = _set(commitment.closed_on)
    violation = CreditRecord(
        id=f"{commitment.department}:broken-commitment-{commitment.id}",
        uscc=commitment.uscc,
        kind="violation",
        department=commitment.department,
        reason=(
            f"Broke credit commitment {commitment.id} to {_addressee(commitment)} "
            f"({commitment.clause}): {commitment.evidence}"
        )[:500],
        valid_from=on,
        valid_to=None,
        filed_by="credit-svc",
        filed_at=now,
        commitment_id=commitment.id,
    )
    repo.session.add(violation)
    event = {
        "record_id": violation.id,
        "uscc": violation.uscc,
        "kind": "violation",
        "department": violation.department,
        "valid_from": on.isoformat(),
        "valid_to": None,
    }
    outbox.add(repo.session, CREDIT_RECORD_FILED, event, key=violation.uscc)
    audit.record(
        outbox,
        repo.session,
        actor="credit-svc",
        action="credit-record.filed",
        object_type="credit-record",
        object_id=violation.id,
        uscc=violation.uscc,
    )


def _announce(repo: CreditRepository, outbox: Outbox, subject: str, row: CreditRecord) -> None:
    event = CommitmentEvent(
        commitment_id=row.id,
        uscc=row.uscc,
        policy_id=row.policy_id or "",
        clause=_set(row.clause),
        department=row.department,
        outcome=_set(row.outcome),
        verify_by=_set(row.valid_to).isoformat(),
        service_code=row.service_code,
    )
    outbox.add(repo.session, subject, event.model_dump(), key=row.uscc)


async def of_enterprise(repo: CreditRepository, uscc: str) -> list[Commitment]:
    return [view(r) for r in await repo.records(uscc) if r.kind == "commitment"]
