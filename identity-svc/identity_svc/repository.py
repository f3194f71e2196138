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
    LeaseRecord,
    Person,
    SocialInsuranceRecord,
    TaxRecord,
    UnemploymentInsuranceRecord,
)

# An enterprise and the figures departments keep on it (None: none sent, unknown).
EnterpriseRow = tuple[
    Enterprise,
    TaxRecord | None,
    UnemploymentInsuranceRecord | None,
    LeaseRecord | None,
]
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

    async def enterprise_with_figures(self, uscc: str) -> EnterpriseRow | None:
        """The enterprise with what the tax bureau, HRSS and housing keep on it: one query."""
        row = (await self.session.execute(_WITH_FIGURES.where(Enterprise.uscc == uscc))).first()
        return None if row is None else tuple(row)  # type: ignore[return-value]

    async def employees(self, uscc: str) -> Sequence[PersonRow]:
        rows = (await self.session.execute(_EMPLOYEES, {"employer": uscc})).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]

    async def enterprises_after(self, after: str | None, limit: int) -> list[EnterpriseRow]:
        """The next ``limit`` enterprises in USCC order after ``after`` (a page), each with
        its figures: one query."""
        query = _WITH_FIGURES.order_by(Enterprise.uscc).limit(limit)
        if after is not None:
            query = query.where(Enterprise.uscc > after)
        return [tuple(row) for row in (await self.session.execute(query)).all()]  # type: ignore[misc]

    async def enterprises_in(self, usccs: Sequence[str]) -> list[EnterpriseRow]:
        """These enterprises (those registered) in USCC order, each with its figures."""
        query = _WITH_FIGURES.where(Enterprise.uscc.in_(usccs)).order_by(Enterprise.uscc)
        return [tuple(row) for row in (await self.session.execute(query)).all()]  # type: ignore[misc]

    async def employees_of(self, usccs: Sequence[str]) -> dict[str, list[PersonRow]]:
        """The employees of several enterprises at once, by employer."""
        query = _ALL_EMPLOYEES.where(Employment.uscc.in_(usccs))
        found: dict[str, list[PersonRow]] = {uscc: [] for uscc in usccs}
        for row in (await self.session.execute(query)).all():
            found[row[1].uscc].append(tuple(row))  # type: ignore[arg-type]
        return found


# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_WITH_FIGURES = (
    select(Enterprise, TaxRecord, UnemploymentInsuranceRecord, LeaseRecord)
    .outerjoin(TaxRecord, TaxRecord.uscc == Enterprise.uscc)
    .outerjoin(UnemploymentInsuranceRecord, UnemploymentInsuranceRecord.uscc == Enterprise.uscc)
    .outerjoin(LeaseRecord, LeaseRecord.uscc == Enterprise.uscc)
)
_ALL_EMPLOYEES = (
    select(Person, Employment, EducationRecord, SocialInsuranceRecord, HomeOwnershipRecord)
    .join(Employment, Employment.id_number == Person.id_number)
    .outerjoin(EducationRecord, EducationRecord.id_number == Person.id_number)
    .outerjoin(SocialInsuranceRecord, SocialInsuranceRecord.id_number == Person.id_number)
    .outerjoin(HomeOwnershipRecord, HomeOwnershipRecord.id_number == Person.id_number)
    .order_by(Person.id_number)
)
_EMPLOYEES = _ALL_EMPLOYEES.where(Employment.uscc == bindparam("employer"))
