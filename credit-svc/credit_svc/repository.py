"""Queries of credit-svc."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from credit_svc.models import CreditCheckRow, CreditRecord


class CreditRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def records_in_force(self, uscc: str, on: dt.date) -> Sequence[CreditRecord]:
        return (await self.session.scalars(_IN_FORCE, {"uscc_": uscc, "on": on})).all()

    async def records_in_force_of(
        self, usccs: Sequence[str], on: dt.date
    ) -> dict[str, list[CreditRecord]]:
        """The records in force on ``on`` of several enterprises at once, by enterprise."""
        query = _IN_FORCE_OF.where(CreditRecord.uscc.in_(usccs))
        found: dict[str, list[CreditRecord]] = {uscc: [] for uscc in usccs}
        for row in (await self.session.scalars(query, {"on": on})).all():
            found[row.uscc].append(row)
        return found

    async def checks_for(self, application_ids: Sequence[str]) -> dict[str, CreditCheckRow]:
        """The checks made already for any of these applications, by application."""
        query = select(CreditCheckRow).where(CreditCheckRow.application_id.in_(application_ids))
        return {row.application_id: row for row in (await self.session.scalars(query)).all()}

    async def records(self, uscc: str) -> Sequence[CreditRecord]:
        query = select(CreditRecord).where(CreditRecord.uscc == uscc)
        return (await self.session.scalars(query.order_by(CreditRecord.valid_from))).all()

    async def commitment(self, commitment_id: str, lock: bool = False) -> CreditRecord | None:
        row = await self.session.get(CreditRecord, commitment_id, with_for_update=lock)
        return row if row is not None and row.kind == "commitment" else None

    async def open_commitment(
        self,
        uscc: str,
        clause: str,
        *,
        policy_id: str | None,
        service_code: str | None,
        subject: str | None,
    ) -> CreditRecord | None:
        """The enterprise's open commitment for this clause (a policy's, for this person;
        or a service item's), if it made one."""
        query = select(CreditRecord).where(
            CreditRecord.uscc == uscc,
            CreditRecord.kind == "commitment",
            CreditRecord.policy_id.is_(None)
            if policy_id is None
            else CreditRecord.policy_id == policy_id,
            CreditRecord.service_code.is_(None)
            if service_code is None
            else CreditRecord.service_code == service_code,
            CreditRecord.clause == clause,
            CreditRecord.subject.is_(None) if subject is None else CreditRecord.subject == subject,
            CreditRecord.outcome == "open",
        )
        return await self.session.scalar(query.limit(1))

    async def check_for(self, application_id: str) -> CreditCheckRow | None:
        return await self.session.scalar(_CHECK_FOR, {"application": application_id})


# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_IN_FORCE = (
    select(CreditRecord)
    .where(
        CreditRecord.uscc == bindparam("uscc_"),
        CreditRecord.valid_from <= bindparam("on"),
        or_(CreditRecord.valid_to.is_(None), CreditRecord.valid_to >= bindparam("on")),
        # lifted by credit repair: in force until the day before
        or_(CreditRecord.lifted_on.is_(None), CreditRecord.lifted_on > bindparam("on")),
        # a commitment verified (kept, broken, lapsed): in force until the day before
        or_(CreditRecord.closed_on.is_(None), CreditRecord.closed_on > bindparam("on")),
    )
    .order_by(CreditRecord.id)
)
_IN_FORCE_OF = (
    select(CreditRecord)
    .where(
        CreditRecord.valid_from <= bindparam("on"),
        or_(CreditRecord.valid_to.is_(None), CreditRecord.valid_to >= bindparam("on")),
        or_(CreditRecord.lifted_on.is_(None), CreditRecord.lifted_on > bindparam("on")),
        or_(CreditRecord.closed_on.is_(None), CreditRecord.closed_on > bindparam("on")),
    )
    .order_by(CreditRecord.id)
)
_CHECK_FOR = select(CreditCheckRow).where(CreditCheckRow.application_id == bindparam("application"))
