"""Queries of identity-svc."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc.models import (
    EducationRecord,
    Employment,
    Enterprise,
    HomeOwnershipRecord,
    Person,
    SocialInsuranceRecord,
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

    async def employees(self, uscc: str) -> Sequence[PersonRow]:
        rows = (await self.session.execute(_EMPLOYEES, {"employer": uscc})).all()
        return [tuple(row) for row in rows]  # type: ignore[misc]

    async def count_enterprises(self) -> int:
        return int(await self.session.scalar(select(func.count()).select_from(Enterprise)) or 0)

    async def replace_employments(self, uscc: str, id_numbers: list[str]) -> None:
        await self.session.execute(delete(Employment).where(Employment.uscc == uscc))
        self.session.add_all(Employment(uscc=uscc, id_number=i) for i in id_numbers)

    async def save(self, *rows: object) -> None:
        for row in rows:
            await self.session.merge(row)


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
