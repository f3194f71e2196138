"""A request as its readers see it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from catalog_svc.models import InteractionRequest, InteractionStep
from qinqing_shared.contracts.interaction import (
    Action,
    Links,
    RequestStatus,
    RequestSummary,
    RequestView,
    Step,
)
from qinqing_shared.contracts.subsidy import ItemDecision
from qinqing_shared.db import as_utc


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    return as_utc(value) if value is not None else None


def view_of(
    row: InteractionRequest, steps: Sequence[InteractionStep], department_name: str
) -> RequestView:
    return RequestView(
        id=row.id,
        uscc=row.uscc,
        client_id=row.client_id,
        topic=row.topic,
        title=row.title,
        text=row.text,
        links=Links.model_validate(row.links),
        department=row.department_code,
        department_name=department_name,
        status=RequestStatus(row.status),
        submitted_at=as_utc(row.submitted_at),
        acknowledge_by=_utc(row.acknowledge_by),
        answer_by=_utc(row.answer_by),
        escalated=row.escalated,
        late=row.late,
        rating=row.rating,
        outcome=row.outcome,
        steps=[_step(s) for s in steps],
        application=row.application,
        decision=ItemDecision.model_validate(row.decision) if row.decision else None,
    )


def _step(step: InteractionStep) -> Step:
    return Step(
        seq=step.seq,
        action=Action(step.action),
        at=as_utc(step.at),
        actor=step.actor,
        department=step.department_code,
        to_department=step.to_department,
        text=step.text,
        rating=step.rating,
        outcome=step.outcome,
        escalated_to=step.escalated_to or [],
    )


def summary_of(row: InteractionRequest) -> RequestSummary:
    return RequestSummary(
        id=row.id,
        uscc=row.uscc,
        topic=row.topic,
        title=row.title,
        department=row.department_code,
        status=RequestStatus(row.status),
        submitted_at=as_utc(row.submitted_at),
        answer_by=_utc(row.answer_by),
        escalated=row.escalated,
        late=row.late,
        outcome=row.outcome,
    )
