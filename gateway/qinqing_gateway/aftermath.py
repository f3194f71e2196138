"""What happens to an application after its answer: clawed back (its commitment broken),
the gateway's view says so, as subsidy-svc does. The stored answer to the request's
Idempotency-Key stays the answer that was given."""

from __future__ import annotations

import datetime as dt

from qinqing_gateway.models import Flow, FlowStatus
from qinqing_shared.contracts.events import APPLICATION_CLAWED_BACK, ApplicationClawedBack
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.uow import UnitOfWork


class FlowNotFinal(Exception):
    """The flow has not given its answer yet: the event comes again."""


async def clawed_back(uow: UnitOfWork, event: CloudEvent) -> None:
    data = ApplicationClawedBack.model_validate(event.data)
    flow = await uow.session.get(Flow, data.application_id, with_for_update=True)
    if flow is None:  # an application the gateway never composed (none today)
        return
    if flow.status in (FlowStatus.RUNNING, FlowStatus.PROCESSING) or flow.result is None:
        raise FlowNotFinal(f"the flow of {flow.application_id} is {flow.status}")
    if flow.status != FlowStatus.PAID:
        return
    flow.status = FlowStatus.CLAWED_BACK
    flow.result = {**flow.result, "status": FlowStatus.CLAWED_BACK.value}
    flow.updated_at = dt.datetime.now(dt.UTC)


SUBSCRIPTIONS = [Subscription(APPLICATION_CLAWED_BACK, "gateway-clawbacks", clawed_back)]
