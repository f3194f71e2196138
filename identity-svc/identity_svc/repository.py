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

    async def employees(self, uscc: str) -> Sequence[PersonRow]:
        rows = (await self.session.execute(_EMPLOYEES, {"employer": uscc})).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]


# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_EMPLOYEES = (
    select(Person, Employment, EducationRecord, SocialInsuranceRecord, HomeOwnershipRecord)
    .join(Employment, Employment.id_number == Person.id_number)
    .outerjoin(EducationRecord, EducationRecord.id_number == Person.id_number)
    .outerjoin(SocialInsuranceRecord, SocialInsuranceRecord.id_number == Person.id_number)
    .outerjoin(HomeOwnershipRecord, HomeOwnershipRecord.id_number == Person.id_number)
    .where(Employment.uscc == bindparam("employer"))
    .order_by(Person.id_number)
)
