"""What happens to an application after its answer: clawed back (its commitment broken),
the gateway's view says so, as subsidy-svc does, and the application's receipt is signed
again for what it now is. The stored answer to the request's Idempotency-Key stays the
answer that was given (with the receipt of the payout, which stays valid proof of it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from qinqing_gateway.models import Flow, FlowStatus
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.schemas import ClawbackView
from qinqing_shared.contracts.events import APPLICATION_CLAWED_BACK, ApplicationClawedBack
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.uow import UnitOfWork


class FlowNotFinal(Exception):
    """The flow has not given its answer yet: the event comes again."""


class Aftermath:
    """Keeps a final flow's view true to what happened to the application since."""

    def __init__(self, receipts: ReceiptDesk) -> None:
        self.receipts = receipts

    async def clawed_back(self, uow: UnitOfWork, event: CloudEvent) -> None:
        data = ApplicationClawedBack.model_validate(event.data)
        flow = await uow.session.get(Flow, data.application_id, with_for_update=True)
        if flow is None:  # an application the gateway never composed (none today)
            return
        if flow.status in (FlowStatus.RUNNING, FlowStatus.PROCESSING) or flow.result is None:
            raise FlowNotFinal(f"the flow of {flow.application_id} is {flow.status}")
        if flow.status != FlowStatus.PAID:
            return
        flow.status = FlowStatus.CLAWED_BACK
        flow.result = self.clawed_back_view(flow.result, data, event.time)
        flow.updated_at = dt.datetime.now(dt.UTC)

    def clawed_back_view(
        self, paid: dict[str, Any], data: ApplicationClawedBack, at: dt.datetime
    ) -> dict[str, Any]:
        """The paid view, clawed back: the clawback named, and a receipt that says so."""
        clawback = ClawbackView(
            commitment_id=data.commitment_id,
            reason=data.reason,
            amount_fen=data.amount_fen,
            clawed_back_at=at,
        )
        view = paid | {
            "status": FlowStatus.CLAWED_BACK.value,
            "clawback": clawback.model_dump(mode="json"),
        }
        return view | {"receipt": self.receipts.receipt(view)}

    def subscriptions(self) -> list[Subscription]:
        return [Subscription(APPLICATION_CLAWED_BACK, "gateway-clawbacks", self.clawed_back)]
