"""Events catalog-svc listens to: completed payouts move the live figures up, reversed
ones and clawed-back applications down, each payout once (a payout clawed back and then
returned by the bank came out of the figures already)."""

from __future__ import annotations

from catalog_svc import figures
from catalog_svc.repository import CatalogRepository
from qinqing_shared.contracts.events import (
    CLAWBACK_DEMANDED,
    ENTERPRISE_REGISTERED,
    PAYOUT_COMPLETED,
    PAYOUT_REVERSED,
    ClawbackDemanded,
    EnterpriseRegistered,
    PayoutCompleted,
    PayoutReversed,
)
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription, each_in_one
from qinqing_shared.uow import UnitOfWork


async def count_payout(uow: UnitOfWork, event: CloudEvent) -> None:
    payout = PayoutCompleted.model_validate(event.data)
    repo = CatalogRepository(uow.session)
    where = await figures.count(repo, payout.policy_id, payout.uscc, 1, payout.amount_fen)
    await figures.remember(repo, payout.payout_id, event.time, where, payout.amount_fen)


async def keep_district(uow: UnitOfWork, event: CloudEvent) -> None:
    """An enterprise registered (or registered again): its district, for the figures."""
    registered = EnterpriseRegistered.model_validate(event.data)
    await CatalogRepository(uow.session).set_district(registered.uscc, registered.district_code)


async def count_reversal(uow: UnitOfWork, event: CloudEvent) -> None:
    """Money that came back is no longer paid: the live figures go down by it."""
    payout = PayoutReversed.model_validate(event.data)
    await _count_out(uow, payout, "reversed")


async def count_clawback(uow: UnitOfWork, event: CloudEvent) -> None:
    """Money demanded back (a broken commitment) is no longer counted as paid: booked
    by payment-svc only for a payout the bank completed."""
    clawed = ClawbackDemanded.model_validate(event.data)
    await _count_out(uow, clawed, "clawed-back")


async def _count_out(uow: UnitOfWork, payout: PayoutReversed | ClawbackDemanded, why: str) -> None:
    repo = CatalogRepository(uow.session)
    if not await repo.count_out(payout.payout_id, why):
        return  # out of the figures already, by the other news
    await figures.count(repo, payout.policy_id, payout.uscc, -1, -payout.amount_fen)
    await repo.forget_recent(payout.payout_id)  # no longer a payout to show


SUBSCRIPTIONS = [
    # a payout counted, an enterprise's district kept: a batch of them is one commit
    Subscription(
        PAYOUT_COMPLETED, "catalog-svc-stats", count_payout, batch_handler=each_in_one(count_payout)
    ),
    Subscription(PAYOUT_REVERSED, "catalog-svc-stats-reversals", count_reversal),
    Subscription(CLAWBACK_DEMANDED, "catalog-svc-stats-clawbacks", count_clawback),
    Subscription(
        ENTERPRISE_REGISTERED,
        "catalog-svc-districts",
        keep_district,
        batch_handler=each_in_one(keep_district),
    ),
]
