"""Publishing a policy version funds its budget through the ledger (payment-svc hears
catalog-svc's event): opened with the version's budget, topped up by a larger one,
never lowered, each once however often the news comes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from payment_svc.consumers import SUBSCRIPTIONS
from payment_svc.models import OutboxEvent
from payment_svc.models import ProcessedEvent as PaymentInbox
from qinqing_devtools.demo import rental_policy
from qinqing_shared.contracts.events import BUDGET_EXHAUSTED, POLICY_PUBLISHED
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import handle_once
from tests.service.payment_support import Payments, payout

POLICY = "p-funded"
PAYMENT_AUDIT = "qinqing.payment.audit.recorded.v1"
FUNDS = "funding:HZ-HRSS"


def published(version: int, budget_fen: int) -> CloudEvent:
    policy = rental_policy() | {"id": POLICY, "version": version, "budget_fen": budget_fen}
    return CloudEvent(
        type=POLICY_PUBLISHED, source="/qinqing/catalog-svc", subject=POLICY, data=policy
    )


async def hear(payments: Payments, event: CloudEvent) -> bool:
    sub = next(s for s in SUBSCRIPTIONS if s.subject == POLICY_PUBLISHED)
    return await handle_once(payments.app.state.runtime.units, PaymentInbox, sub, event)


async def funded_audits(payments: Payments) -> list[str]:
    """The versions whose publication moved money into the budget, as audited."""
    async with payments.app.state.runtime.units.read() as unit:
        query = select(OutboxEvent).where(OutboxEvent.subject == PAYMENT_AUDIT)
        rows = (await unit.session.scalars(query.order_by(OutboxEvent.seq))).all()
    return [
        r.data["object_id"]
        for r in rows
        if (r.data["actor"], r.data["action"]) == ("payment-svc", "budget.funded")
    ]


def figures(budget: dict[str, Any]) -> tuple[int, int, int]:
    return budget["funded_fen"], budget["remaining_fen"], budget["paid_fen"]


async def test_a_published_version_opens_then_tops_up_its_budget(payments: Payments) -> None:
    first = published(1, 1_000)
    assert await hear(payments, first)
    assert not await hear(payments, first), "the same event is handled once"
    opened = await payments.budget(POLICY)
    assert await hear(payments, published(2, 1_500))
    assert await hear(payments, published(2, 1_500))  # the same news under another id
    topped = await payments.budget(POLICY)
    assert await hear(payments, published(3, 700))
    kept = await payments.budget(POLICY)

    assert figures(opened) == (1_000, 1_000, 0)
    assert figures(topped) == (1_500, 1_500, 0)
    assert figures(kept) == (1_500, 1_500, 0), "a smaller budget takes nothing back"
    assert await funded_audits(payments) == [f"{POLICY}@1", f"{POLICY}@2"]  # money moved
    assert await payments.balance(f"budget:{POLICY}") == 1_500
    assert await payments.balance(FUNDS) == -1_500
    assert await payments.balanced()


async def test_a_top_up_adds_to_what_is_left_and_an_exhausted_budget_pays_again(
    payments: Payments,
) -> None:
    await payments.open_budget(POLICY, 1_000)  # the department opened it by hand first
    assert await hear(payments, published(1, 1_000))
    spent = await payments.pay(payout_of(1_000))
    refused = await payments.pay(payout_of(500))
    assert await hear(payments, published(2, 1_600))
    paid_again = await payments.pay(payout_of(500))
    budget = await payments.budget(POLICY)
    exhausted_again = await payments.pay(payout_of(500))

    assert spent.status_code == 200
    assert refused.json()["type"] == "urn:qinqing:problem:budget-exhausted"
    assert paid_again.status_code == 200, paid_again.text
    assert figures(budget) == (1_600, 100, 1_500)
    assert await funded_audits(payments) == [f"{POLICY}@2"], "opened by its department"
    assert exhausted_again.status_code == 409
    assert await payments.events(BUDGET_EXHAUSTED) == 2, "told again after the top-up"
    assert await payments.balanced()


def payout_of(amount_fen: int) -> dict[str, Any]:
    return payout(POLICY, amount_fen)
