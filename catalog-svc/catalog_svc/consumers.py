"""Events catalog-svc listens to: completed payouts move the live figures."""

from __future__ import annotations

from catalog_svc.repository import CatalogRepository
from catalog_svc.service import CASH_PAID_FEN, CASH_TRANSACTIONS
from qinqing_shared.contracts.events import PAYOUT_COMPLETED, PayoutCompleted
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.uow import UnitOfWork


async def count_payout(uow: UnitOfWork, event: CloudEvent) -> None:
    payout = PayoutCompleted.model_validate(event.data)
    repo = CatalogRepository(uow.session)
    await repo.add_to_counter(CASH_TRANSACTIONS, 1)
    await repo.add_to_counter(CASH_PAID_FEN, payout.amount_fen)


SUBSCRIPTIONS = [Subscription(PAYOUT_COMPLETED, "catalog-svc-stats", count_payout)]
