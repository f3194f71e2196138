"""What an enterprise owes back is set off against its next payout, and what it repaid
for a payout the bank then returned is refunded through the bank: payment-svc and its
sandbox bank on a real database, the ledger and reconciliation checked after each."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from payment_svc.consumers import SUBSCRIPTIONS as PAYMENT
from payment_svc.models import ProcessedEvent as PaymentInbox
from qinqing_shared.contracts.events import (
    APPLICATION_CLAWED_BACK,
    CLAWBACK_REOPENED,
    CLAWBACK_REPAID,
    PAYOUT_COMPLETED,
    REFUND_COMPLETED,
    REFUND_FAILED,
)
from qinqing_shared.inbox import handle_once
from tests.service.auth_support import as_operator
from tests.service.payment_support import BANK_CUSTOMER, Payments, payout
from tests.service.test_clawbacks import (
    AMOUNT,
    USCC,
    audited,
    by_subject,
    clawed,
    event,
    moves,
    outbox_of,
    paid_in,
)
from tests.service.test_reconciliation import clean_stream, report

__all__ = ["clean_stream"]  # the fixture, used by name below
PAYER = "6299000000001"  # the account the enterprise repaid from (paid_in)


async def owing(payments: Payments, amount: int) -> dict[str, Any]:
    """A payout of ``amount`` made and clawed back: the enterprise owes it; the demand."""
    request = payout("p-claw", amount)
    assert (await payments.pay(request)).json()["status"] == "completed"
    news = clawed(request["application_id"]) | {"amount_fen": amount}
    message = event(APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", news)
    runtime = payments.app.state.runtime
    assert await handle_once(
        runtime.units, PaymentInbox, by_subject(PAYMENT)[message.type], message
    )
    return await demand(payments, request["application_id"])


async def demand(payments: Payments, application_id: str) -> dict[str, Any]:
    listed = await payments.api.get(f"/enterprises/{USCC}/clawbacks", headers=as_operator())
    (found,) = [d for d in listed.json() if d["application_id"] == application_id]
    return found  # type: ignore[no-any-return]


async def bank_lines(payments: Payments) -> dict[str, int]:
    lines = (await payments.bank.get("/statement", headers=BANK_CUSTOMER)).json()["lines"]
    return {line["instruction_id"]: line["amount_fen"] for line in lines}


async def budget_of(payments: Payments) -> tuple[int, int, int]:
    budget = await payments.budget("p-claw")
    return budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"]


async def reverse(payments: Payments, application_id: str, key: str) -> dict[str, Any]:
    path = f"/payouts/{application_id}/reversal"
    headers = as_operator() | {"Idempotency-Key": key}
    answer = await payments.api.post(path, json={"reason": "account closed"}, headers=headers)
    assert answer.status_code == 200
    return answer.json()  # type: ignore[no-any-return]


async def test_what_an_enterprise_owes_is_set_off_against_its_next_payout(
    clean_stream: None, payments: Payments
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    request = payout("p-claw", 3 * AMOUNT)

    paid = (await payments.pay(request)).json()

    assert (paid["status"], paid["amount_fen"], paid["offset_fen"]) == (
        "completed",
        3 * AMOUNT,
        AMOUNT,
    )
    assert (await bank_lines(payments))[paid["id"]] == 2 * AMOUNT  # the bank paid the rest
    settled = await demand(payments, owed["application_id"])
    assert (settled["status"], settled["repaid_fen"], settled["offset_held_fen"]) == (
        "repaid",
        AMOUNT,
        0,
    )
    repaid = await outbox_of(payments, CLAWBACK_REPAID)
    assert [data["transfer_id"] for _, data in repaid] == [f"offset:{paid['id']}:{owed['id'][:8]}"]
    completed = [data for _, data in await outbox_of(payments, PAYOUT_COMPLETED)]
    assert [(e["amount_fen"], e["offset_fen"]) for e in completed] == [
        (AMOUNT, 0),
        (3 * AMOUNT, AMOUNT),
    ]
    assert await moves(payments, request["application_id"]) == [
        "reservation",
        "payout",
        "settlement",
    ]
    assert (await moves(payments, owed["application_id"]))[-2:] == ["offset", "recovered"]
    for account in (f"receivable:{USCC}", "recovery:p-claw", f"enterprise:{USCC}"):
        assert await payments.balance(account) == 0
    assert await budget_of(payments) == (7 * AMOUNT, 0, 3 * AMOUNT)  # the first one came back
    assert await payments.balanced()
    assert await report(payments) == set()


async def test_a_payout_smaller_than_what_is_owed_is_set_off_whole_without_the_bank(
    clean_stream: None, payments: Payments
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, 3 * AMOUNT)

    paid = (await payments.pay(payout("p-claw", AMOUNT))).json()

    assert (paid["status"], paid["offset_fen"], paid["bank_reference"]) == (
        "completed",
        AMOUNT,
        f"offset:{paid['id']}",
    )
    assert paid["id"] not in await bank_lines(payments)  # nothing for the bank to pay
    part = await demand(payments, owed["application_id"])
    assert (part["status"], part["repaid_fen"]) == ("partly_repaid", AMOUNT)
    too_much = await payments.from_bank("/bank/incoming", paid_in(owed["id"], 3 * AMOUNT))
    assert (too_much.status_code, too_much.json()["detail"]) == (
        422,
        f"Clawback {owed['id']} has {2 * AMOUNT} fen in CNY still owed; {3 * AMOUNT} in CNY "
        "was paid (more than is owed is not taken).",
    )
    rest = await payments.from_bank("/bank/incoming", paid_in(owed["id"], 2 * AMOUNT))
    assert (rest.json()["status"], rest.json()["repaid_fen"]) == ("repaid", 3 * AMOUNT)
    assert await payments.balance(f"receivable:{USCC}") == 0
    assert await budget_of(payments) == (9 * AMOUNT, 0, AMOUNT)
    assert await payments.balanced()
    assert await report(payments) == set()


async def test_an_offset_is_held_while_the_bank_pays_and_released_when_it_refuses(
    payments: Payments,
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    await payments.faults(mode="late", late_seconds=1)
    waiting = await payments.pay(payout("p-claw", 2 * AMOUNT))
    assert (waiting.status_code, waiting.json()["offset_fen"]) == (202, AMOUNT)
    held = await demand(payments, owed["application_id"])
    assert (held["status"], held["offset_held_fen"]) == ("demanded", AMOUNT)
    repaid_meanwhile = await payments.from_bank("/bank/incoming", paid_in(owed["id"], 1))
    assert repaid_meanwhile.json()["detail"] == (
        f"Clawback {owed['id']} has 0 fen in CNY still owed ({AMOUNT} fen more are being set "
        "off against a payout); 1 in CNY was paid (more than is owed is not taken)."
    )

    await payments.faults(mode="fail")
    refused = (await payments.pay(payout("p-claw", 2 * AMOUNT))).json()

    assert (refused["status"], refused["offset_fen"]) == ("failed", 0)  # all held elsewhere
    await payments.faults(mode="none")
    paid = (await payments.pay(payout("p-claw", AMOUNT))).json()
    assert (paid["status"], paid["offset_fen"]) == ("completed", 0)  # still held: paid whole
    assert (await demand(payments, owed["application_id"]))["offset_held_fen"] == AMOUNT
    await asyncio.sleep(1.5)  # the bank pays the first one late; the desk asks
    await payments.desk.resolve(older_than=0)
    taken = await demand(payments, owed["application_id"])
    assert (taken["status"], taken["repaid_fen"], taken["offset_held_fen"]) == ("repaid", AMOUNT, 0)
    assert await payments.balanced()


async def test_an_offset_the_bank_refuses_is_released(payments: Payments) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    await payments.faults(mode="fail")

    refused = (await payments.pay(payout("p-claw", 2 * AMOUNT))).json()

    assert (refused["status"], refused["offset_fen"]) == ("failed", AMOUNT)
    free = await demand(payments, owed["application_id"])
    assert (free["status"], free["repaid_fen"], free["offset_held_fen"]) == ("demanded", 0, 0)
    assert await payments.balance(f"receivable:{USCC}") == -AMOUNT
    assert await budget_of(payments) == (9 * AMOUNT, 0, AMOUNT)  # the refused one released
    assert await payments.balanced()


async def test_an_offset_whose_payout_the_bank_returns_is_owed_again(
    clean_stream: None, payments: Payments
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    request = payout("p-claw", 2 * AMOUNT)
    paid = (await payments.pay(request)).json()
    assert (await demand(payments, owed["application_id"]))["status"] == "repaid"

    returned = await reverse(payments, request["application_id"], "ret-offset")

    assert returned["status"] == "reversed"
    again = await demand(payments, owed["application_id"])
    assert (again["status"], again["repaid_fen"], again["settled_at"]) == ("demanded", 0, None)
    assert [data for _, data in await outbox_of(payments, CLAWBACK_REOPENED)] == [
        {
            "clawback_id": owed["id"],
            "application_id": owed["application_id"],
            "policy_id": "p-claw",
            "uscc": USCC,
            "amount_fen": AMOUNT,
            "currency": "CNY",
            "repaid_fen": 0,
            "payout_id": paid["id"],
        }
    ]
    assert (await audited(payments))[-2][1] == "clawback.reopened"
    assert await payments.balance(f"receivable:{USCC}") == -AMOUNT
    assert await payments.balance("recovery:p-claw") == AMOUNT
    assert await payments.balance(f"enterprise:{USCC}") == 0
    assert await budget_of(payments) == (9 * AMOUNT, 0, AMOUNT)  # as before the second one
    assert await payments.balanced()
    assert await report(payments) == set()
    repaid = await payments.from_bank("/bank/incoming", paid_in(owed["id"], AMOUNT))
    assert repaid.json()["status"] == "repaid"  # owed again, and repaid by the bank


async def refunds_of(payments: Payments) -> list[dict[str, Any]]:
    answer = await payments.api.get(f"/enterprises/{USCC}/refunds", headers=as_operator())
    assert answer.status_code == 200
    return answer.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("bank", ["pays", "refuses"])
async def test_what_was_repaid_for_a_payout_the_bank_returned_is_refunded_through_the_bank(
    clean_stream: None, payments: Payments, bank: str
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    part = await payments.from_bank("/bank/incoming", paid_in(owed["id"], AMOUNT // 4))
    assert part.json()["status"] == "partly_repaid"
    await reverse(payments, owed["application_id"], "ret-refund")
    (due,) = await refunds_of(payments)
    assert (due["status"], due["amount_fen"], due["account_no"], due["repayment_id"]) == (
        "due",
        AMOUNT // 4,
        "*********0001",
        "IN-1",
    )
    assert await payments.balance(f"enterprise:{USCC}") == AMOUNT // 4  # owed back
    if bank == "refuses":
        await payments.faults(mode="fail")

    assert await payments.app.state.runtime.jobs().run_due() == 1

    (refund,) = await refunds_of(payments)
    subject = REFUND_COMPLETED if bank == "pays" else REFUND_FAILED
    told = [data for _, data in await outbox_of(payments, subject)]
    if bank == "pays":
        assert (refund["status"], refund["reason"]) == ("completed", None)
        assert (await bank_lines(payments))[refund["id"]] == AMOUNT // 4
        assert await payments.balance(f"enterprise:{USCC}") == 0
    else:
        assert (refund["status"], refund["reason"]) == ("failed", "account frozen")
        assert await payments.balance(f"enterprise:{USCC}") == AMOUNT // 4  # still owed
    assert told == [
        {
            "refund_id": refund["id"],
            "clawback_id": owed["id"],
            "application_id": owed["application_id"],
            "uscc": USCC,
            "amount_fen": AMOUNT // 4,
            "currency": "CNY",
            "reason": refund["reason"],
        }
    ]
    assert (await audited(payments))[-1][1:4] == (
        f"refund.{refund['status']}",
        "refund",
        refund["id"],
    )
    assert await payments.app.state.runtime.jobs().run_due() == 0  # settled: not sent again
    assert await payments.balanced()
    assert await report(payments) == set()


async def test_a_repayment_in_full_is_refunded_whole_and_the_banks_callback_is_heard(
    payments: Payments,
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    for n, amount in enumerate((AMOUNT // 2, AMOUNT // 2)):
        await payments.from_bank("/bank/incoming", paid_in(owed["id"], amount, f"IN-{n}"))
    await payments.faults(mode="late", late_seconds=0.5)
    await reverse(payments, owed["application_id"], "ret-whole")
    owed_back = sorted((r["repayment_id"], r["amount_fen"]) for r in await refunds_of(payments))
    assert owed_back == [("IN-0", AMOUNT // 2), ("IN-1", AMOUNT // 2)]
    assert await payments.app.state.runtime.jobs().run_due() == 2
    sent = await refunds_of(payments)
    assert [r["status"] for r in sent] == ["sent", "sent"]  # the bank has not paid yet
    await asyncio.sleep(1)  # the bank pays them late
    for refund in sent:  # and says so
        told = {"instruction_id": refund["id"], "reference": "SB", "status": "completed"}
        heard = await payments.confirm(told)
        assert (heard.status_code, heard.json()["id"], heard.json()["status"]) == (
            200,
            refund["id"],
            "completed",
        )
    assert await payments.balance(f"enterprise:{USCC}") == 0
    unknown = await payments.confirm(
        {"instruction_id": "nothing", "reference": None, "status": "completed"}
    )
    assert (unknown.status_code, unknown.json()["type"]) == (
        404,
        "urn:qinqing:problem:payout-not-found",
    )
