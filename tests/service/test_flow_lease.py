"""The gateway's lease on a stale flow, on the real database: of two instances taking
the same flow at once, one gets it; a flow taken, final, or fresh is not taken."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable

from qinqing_gateway.flows import SqlFlowUnits
from qinqing_gateway.models import Flow, FlowStatus
from qinqing_shared.db import Database
from qinqing_shared.uow import Units

NOW = dt.datetime.now(dt.UTC)


def flow(application_id: str, status: FlowStatus, updated_at: dt.datetime) -> Flow:
    return Flow(
        application_id=application_id,
        policy_id="hz-rental-subsidy-2026",
        uscc="91330105MA2H00057P",
        client_id="demo-app",
        idempotency_key=application_id,
        applied_on=updated_at.date(),
        status=status,
        result=None,
        created_at=updated_at,
        updated_at=updated_at,
    )


async def take(units: SqlFlowUnits, application_id: str, cutoff: dt.datetime) -> bool:
    async with units.write(autocommit=True) as unit:
        taken = await unit.flows.take(application_id, cutoff)
        await unit.commit()
    return taken


async def test_one_of_two_instances_takes_a_stale_flow(
    service_db: Callable[[str], str],
) -> None:
    db = Database(service_db("qinqing_gateway"))
    left = NOW - dt.timedelta(minutes=5)
    async with db.sessionmaker() as session, session.begin():
        session.add_all(
            [
                flow("left", FlowStatus.RUNNING, left),
                flow("fresh", FlowStatus.RUNNING, NOW),
                flow("ended", FlowStatus.PAID, left),
            ]
        )
    try:
        units = SqlFlowUnits(Units(db))
        cutoff = NOW - dt.timedelta(minutes=1)
        both = await asyncio.gather(take(units, "left", cutoff), take(units, "left", cutoff))
        assert sorted(both) == [False, True]
        assert await take(units, "left", cutoff) is False  # taken: fresh now
        assert await take(units, "fresh", cutoff) is False
        assert await take(units, "ended", cutoff) is False
        async with units.read() as reader:
            found = await reader.flows.get("left")
        assert found is not None
        assert found[0].updated_at.replace(tzinfo=dt.UTC) > cutoff
    finally:
        await db.dispose()
