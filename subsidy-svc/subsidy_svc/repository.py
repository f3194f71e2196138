"""Queries of subsidy-svc."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from subsidy_svc.models import ApplicationRow, Claim


class SubsidyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def application(self, application_id: str) -> ApplicationRow | None:
        return await self.session.get(ApplicationRow, application_id)

    async def claims_this_year(
        self, policy_id: str, year: int, id_numbers: Iterable[str]
    ) -> dict[str, int]:
        query = (
            select(Claim.id_number, func.count())
            .where(
                Claim.policy_id == policy_id,
                Claim.year == year,
                Claim.id_number.in_(list(id_numbers)),
            )
            .group_by(Claim.id_number)
        )
        return {k: int(v) for k, v in (await self.session.execute(query)).all()}

    async def release_claims(self, application_id: str) -> None:
        await self.session.execute(delete(Claim).where(Claim.application_id == application_id))

    async def claims_of(self, id_number: str) -> list[tuple[Claim, str]]:
        query = (
            select(Claim, ApplicationRow.status)
            .join(ApplicationRow, ApplicationRow.id == Claim.application_id)
            .where(Claim.id_number == id_number)
            .order_by(Claim.year, Claim.policy_id)
        )
        return [(claim, status) for claim, status in (await self.session.execute(query)).all()]
