"""Events payment-svc listens to: an application clawed back (its commitment broken) has
its payout's money demanded back."""

from __future__ import annotations

from payment_svc import clawbacks
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.events import APPLICATION_CLAWED_BACK, ApplicationClawedBack
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.uow import UnitOfWork


async def demand_clawback(uow: UnitOfWork, event: CloudEvent) -> None:
    clawed = ApplicationClawedBack.model_validate(event.data)
    await clawbacks.demand(PaymentRepository(uow.session), uow.outbox, clawed)


SUBSCRIPTIONS = [
    Subscription(APPLICATION_CLAWED_BACK, "payment-svc-clawbacks", demand_clawback),
]
