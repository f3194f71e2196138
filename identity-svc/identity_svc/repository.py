"""Queries of identity-svc."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc.models import (
    EducationRecord,
    Employment,
    Enterprise,
    HomeOwnershipRecord,
    Person,
    SocialInsuranceRecord,
    TaxRecord,
    UnemploymentInsuranceRecord,
)

PersonRow = tuple[
    Person,
    Employment,
    EducationRecord | None,
    SocialInsuranceRecord | None,
    HomeOwnershipRecord | None,
]


class IdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def enterprise(self, uscc: str) -> Enterprise | None:
        return await self.session.get(Enterprise, uscc)

    async def tax(self, uscc: str) -> TaxRecord | None:
        return await self.session.get(TaxRecord, uscc)

    async def unemployment_insurance(self, uscc: str) -> UnemploymentInsuranceRecord | None:
        return await self.session.get(UnemploymentInsuranceRecord, uscc)

    async def employees(self, uscc: str) -> Sequence[PersonRow]:
        rows = (await self.session.execute(_EMPLOYEES, {"employer": uscc})).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]

    async def enterprises_after(self, after: str | None, limit: int) -> Sequence[Enterprise]:
        """The next ``limit`` enterprises in USCC order after ``after`` (a page)."""
        query = select(Enterprise).order_by(Enterprise.uscc).limit(limit)
        if after is not None:
            query = query.where(Enterprise.uscc > after)
        return (await self.session.scalars(query)).all()

    async def employees_of(self, usccs: Sequence[str]) -> dict[str, list[PersonRow]]:
        """The employees of several enterprises at once, by employer."""
        query = _ALL_EMPLOYEES.where(Employment.uscc.in_(usccs))
        found: dict[str, list[PersonRow]] = {uscc: [] for uscc in usccs}
        for row in (await self.session.execute(query)).all():
            found[row[1].uscc].append(tuple(row))  # type: ignore[arg-type]
        return found

    async def taxes(self, usccs: Sequence[str]) -> dict[str, TaxRecord]:
        rows = await self.session.scalars(select(TaxRecord).where(TaxRecord.uscc.in_(usccs)))
        return {row.uscc: row for row in rows}

    async def unemployment_insurances(
        self, usccs: Sequence[str]
    ) -> dict[str, UnemploymentInsuranceRecord]:
        model = UnemploymentInsuranceRecord
        rows = await self.session.scalars(select(model).where(model.uscc.in_(usccs)))
        return {row.uscc: row for row in rows}


# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_ALL_EMPLOYEES = (
    select(Person, Employment, EducationRecord, SocialInsuranceRecord, HomeOwnershipRecord)
    .join(Employment, Employment.id_number == Person.id_number)
    .outerjoin(EducationRecord, EducationRecord.id_number == Person.id_number)
    .outerjoin(SocialInsuranceRecord, SocialInsuranceRecord.id_number == Person.id_number)
    .outerjoin(HomeOwnershipRecord, HomeOwnershipRecord.id_number == Person.id_number)
    .order_by(Person.id_number)
)
_EMPLOYEES = _ALL_EMPLOYEES.where(Employment.uscc == bindparam("employer"))
