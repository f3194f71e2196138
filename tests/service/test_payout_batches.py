"""payment-svc pays a batch of payouts at once (the bulk path of proactive runs): each
once per application, as alone, with one bank instruction for the batch."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.service.auth_support import payout_order
from tests.service.payment_support import BANK_CUSTOMER, Payments, payout


async def send(payments: Payments, *payouts: dict[str, Any]) -> httpx.Response:
    """As the gateway, each payout with subsidy-svc's order for exactly it (unless given)."""
    body = [p if "order" in p else p | {"order": payout_order(p)} for p in payouts]
    return await payments.api.post("/payouts/batch", json={"payouts": body})


async def statement(payments: Payments) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = (
        await payments.bank.get("/statement", headers=BANK_CUSTOMER)
    ).json()["lines"]
    return lines


async def test_a_batch_is_paid_each_once_and_sent_again_pays_nothing_more(
    payments: Payments,
) -> None:
    await payments.open_budget("p-batch", 10_000)
    batch = [payout("p-batch", amount) for amount in (1_000, 2_000, 3_000)]
    first = await send(payments, *batch)
    assert first.status_code == 200
    items = first.json()
    assert [(i["application_id"], i["payout"]["status"]) for i in items] == [
        (p["application_id"], "completed") for p in batch
    ]
    again = (await send(payments, *batch)).json()
    assert [i["payout"]["id"] for i in again] == [i["payout"]["id"] for i in items]
    assert sorted(line["amount_fen"] for line in await statement(payments)) == [1_000, 2_000, 3_000]
    budget = await payments.budget("p-batch")
    left = (budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"])
    assert left == (4_000, 0, 6_000)
    assert await payments.balance("enterprise:91330106MA2H00014Q") == 0  # paid on to the bank
    assert await payments.balanced()


async def test_the_payouts_a_batch_cannot_make_are_answered_with_why_and_the_rest_are_made(
    payments: Payments,
) -> None:
    await payments.open_budget("p-some", 5_000)
    fits, too_big = payout("p-some", 4_000), payout("p-some", 4_000)
    no_budget = payout("p-none", 100)
    forged = payout("p-some", 500) | {"order": payout_order(payout("p-some", 50_000))}
    items = (await send(payments, fits, too_big, no_budget, forged)).json()
    assert items[0]["payout"]["status"] == "completed"
    assert [(i["problem"]["status"], i["problem"]["title"]) for i in items[1:]] == [
        (409, "Budget exhausted"),
        (404, "Budget not found"),
        (422, "The payout does not match its order"),
    ]
    assert [i["payout"] for i in items[1:]] == [None, None, None]
    budget = await payments.budget("p-some")
    left = (budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"])
    assert left == (1_000, 0, 4_000)
    assert [line["amount_fen"] for line in await statement(payments)] == [4_000]
    assert await payments.balanced()


async def test_a_batch_the_bank_refuses_is_released_to_the_budget(payments: Payments) -> None:
    await payments.open_budget("p-frozen", 10_000)
    await payments.faults(mode="fail")
    items = (await send(payments, payout("p-frozen", 3_000), payout("p-frozen", 2_000))).json()
    assert [(i["payout"]["status"], i["payout"]["reason"]) for i in items] == [
        ("failed", "account frozen"),
        ("failed", "account frozen"),
    ]
    budget = await payments.budget("p-frozen")
    assert (budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"]) == (10_000, 0, 0)
    assert await payments.balanced()


async def test_a_batch_the_bank_does_not_answer_is_resolved_by_asking_later(
    payments: Payments,
) -> None:
    await payments.open_budget("p-away", 10_000)
    await payments.faults(mode="down")
    batch = [payout("p-away", 1_000), payout("p-away", 2_000)]
    items = (await send(payments, *batch)).json()
    assert [i["payout"]["status"] for i in items] == ["reserved", "reserved"]
    assert (await payments.budget("p-away"))["reserved_fen"] == 3_000
    await payments.faults(mode="none")
    assert await payments.desk.resolve(older_than=0) == 2
    budget = await payments.budget("p-away")
    assert (budget["reserved_fen"], budget["paid_fen"]) == (0, 3_000)
    assert sorted(line["amount_fen"] for line in await statement(payments)) == [1_000, 2_000]


async def test_a_batch_the_bank_settles_late_is_sent_then_settled_on_its_word(
    payments: Payments,
) -> None:
    await payments.open_budget("p-slow", 10_000)
    await payments.faults(mode="late", late_seconds=0.2)
    items = (await send(payments, payout("p-slow", 1_500), payout("p-slow", 500))).json()
    assert [i["payout"]["status"] for i in items] == ["sent", "sent"]
    await payments.faults(mode="none")
    for item in items:  # the bank completes each late; its word is what settles them
        path = f"/payments/{item['payout']['id']}"
        for _ in range(100):
            receipt = (await payments.bank.get(path, headers=BANK_CUSTOMER)).json()
            if receipt["status"] == "completed":
                break
            await asyncio.sleep(0.05)
        assert (await payments.confirm(receipt)).json()["status"] == "completed"
    budget = await payments.budget("p-slow")
    assert (budget["reserved_fen"], budget["paid_fen"]) == (0, 2_000)
    assert await payments.balanced()


async def test_an_application_twice_in_one_batch_is_refused_before_anything_is_made(
    payments: Payments,
) -> None:
    await payments.open_budget("p-dup", 10_000)
    twice = payout("p-dup", 1_000)
    answer = await send(payments, twice, payout("p-dup", 2_000), twice)
    assert answer.status_code == 422
    assert answer.json()["detail"].endswith(
        f"each application once in a batch; twice: {twice['application_id']}"
    )
    assert await statement(payments) == []
    assert (await payments.budget("p-dup"))["remaining_fen"] == 10_000
