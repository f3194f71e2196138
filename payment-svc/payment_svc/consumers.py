"""Events payment-svc listens to: an application clawed back (its commitment broken) has
its payout's money demanded back; a policy version published opens or tops up its
budget."""

from __future__ import annotations

from payment_svc import budgets, clawbacks
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.events import (
    APPLICATION_CLAWED_BACK,
    POLICY_PUBLISHED,
    ApplicationClawedBack,
)
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.uow import UnitOfWork


async def demand_clawback(uow: UnitOfWork, event: CloudEvent) -> None:
    clawed = ApplicationClawedBack.model_validate(event.data)
    await clawbacks.demand(PaymentRepository(uow.session), uow.outbox, clawed)


async def fund_policy(uow: UnitOfWork, event: CloudEvent) -> None:
    policy = Policy.model_validate(event.data)
    await budgets.fund_policy(PaymentRepository(uow.session), uow.outbox, policy)


SUBSCRIPTIONS = [
    Subscription(POLICY_PUBLISHED, "payment-svc-budgets", fund_policy),
    Subscription(APPLICATION_CLAWED_BACK, "payment-svc-clawbacks", demand_clawback),
]
