"""Queries of enterprises' requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_svc.models import (
    Department,
    InteractionRequest,
    InteractionStep,
    PolicyRow,
    RequestTopic,
    Service,
)
from qinqing_shared.contracts.interaction import RequestStatus

PAGE = 100  # requests per list, newest first


class RequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def topic(self, code: str) -> RequestTopic | None:
        return await self.session.get(RequestTopic, code)

    async def topics(self) -> Sequence[RequestTopic]:
        return (await self.session.scalars(select(RequestTopic).order_by(RequestTopic.code))).all()

    async def department(self, code: str) -> Department | None:
        return await self.session.get(Department, code)

    async def department_of_policy(self, policy_id: str) -> str | None:
        found = await self.session.scalar(
            select(PolicyRow.department_code).where(PolicyRow.id == policy_id)
        )
        return str(found) if found else None

    async def service(self, code: str) -> Service | None:
        return await self.session.get(Service, code)

    async def get(self, request_id: str, *, lock: bool = False) -> InteractionRequest | None:
        query = select(InteractionRequest).where(InteractionRequest.id == request_id)
        if lock:  # two officers at once: the second sees the first one's step
            query = query.with_for_update()
        return (await self.session.scalars(query)).first()

    async def granted_to(self, uscc: str) -> Sequence[InteractionRequest]:
        """The enterprise's service items granted and answered or closed, locked: the
        ones a broken commitment may revoke (no other request of it is held)."""
        query = (
            select(InteractionRequest)
            .where(
                InteractionRequest.uscc == uscc,
                InteractionRequest.outcome == "granted",
                InteractionRequest.status.in_((RequestStatus.ANSWERED, RequestStatus.CLOSED)),
            )
            .order_by(InteractionRequest.id)
            .with_for_update()
        )
        return (await self.session.scalars(query)).all()

    def add(self, row: InteractionRequest) -> None:
        self.session.add(row)

    async def add_step(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(InteractionStep), [values])

    async def steps(self, request_id: str) -> Sequence[InteractionStep]:
        query = (
            select(InteractionStep)
            .where(InteractionStep.request_id == request_id)
            .order_by(InteractionStep.seq)
        )
        return (await self.session.scalars(query)).all()

    async def listed(
        self,
        *,
        uscc: str | None = None,
        client_id: str | None = None,
        department: str | None = None,
        status: RequestStatus | None = None,
        escalated: bool | None = None,
    ) -> Sequence[InteractionRequest]:
        query = select(InteractionRequest)
        for column, value in (
            (InteractionRequest.uscc, uscc),
            (InteractionRequest.client_id, client_id),
            (InteractionRequest.department_code, department),
            (InteractionRequest.status, status),
            (InteractionRequest.escalated, escalated),
        ):
            if value is not None:
                query = query.where(column == value)
        query = query.order_by(InteractionRequest.submitted_at.desc()).limit(PAGE)
        return (await self.session.scalars(query)).all()

    async def for_figures(self, since: dt.datetime) -> Sequence[Any]:
        """What the figures need of every request submitted since ``since``."""
        query = select(
            InteractionRequest.department_code,
            InteractionRequest.topic,
            InteractionRequest.submitted_at,
            InteractionRequest.first_answered_at,
            InteractionRequest.first_answer_in_time,
            InteractionRequest.closed_at,
            InteractionRequest.escalated,
            InteractionRequest.rating,
        ).where(InteractionRequest.submitted_at >= since)
        return (await self.session.execute(query)).all()

    async def ratings(self, since: dt.datetime) -> list[tuple[str, str, int]]:
        """(the department rated, the request's topic, the rating) of every rating."""
        query = (
            select(
                InteractionStep.department_code, InteractionRequest.topic, InteractionStep.rating
            )
            .join(InteractionRequest, InteractionRequest.id == InteractionStep.request_id)
            .where(InteractionStep.action == "rated", InteractionStep.at >= since)
        )
        rows = (await self.session.execute(query)).all()
        return [(str(d), str(t), int(r or 0)) for d, t, r in rows]

    async def count(self) -> int:
        return int(await self.session.scalar(select(func.count(InteractionRequest.id))) or 0)
