"""Queries of catalog-svc."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from catalog_svc.models import (
    CountedOut,
    Counter,
    Department,
    District,
    EnterpriseDistrict,
    PolicyRow,
    PolicyVersion,
    RecentPayout,
    Service,
)
from qinqing_shared.db import insert_ignore, table_of


@dataclass(frozen=True)
class ServiceFilter:
    district: str | None = None
    department: str | None = None
    kind: str | None = None
    text: str | None = None

    def apply(self, query: Select[Service]) -> Select[Service]:
        if self.district:
            query = query.where(Service.district_code == self.district)
        if self.department:
            query = query.where(Service.department_code == self.department)
        if self.kind:
            query = query.where(Service.kind == self.kind)
        if self.text:
            query = query.where(Service.name.ilike(f"%{self.text}%"))
        return query


class CatalogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def search(
        self, where: ServiceFilter, offset: int, limit: int
    ) -> tuple[Sequence[Service], int]:
        query = where.apply(select(Service))
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.scalars(query.order_by(Service.code).offset(offset).limit(limit))
        return rows.all(), int(total or 0)

    async def service(self, code: str, *, lock: bool = False) -> Service | None:
        """The service (locked for update: two departments' writes at once in turn)."""
        return await self.session.get(Service, code, with_for_update=lock)

    async def districts(self) -> Sequence[District]:
        return (await self.session.scalars(select(District).order_by(District.code))).all()

    async def departments(self) -> Sequence[Department]:
        return (await self.session.scalars(select(Department).order_by(Department.code))).all()

    async def policy(self, policy_id: str) -> PolicyRow | None:
        return await self.session.get(PolicyRow, policy_id)

    async def version(self, policy_id: str, version: int) -> PolicyVersion | None:
        return await self.session.get(PolicyVersion, (policy_id, version))

    async def versions(self, policy_id: str, *, state: str) -> Sequence[PolicyVersion]:
        query = select(PolicyVersion).where(
            PolicyVersion.policy_id == policy_id, PolicyVersion.state == state
        )
        return (await self.session.scalars(query.order_by(PolicyVersion.version))).all()

    async def published_version(self, policy_id: str, on: dt.date | None) -> PolicyVersion | None:
        """The newest published version in effect on ``on`` (the first if none is yet;
        the newest of all without a day)."""
        query = select(PolicyVersion).where(
            PolicyVersion.policy_id == policy_id, PolicyVersion.state == "published"
        )
        if on is not None:
            found = await self.session.scalar(
                query.where(PolicyVersion.valid_from <= on)
                .order_by(PolicyVersion.version.desc())
                .limit(1)
            )
            if found is not None:
                return found
            return await self.session.scalar(query.order_by(PolicyVersion.version).limit(1))
        return await self.session.scalar(query.order_by(PolicyVersion.version.desc()).limit(1))

    async def owner(self, policy_id: str) -> str | None:
        """The department of the policy's first version, drafted or published."""
        query = select(PolicyVersion.department_code).where(PolicyVersion.policy_id == policy_id)
        return await self.session.scalar(query.order_by(PolicyVersion.version).limit(1))

    async def policies(
        self, text: str | None, department: str | None, offset: int, limit: int
    ) -> tuple[Sequence[PolicyRow], int]:
        query = select(PolicyRow)
        if text:
            query = query.where(PolicyRow.name.icontains(text, autoescape=True))
        if department:
            query = query.where(PolicyRow.department_code == department)
        total = await self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self.session.scalars(query.order_by(PolicyRow.id).offset(offset).limit(limit))
        return rows.all(), int(total or 0)

    async def count(self, model: type[object], **where: str) -> int:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(await self.session.scalar(query) or 0)

    async def counter(self, name: str) -> int:
        row = await self.session.get(Counter, name)
        return row.value if row else 0

    async def district_of(self, uscc: str) -> str | None:
        row = await self.session.get(EnterpriseDistrict, uscc)
        return row.district_code if row is not None else None

    async def set_district(self, uscc: str, district_code: str) -> None:
        row = await self.session.get(EnterpriseDistrict, uscc)
        if row is None:
            self.session.add(EnterpriseDistrict(uscc=uscc, district_code=district_code))
        else:
            row.district_code = district_code

    async def counters_with_prefix(self, prefix: str) -> dict[str, int]:
        """Each counter named ``<prefix><code>``, by code."""
        query = select(Counter).where(Counter.name.startswith(prefix, autoescape=True))
        rows = (await self.session.scalars(query)).all()
        return {row.name.removeprefix(prefix): row.value for row in rows}

    async def count_out(self, payout_id: str, why: str) -> bool:
        """True the first time a payout is taken out of the figures."""
        values = {"payout_id": payout_id, "why": why, "at": dt.datetime.now(dt.UTC)}
        return await insert_ignore(self.session, CountedOut, values)

    async def add_recent(self, values: dict[str, object]) -> None:
        await insert_ignore(self.session, RecentPayout, values)

    async def forget_recent(self, payout_id: str) -> None:
        await self.session.execute(delete(RecentPayout).where(RecentPayout.payout_id == payout_id))

    async def recent(self, limit: int) -> Sequence[RecentPayout]:
        query = select(RecentPayout).order_by(RecentPayout.paid_at.desc()).limit(limit)
        return (await self.session.scalars(query)).all()

    async def payouts_per_minute(self, since_minute: int) -> dict[int, tuple[int, int]]:
        """Payouts and fen paid in each minute from ``since_minute`` on (only minutes
        with any)."""
        query = (
            select(RecentPayout.minute, func.count(), func.sum(RecentPayout.amount_fen))
            .where(RecentPayout.minute >= since_minute)
            .group_by(RecentPayout.minute)
        )
        rows = (await self.session.execute(query)).all()
        return {int(m): (int(n), int(fen)) for m, n, fen in rows}

    async def add_to_counter(self, name: str, amount: int) -> None:
        result = await self.session.execute(_ADD_TO_COUNTER, {"counter": name, "amount": amount})
        if result.rowcount == 0:  # type: ignore[attr-defined]
            self.session.add(Counter(name=name, value=amount))


_COUNTERS = table_of(Counter)
# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_ADD_TO_COUNTER = (
    update(_COUNTERS)
    .where(_COUNTERS.c.name == bindparam("counter"))
    .values(value=_COUNTERS.c.value + bindparam("amount"))
)
