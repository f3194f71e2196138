"""Events subsidy-svc listens to: a completed payout marks its application paid, a
reversed one marks it reversed, a broken commitment claws back what was paid on it."""

from __future__ import annotations

from qinqing_shared.contracts.events import (
    COMMITMENT_BROKEN,
    PAYOUT_COMPLETED,
    PAYOUT_REVERSED,
    CommitmentEvent,
    PayoutCompleted,
    PayoutReversed,
)
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription, each_in_one
from qinqing_shared.uow import UnitOfWork
from subsidy_svc import service
from subsidy_svc.repository import SubsidyRepository


async def mark_paid(uow: UnitOfWork, event: CloudEvent) -> None:
    payout = PayoutCompleted.model_validate(event.data)
    await service.mark_paid(SubsidyRepository(uow.session), application_id=payout.application_id)


async def mark_reversed(uow: UnitOfWork, event: CloudEvent) -> None:
    payout = PayoutReversed.model_validate(event.data)
    await service.mark_reversed(
        SubsidyRepository(uow.session), application_id=payout.application_id
    )


async def claw_back(uow: UnitOfWork, event: CloudEvent) -> None:
    commitment = CommitmentEvent.model_validate(event.data)
    await service.claw_back(SubsidyRepository(uow.session), uow.outbox, commitment=commitment)


SUBSCRIPTIONS = [
    # an application marked paid: a batch of them is one commit
    Subscription(
        PAYOUT_COMPLETED, "subsidy-svc-paid", mark_paid, batch_handler=each_in_one(mark_paid)
    ),
    Subscription(PAYOUT_REVERSED, "subsidy-svc-reversed", mark_reversed),
    Subscription(COMMITMENT_BROKEN, "subsidy-svc-clawbacks", claw_back),
]
