"""Queries of subsidy-svc."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_shared.contracts.subsidy import ApplicationStatus
from qinqing_shared.db import table_of
from subsidy_svc.models import ApplicationCommitment, ApplicationRow, Claim


class SubsidyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def application(self, application_id: str) -> ApplicationRow | None:
        return await self.session.get(ApplicationRow, application_id)

    async def add_application(self, row: ApplicationRow) -> None:
        """Insert a new application as a row (it is not kept in the session)."""
        values = {column.key: getattr(row, column.key) for column in _APPLICATIONS.columns}
        await self.session.execute(_INSERT_APPLICATION, values)

    async def add_claims(self, claims: list[dict[str, Any]]) -> None:
        if claims:
            await self.session.execute(_INSERT_CLAIMS, claims)

    async def add_commitments(self, application_id: str, commitments: Iterable[str]) -> None:
        rows = [{"application_id": application_id, "commitment_id": c} for c in commitments]
        if rows:
            await self.session.execute(_INSERT_COMMITMENTS, rows)

    async def relying_on(self, commitment_id: str) -> list[ApplicationRow]:
        """Applications approved or paid on this commitment, locked (to claw back)."""
        query = (
            select(ApplicationRow)
            .join(ApplicationCommitment, ApplicationCommitment.application_id == ApplicationRow.id)
            .where(
                ApplicationCommitment.commitment_id == commitment_id,
                ApplicationRow.status.in_([ApplicationStatus.APPROVED, ApplicationStatus.PAID]),
            )
            .order_by(ApplicationRow.id)
            .with_for_update(of=ApplicationRow)
        )
        return list((await self.session.scalars(query)).all())

    async def mark_paid(self, application_id: str, at: dt.datetime) -> None:
        await self.session.execute(_MARK_PAID, {"application": application_id, "at": at})

    async def mark_reversed(self, application_id: str, at: dt.datetime) -> None:
        await self.session.execute(_MARK_REVERSED, {"application": application_id, "at": at})

    async def claims_this_year(
        self, policy_id: str, year: int, id_numbers: Iterable[str]
    ) -> dict[str, int]:
        values = {"policy": policy_id, "year_": year, "people": list(id_numbers)}
        return {k: int(v) for k, v in (await self.session.execute(_CLAIMS, values)).all()}

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


# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_APPLICATIONS = table_of(ApplicationRow)
_INSERT_APPLICATION = insert(_APPLICATIONS)
_INSERT_CLAIMS = insert(table_of(Claim))
_INSERT_COMMITMENTS = insert(table_of(ApplicationCommitment))
_MARK_PAID = (
    update(_APPLICATIONS)
    .where(
        _APPLICATIONS.c.id == bindparam("application"),
        _APPLICATIONS.c.status == ApplicationStatus.APPROVED,
    )
    .values(status=ApplicationStatus.PAID, updated_at=bindparam("at"))
)
# A reversal may be heard before the payout's completion (two consumers): either way
# the application ends reversed, and a completion heard later changes nothing.
_MARK_REVERSED = (
    update(_APPLICATIONS)
    .where(
        _APPLICATIONS.c.id == bindparam("application"),
        _APPLICATIONS.c.status.in_([ApplicationStatus.APPROVED, ApplicationStatus.PAID]),
    )
    .values(status=ApplicationStatus.REVERSED, updated_at=bindparam("at"))
)
_CLAIMS = (
    select(Claim.id_number, func.count())
    .where(
        Claim.policy_id == bindparam("policy"),
        Claim.year == bindparam("year_"),
        Claim.id_number.in_(bindparam("people", expanding=True)),
    )
    .group_by(Claim.id_number)
)
