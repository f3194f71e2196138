"""Queries of proactive runs and their notices (subsidy_svc.proactive)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_shared.contracts.subsidy import NoticeStatus
from subsidy_svc.models import ApplicationRow, NoticeRow, ProactiveRunRow
from subsidy_svc.repository import SubsidyRepository


class ProactiveRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.subsidy = SubsidyRepository(session)  # applications and claims

    async def run(self, policy_id: str, version: int, lock: bool = False) -> ProactiveRunRow | None:
        key = (policy_id, version)
        return await self.session.get(ProactiveRunRow, key, with_for_update=lock)

    async def add_run(self, row: ProactiveRunRow) -> None:
        self.session.add(row)
        await self.session.flush()

    async def add_notice(self, row: NoticeRow) -> None:
        self.session.add(row)

    async def notice(self, notice_id: str, lock: bool = False) -> NoticeRow | None:
        return await self.session.get(NoticeRow, notice_id, with_for_update=lock)

    async def due(
        self, policy_id: str, version: int, now: dt.datetime, limit: int, lock: bool = False
    ) -> list[NoticeRow]:
        """Notices standing at the end of their period, and notices taken whose
        application was never decided (their payment was cut off: resumed)."""
        standing = and_(NoticeRow.status == NoticeStatus.NOTICED, NoticeRow.pay_after <= now)
        cut_off = and_(NoticeRow.status == NoticeStatus.TAKEN, ApplicationRow.id.is_(None))
        query = (
            select(NoticeRow)
            .outerjoin(ApplicationRow, ApplicationRow.id == NoticeRow.id)
            .where(
                NoticeRow.policy_id == policy_id,
                NoticeRow.policy_version == version,
                or_(standing, cut_off),
            )
            .order_by(NoticeRow.pay_after, NoticeRow.uscc)
            .limit(limit)
        )
        if lock:  # against a decline at the same moment (which locks the notice too)
            query = query.with_for_update(of=NoticeRow)
        return list((await self.session.scalars(query)).all())

    async def standing(self, policy_id: str, usccs: list[str]) -> set[str]:
        """Of these enterprises, those with a notice of the policy (any version) still
        waiting for its notice period (a payment started is guarded by the claims)."""
        query = select(NoticeRow.uscc).where(
            NoticeRow.policy_id == policy_id,
            NoticeRow.uscc.in_(usccs),
            NoticeRow.status == NoticeStatus.NOTICED,
        )
        return set((await self.session.scalars(query)).all())

    async def noticed(self, policy_id: str, version: int, usccs: list[str]) -> set[str]:
        """Of these enterprises, those with a notice of this version, whatever its status."""
        query = select(NoticeRow.uscc).where(
            NoticeRow.policy_id == policy_id,
            NoticeRow.policy_version == version,
            NoticeRow.uscc.in_(usccs),
        )
        return set((await self.session.scalars(query)).all())

    async def notices_of(self, uscc: str) -> list[tuple[NoticeRow, str | None]]:
        query = (
            select(NoticeRow, ApplicationRow.status)
            .outerjoin(ApplicationRow, ApplicationRow.id == NoticeRow.id)
            .where(NoticeRow.uscc == uscc)
            .order_by(NoticeRow.noticed_at.desc(), NoticeRow.id)
        )
        return [(row, status) for row, status in (await self.session.execute(query)).all()]

    async def notices_by_status(self, policy_id: str, version: int) -> dict[str, int]:
        query = (
            select(NoticeRow.status, func.count())
            .where(NoticeRow.policy_id == policy_id, NoticeRow.policy_version == version)
            .group_by(NoticeRow.status)
        )
        return {status: int(n) for status, n in (await self.session.execute(query)).all()}

    async def applications_by_status(self, policy_id: str, version: int) -> dict[str, int]:
        """The applications of a run's taken notices (a notice's id is its application's)."""
        query = (
            select(ApplicationRow.status, func.count())
            .join(NoticeRow, NoticeRow.id == ApplicationRow.id)
            .where(NoticeRow.policy_id == policy_id, NoticeRow.policy_version == version)
            .group_by(ApplicationRow.status)
        )
        return {status: int(n) for status, n in (await self.session.execute(query)).all()}
