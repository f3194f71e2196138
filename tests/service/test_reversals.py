"""A reversed payout, heard by subsidy-svc and catalog-svc: the application says
``reversed`` and the live figures go down, in whichever order the two events arrive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from catalog_svc.consumers import SUBSCRIPTIONS as CATALOG
from catalog_svc.models import ProcessedEvent as CatalogInbox
from catalog_svc.repository import CatalogRepository
from catalog_svc.service import CASH_PAID_FEN, CASH_TRANSACTIONS
from qinqing_shared.contracts.events import PAYOUT_COMPLETED, PAYOUT_REVERSED
from qinqing_shared.db import Database
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription, handle_once
from qinqing_shared.uow import Units
from subsidy_svc.consumers import SUBSCRIPTIONS as SUBSIDY
from subsidy_svc.models import ApplicationRow
from subsidy_svc.models import ProcessedEvent as SubsidyInbox

AMOUNT = 1_800_000
PAYOUT = {
    "payout_id": "p-1",
    "application_id": "a-1",
    "policy_id": "hz-rental-subsidy-2026",
    "uscc": "91330106MA2H00014Q",
    "amount_fen": AMOUNT,
    "currency": "CNY",
}
COMPLETED = {**PAYOUT, "bank_reference": "BANK-1"}
REVERSED = {**PAYOUT, "reason": "returned by the bank"}


def event(subject: str, data: dict[str, object]) -> CloudEvent:
    return CloudEvent(type=subject, source="/qinqing/payment-svc", subject="a-1", data=data)


def by_subject(subscriptions: list[Subscription]) -> dict[str, Subscription]:
    return {sub.subject: sub for sub in subscriptions}


async def subsidy_status(units: Units) -> str:
    async with units.read() as unit:
        row = await unit.session.get(ApplicationRow, "a-1")
        assert row is not None
        return row.status


async def approved_application(units: Units) -> None:
    now = dt.datetime.now(dt.UTC)
    async with units.write() as uow:
        uow.session.add(
            ApplicationRow(
                id="a-1",
                policy_id=PAYOUT["policy_id"],
                policy_version=1,
                uscc=PAYOUT["uscc"],
                status="approved",
                amount_fen=AMOUNT,
                currency="CNY",
                applied_on=now.date(),
                decision={},
                beneficiaries=[],
                created_at=now,
                updated_at=now,
            )
        )
        await uow.commit()


async def test_a_completed_payout_leaves_the_application_paid(
    service_db: Callable[[str], str],
) -> None:
    db = Database(service_db("subsidy_svc"))
    units, subs = Units(db), by_subject(SUBSIDY)
    try:
        await approved_application(units)
        paid = event(PAYOUT_COMPLETED, COMPLETED)
        assert await handle_once(units, SubsidyInbox, subs[PAYOUT_COMPLETED], paid)
        assert await subsidy_status(units) == "paid"
    finally:
        await db.dispose()


@pytest.mark.parametrize(
    "order", [(PAYOUT_COMPLETED, PAYOUT_REVERSED), (PAYOUT_REVERSED, PAYOUT_COMPLETED)]
)
async def test_a_reversed_payout_leaves_the_application_reversed(
    service_db: Callable[[str], str], order: tuple[str, str]
) -> None:
    db = Database(service_db("subsidy_svc"))
    units, subs = Units(db), by_subject(SUBSIDY)
    try:
        await approved_application(units)
        events = {PAYOUT_COMPLETED: COMPLETED, PAYOUT_REVERSED: REVERSED}
        for subject in order:
            assert await handle_once(
                units, SubsidyInbox, subs[subject], event(subject, events[subject])
            )
        assert await subsidy_status(units) == "reversed"
    finally:
        await db.dispose()


async def test_a_reversed_payout_takes_its_money_out_of_the_live_figures(
    service_db: Callable[[str], str],
) -> None:
    db = Database(service_db("catalog_svc"))
    units, subs = Units(db), by_subject(CATALOG)

    async def figures() -> tuple[int, int]:
        async with units.read() as unit:
            repo = CatalogRepository(unit.session)
            return await repo.counter(CASH_TRANSACTIONS), await repo.counter(CASH_PAID_FEN)

    try:
        before = await figures()
        paid = event(PAYOUT_COMPLETED, COMPLETED)
        await handle_once(units, CatalogInbox, subs[PAYOUT_COMPLETED], paid)
        after_paid = await figures()
        reversed_ = event(PAYOUT_REVERSED, REVERSED)
        await handle_once(units, CatalogInbox, subs[PAYOUT_REVERSED], reversed_)
        again = await handle_once(units, CatalogInbox, subs[PAYOUT_REVERSED], reversed_)
        after_reversed = await figures()
    finally:
        await db.dispose()
    assert after_paid == (before[0] + 1, before[1] + AMOUNT)
    assert after_reversed == before
    assert again is False  # the same reversal heard twice counts once
