"""catalog-svc's live figures on a real database: a completed payout counts in all, for
its policy's department and its enterprise's district; a reversed one comes out of each
once; an enterprise catalog-svc has not heard of counts under ``unknown``."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from catalog_svc import service
from catalog_svc.cli import seed
from catalog_svc.consumers import SUBSCRIPTIONS
from catalog_svc.models import ProcessedEvent
from catalog_svc.repository import CatalogRepository
from qinqing_devtools.demo import rental_policy
from qinqing_shared.contracts.events import (
    ENTERPRISE_REGISTERED,
    PAYOUT_COMPLETED,
    PAYOUT_REVERSED,
)
from qinqing_shared.db import Database
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import handle_once
from qinqing_shared.uow import Units
from tests.service.test_policy_versions import dataset

KNOWN, STRANGER = "91330106MA2H00014Q", "91330108MA2H00099X"
SOURCES = {
    ENTERPRISE_REGISTERED: "/qinqing/identity-svc",
    PAYOUT_COMPLETED: "/qinqing/payment-svc",
    PAYOUT_REVERSED: "/qinqing/payment-svc",
}


@pytest.fixture
async def units(service_db: Callable[[str], str]) -> AsyncIterator[Units]:
    db = Database(service_db("catalog_svc"))
    units = Units(db)
    try:
        async with units.write() as uow:
            await seed(uow.session, dataset())
            await uow.commit()
        yield units
    finally:
        await db.dispose()


async def hear(
    units: Units, subject: str, data: dict[str, Any], at: dt.datetime | None = None
) -> None:
    sub = next(s for s in SUBSCRIPTIONS if s.subject == subject)
    event = CloudEvent(type=subject, source=SOURCES[subject], subject="x", data=data)
    if at is not None:
        event.time = at
    assert await handle_once(units, ProcessedEvent, sub, event)


def payout(payout_id: str, uscc: str, amount_fen: int) -> dict[str, Any]:
    return {
        "payout_id": payout_id,
        "application_id": f"a-{payout_id}",
        "policy_id": rental_policy()["id"],
        "uscc": uscc,
        "amount_fen": amount_fen,
        "currency": "CNY",
        "bank_reference": "B-1",
    }


async def stats(units: Units) -> dict[str, Any]:
    async with units.read() as unit:
        found = await service.stats(CatalogRepository(unit.session))
    cash = {"code", "cash_transactions", "cash_paid_fen"}  # service items: test_interaction
    return found.model_dump(
        include={
            "cash_transactions": True,
            "by_department": {"__all__": cash},
            "by_district": {"__all__": cash},
        }
    )


async def test_payouts_count_by_department_and_district_and_come_out_once(units: Units) -> None:
    registered = {
        "uscc": KNOWN,
        "name": "Known Ltd",
        "status": "active",
        "district_code": "330106",
        "legal_representative": "330106********0111",
        "employees": 3,
    }
    await hear(units, ENTERPRISE_REGISTERED, registered)
    await hear(units, PAYOUT_COMPLETED, payout("p-1", KNOWN, 3_000_000))
    await hear(units, PAYOUT_COMPLETED, payout("p-2", STRANGER, 1_000_000))
    paid = await stats(units)
    returned = payout("p-1", KNOWN, 3_000_000) | {"reason": "account closed"}
    returned.pop("bank_reference")
    await hear(units, PAYOUT_REVERSED, returned)
    await hear(units, PAYOUT_REVERSED, returned | {"reason": "told again"})
    after = await stats(units)

    assert paid == {
        "cash_transactions": 2,
        "by_department": [{"code": "HZ-HRSS", "cash_transactions": 2, "cash_paid_fen": 4_000_000}],
        "by_district": [
            {"code": "330106", "cash_transactions": 1, "cash_paid_fen": 3_000_000},
            {"code": "unknown", "cash_transactions": 1, "cash_paid_fen": 1_000_000},
        ],
    }
    assert after == {
        "cash_transactions": 1,
        "by_department": [{"code": "HZ-HRSS", "cash_transactions": 1, "cash_paid_fen": 1_000_000}],
        "by_district": [
            {"code": "330106", "cash_transactions": 0, "cash_paid_fen": 0},
            {"code": "unknown", "cash_transactions": 1, "cash_paid_fen": 1_000_000},
        ],
    }


async def test_the_dashboard_lists_the_latest_payouts_and_counts_them_per_minute(
    units: Units,
) -> None:
    now = dt.datetime.now(dt.UTC)
    minute = now.replace(second=0, microsecond=0) - dt.timedelta(minutes=5)
    times = {"p-1": minute + dt.timedelta(seconds=5), "p-2": minute + dt.timedelta(seconds=20)}
    times["p-3"] = minute + dt.timedelta(minutes=3, seconds=1)
    amounts = {"p-1": 3_000_000, "p-2": 1_000_000, "p-3": 500_000}
    for payout_id, at in times.items():
        await hear(units, PAYOUT_COMPLETED, payout(payout_id, STRANGER, amounts[payout_id]), at)
    returned = payout("p-2", STRANGER, 1_000_000) | {"reason": "account closed"}
    returned.pop("bank_reference")
    await hear(units, PAYOUT_REVERSED, returned)  # no longer a payout to show
    async with units.read() as unit:  # the same "now" as above, however long the test took
        found = await service.stats(CatalogRepository(unit.session), now=now)

    latest = [
        (p.paid_at, p.department_code, p.district_code, p.amount_fen) for p in found.latest_payouts
    ]
    assert latest == [
        (times["p-3"], "HZ-HRSS", "unknown", 500_000),
        (times["p-1"], "HZ-HRSS", "unknown", 3_000_000),
    ]
    minutes = {m.minute: (m.payouts, m.paid_fen) for m in found.payouts_per_minute}
    assert len(found.payouts_per_minute) == 30
    assert found.payouts_per_minute[-1].minute == now.replace(second=0, microsecond=0)
    assert {m: v for m, v in minutes.items() if v != (0, 0)} == {
        minute: (1, 3_000_000),
        minute + dt.timedelta(minutes=3): (1, 500_000),
    }
