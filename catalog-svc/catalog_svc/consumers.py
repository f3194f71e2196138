"""Events catalog-svc listens to: completed payouts move the live figures up, reversed
ones and clawed-back applications down, each payout once (a payout clawed back and then
returned by the bank came out of the figures already)."""

from __future__ import annotations

from catalog_svc.repository import CatalogRepository
from catalog_svc.service import CASH_PAID_FEN, CASH_TRANSACTIONS
from qinqing_shared.contracts.events import (
    CLAWBACK_DEMANDED,
    PAYOUT_COMPLETED,
    PAYOUT_REVERSED,
    ClawbackDemanded,
    PayoutCompleted,
    PayoutReversed,
)
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.uow import UnitOfWork


async def count_payout(uow: UnitOfWork, event: CloudEvent) -> None:
    payout = PayoutCompleted.model_validate(event.data)
    repo = CatalogRepository(uow.session)
    await repo.add_to_counter(CASH_TRANSACTIONS, 1)
    await repo.add_to_counter(CASH_PAID_FEN, payout.amount_fen)


async def count_reversal(uow: UnitOfWork, event: CloudEvent) -> None:
    """Money that came back is no longer paid: the live figures go down by it."""
    payout = PayoutReversed.model_validate(event.data)
    await _count_out(uow, payout.payout_id, payout.amount_fen, "reversed")


async def count_clawback(uow: UnitOfWork, event: CloudEvent) -> None:
    """Money demanded back (a broken commitment) is no longer counted as paid: booked
    by payment-svc only for a payout the bank completed."""
    clawed = ClawbackDemanded.model_validate(event.data)
    await _count_out(uow, clawed.payout_id, clawed.amount_fen, "clawed-back")


async def _count_out(uow: UnitOfWork, payout_id: str, amount_fen: int, why: str) -> None:
    repo = CatalogRepository(uow.session)
    if not await repo.count_out(payout_id, why):
        return  # out of the figures already, by the other news
    await repo.add_to_counter(CASH_TRANSACTIONS, -1)
    await repo.add_to_counter(CASH_PAID_FEN, -amount_fen)


SUBSCRIPTIONS = [
    Subscription(PAYOUT_COMPLETED, "catalog-svc-stats", count_payout),
    Subscription(PAYOUT_REVERSED, "catalog-svc-stats-reversals", count_reversal),
    Subscription(CLAWBACK_DEMANDED, "catalog-svc-stats-clawbacks", count_clawback),
]
