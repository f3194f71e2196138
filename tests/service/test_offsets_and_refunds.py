"""What an enterprise owes back is set off against its next payout, and what it repaid
for a payout the bank then returned is refunded through the bank: payment-svc and its
sandbox bank on a real database, the ledger and reconciliation checked after each."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from payment_svc.consumers import SUBSCRIPTIONS as PAYMENT
from payment_svc.models import Job
from payment_svc.models import ProcessedEvent as PaymentInbox
from qinqing_shared.contracts.events import (
    APPLICATION_CLAWED_BACK,
    CLAWBACK_REOPENED,
    CLAWBACK_REPAID,
    PAYOUT_COMPLETED,
    REFUND_COMPLETED,
    REFUND_FAILED,
)
from qinqing_shared.db import as_utc
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
from tests.service.test_payout_batches import send
from tests.service.test_reconciliation import clean_stream, report

__all__ = ["clean_stream"]  # the fixture, used by name below
PAYER = "6299000000001"  # the account the enterprise repaid from (paid_in)
LATER = "2026-12-01T08:00:00+00:00"  # a repayment received after the others of a test


async def owing(payments: Payments, amount: int) -> dict[str, Any]:
    """A payout of ``amount`` made and clawed back: the enterprise owes it; the demand."""
    (owed,) = await owing_each(payments, amount)
    return owed


async def owing_each(payments: Payments, *amounts: int) -> list[dict[str, Any]]:
    """Payouts of ``amounts`` all made, then each clawed back (were one clawed back
    before the next is paid, the next would be set off against it): the demands."""
    requests = [payout("p-claw", amount) for amount in amounts]
    for request in requests:
        assert (await payments.pay(request)).json()["status"] == "completed"
    return [await claw_back(payments, request) for request in requests]


async def claw_back(payments: Payments, request: dict[str, Any]) -> dict[str, Any]:
    """subsidy-svc's news that the paid application is clawed back: the demand."""
    news = clawed(request["application_id"]) | {"amount_fen": request["amount_fen"]}
    message = event(APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", news)
    handler = by_subject(PAYMENT)[message.type]
    assert await handle_once(payments.app.state.runtime.units, PaymentInbox, handler, message)
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
    assert await refunds_of(payments) == []
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

    runtime = payments.app.state.runtime
    assert await runtime.jobs().run_due() == 1

    (refund,) = await refunds_of(payments)
    async with runtime.units.read() as unit:
        job = await unit.session.scalar(select(Job).where(Job.key == refund["id"]))
    assert (job is not None and job.state, refund["settled_at"] is not None) == ("done", True)
    subject = REFUND_COMPLETED if bank == "pays" else REFUND_FAILED
    told_keys = [key for key, _ in await outbox_of(payments, subject)]
    assert told_keys == [refund["id"]]
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


async def test_two_demands_are_set_off_oldest_first_for_what_each_still_owes(
    payments: Payments,
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    first, second = await owing_each(payments, AMOUNT, AMOUNT)
    part = await payments.from_bank("/bank/incoming", paid_in(first["id"], AMOUNT // 4))
    assert part.json()["repaid_fen"] == AMOUNT // 4

    paid = (await payments.pay(payout("p-claw", 3 * AMOUNT))).json()

    assert (paid["offset_fen"], (await bank_lines(payments))[paid["id"]]) == (
        AMOUNT * 7 // 4,
        AMOUNT * 5 // 4,
    )
    for demand_ in (first, second):
        settled = await demand(payments, demand_["application_id"])
        assert (settled["status"], settled["repaid_fen"]) == ("repaid", AMOUNT)
    assert await payments.balance(f"receivable:{USCC}") == 0
    assert await refunds_of(payments) == []  # nothing set off beyond what was owed
    assert await payments.balanced()


async def test_a_demand_held_in_full_leaves_the_next_payout_to_the_next_demand(
    payments: Payments,
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    early, later = payout("p-claw", AMOUNT), payout("p-claw", AMOUNT)
    for request in (early, later):
        assert (await payments.pay(request)).json()["status"] == "completed"
    first = await claw_back(payments, early)
    await payments.faults(mode="late", late_seconds=30)
    held = await payments.pay(payout("p-claw", 2 * AMOUNT))  # holds all of the first
    assert (held.status_code, held.json()["offset_fen"]) == (202, AMOUNT)  # the rest: late
    second = await claw_back(payments, later)  # owed after the first was held
    await payments.faults(mode="none")

    paid = (await payments.pay(payout("p-claw", AMOUNT))).json()

    assert (paid["status"], paid["offset_fen"]) == ("completed", AMOUNT)
    assert (await demand(payments, second["application_id"]))["status"] == "repaid"
    assert (await demand(payments, first["application_id"]))["offset_held_fen"] == AMOUNT


async def test_an_undone_offset_reopens_what_the_bank_had_repaid_before(
    payments: Payments,
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    await payments.from_bank("/bank/incoming", paid_in(owed["id"], AMOUNT // 4))
    request = payout("p-claw", 2 * AMOUNT)
    assert (await payments.pay(request)).json()["offset_fen"] == AMOUNT * 3 // 4

    await reverse(payments, request["application_id"], "ret-part")

    again = await demand(payments, owed["application_id"])
    assert (again["status"], again["repaid_fen"]) == ("partly_repaid", AMOUNT // 4)
    (reopened,) = await outbox_of(payments, CLAWBACK_REOPENED)
    assert (reopened[0], reopened[1]["repaid_fen"]) == (owed["application_id"], AMOUNT // 4)
    kinds = await moves(payments, owed["application_id"])
    assert kinds[-4:] == ["offset", "recovered", "offset-undone", "recovery-undone"]
    assert await payments.balance(f"receivable:{USCC}") == -(AMOUNT * 3 // 4)
    assert await payments.balanced()


async def test_each_repayment_goes_back_where_it_came_from(
    clean_stream: None, payments: Payments
) -> None:
    """Repaid half by the bank and half set off against a payout, then the clawed-back
    payout came back: each half is refunded to its own account."""
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, 2 * AMOUNT)
    await payments.from_bank("/bank/incoming", paid_in(owed["id"], AMOUNT))
    other_account = {"bank": "Bank of Hangzhou", "account_no": "62170001339999"}
    setting_off = (await payments.pay(payout("p-claw", AMOUNT) | {"payee": other_account})).json()
    assert (
        setting_off["offset_fen"],
        (await demand(payments, owed["application_id"]))["status"],
    ) == (
        AMOUNT,
        "repaid",
    )

    returned = await reverse(payments, owed["application_id"], "ret-both")

    owed_back = {
        r["repayment_id"]: (r["account_no"], r["amount_fen"]) for r in await refunds_of(payments)
    }
    assert (
        owed_back
        == {
            "IN-1": ("*********0001", AMOUNT),  # the enterprise's own transfer, to its account
            f"offset:{setting_off['id']}:{owed['id'][:8]}": ("**********9999", AMOUNT),  # its own
        }
    )
    assert await payments.balance(f"enterprise:{USCC}") == 2 * AMOUNT
    assert await payments.app.state.runtime.jobs().run_due() == 2
    assert [r["status"] for r in await refunds_of(payments)] == ["completed", "completed"]
    assert await payments.balance(f"enterprise:{USCC}") == 0
    assert returned["status"] == "reversed"
    assert await payments.balanced()
    assert await report(payments) == set()


async def test_an_offset_undone_is_not_refunded_when_the_demand_is_settled_by_a_return(
    payments: Payments,
) -> None:
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    request = payout("p-claw", AMOUNT)
    assert (await payments.pay(request)).json()["offset_fen"] == AMOUNT
    await reverse(payments, request["application_id"], "ret-offset-first")  # undone
    assert (await demand(payments, owed["application_id"]))["status"] == "demanded"
    later = paid_in(owed["id"], AMOUNT // 2, "IN-LATER") | {"received_at": LATER}
    await payments.from_bank("/bank/incoming", later)  # repaid in part by the bank since

    await reverse(payments, owed["application_id"], "ret-clawed")  # settles the demand

    settled = await demand(payments, owed["application_id"])
    assert (settled["status"], settled["repaid_fen"]) == ("repaid", AMOUNT)
    owed_back = [(r["repayment_id"], r["amount_fen"]) for r in await refunds_of(payments)]
    assert owed_back == [("IN-LATER", AMOUNT // 2)]  # the bank's part: the offset was undone
    (told,) = [data for _, data in await outbox_of(payments, CLAWBACK_REPAID)][-1:]
    clawed = (await payments.api.get(f"/payouts/{owed['application_id']}")).json()
    assert told["transfer_id"] == f"return:{clawed['id']}"
    assert (await audited(payments))[-2][1] == "clawback.repaid-by-return"
    assert await payments.balance(f"enterprise:{USCC}") == AMOUNT // 2  # owed back
    assert await payments.balanced()


async def refunded_back(payments: Payments, key: str) -> dict[str, Any]:
    """A demand repaid in full by the bank, then its payout returned: owed back."""
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    await payments.from_bank("/bank/incoming", paid_in(owed["id"], AMOUNT))
    await reverse(payments, owed["application_id"], key)
    return owed


async def test_a_refund_the_bank_has_not_settled_is_asked_again_in_30_seconds(
    payments: Payments,
) -> None:
    await refunded_back(payments, "ret-late")
    await payments.faults(mode="late", late_seconds=30)
    runtime = payments.app.state.runtime

    assert await runtime.jobs().run_due() == 1

    (sent,) = await refunds_of(payments)
    async with runtime.units.read() as unit:
        job = await unit.session.scalar(select(Job).where(Job.key == sent["id"]))
    assert job is not None
    assert (sent["status"], sent["settled_at"], job.state) == ("sent", None, "pending")
    later = as_utc(job.due_at) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(seconds=20) < later <= dt.timedelta(seconds=30)
    assert await payments.balance(f"enterprise:{USCC}") == AMOUNT  # still owed


async def test_a_refund_the_bank_returns_is_owed_again(
    clean_stream: None, payments: Payments
) -> None:
    owed = await refunded_back(payments, "ret-returned")
    await payments.faults(mode="returned", late_seconds=0.3)
    assert await payments.app.state.runtime.jobs().run_due() == 1
    (paid,) = await refunds_of(payments)
    assert (paid["status"], paid["settled_at"] is not None) == ("completed", True)
    assert await payments.balance(f"enterprise:{USCC}") == 0
    await asyncio.sleep(1)  # the bank returns it (the account was closed), and says so

    told = {"instruction_id": paid["id"], "reference": None, "status": "failed"}
    heard = await payments.confirm(told)

    assert (heard.status_code, heard.json()["status"], heard.json()["reason"]) == (
        200,
        "returned",
        "account closed",
    )
    assert await payments.balance(f"enterprise:{USCC}") == AMOUNT  # owed to it again
    again = await payments.confirm(told)  # the bank tells it again: nothing moves
    assert (again.json()["status"], again.json()["settled_at"] is not None) == ("returned", True)
    assert await payments.balance(f"enterprise:{USCC}") == AMOUNT
    assert await moves(payments, paid["id"]) == ["refund", "refund-returned"]
    failed = await outbox_of(payments, REFUND_FAILED)
    assert [(key, data["reason"]) for key, data in failed] == [(paid["id"], "account closed")]
    assert (await audited(payments))[-1] == (
        "payment-svc",
        "refund.returned",
        "refund",
        paid["id"],
        USCC,
    )
    assert owed["id"] == paid["clawback_id"]
    assert await payments.balanced()
    assert await report(payments) == set()


async def test_a_part_held_for_a_demand_the_bank_settled_meanwhile_is_refunded(
    payments: Payments,
) -> None:
    """A payout holds a demand; before the bank pays it, the clawed-back payout comes
    back and settles the demand: the part held is owed to the enterprise, refunded."""
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    await payments.faults(mode="late", late_seconds=1)
    waiting = (await payments.pay(payout("p-claw", 2 * AMOUNT))).json()
    assert waiting["offset_fen"] == AMOUNT
    await reverse(payments, owed["application_id"], "ret-meanwhile")  # settles the demand
    assert (await demand(payments, owed["application_id"]))["status"] == "repaid"

    await asyncio.sleep(1.5)  # the bank pays the waiting payout late; the desk asks
    await payments.desk.resolve(older_than=0)

    settled = await demand(payments, owed["application_id"])
    assert (settled["repaid_fen"], settled["offset_held_fen"]) == (AMOUNT, 0)  # not twice
    (excess,) = await refunds_of(payments)
    assert (excess["repayment_id"], excess["account_no"], excess["amount_fen"]) == (
        f"excess:{waiting['id']}:{owed['id'][:8]}",
        "**********0106",
        AMOUNT,
    )
    assert await payments.balance(f"enterprise:{USCC}") == AMOUNT
    await payments.faults(mode="none")
    assert await payments.app.state.runtime.jobs().run_due() == 1
    assert await payments.balance(f"enterprise:{USCC}") == 0
    assert await payments.balanced()
    # the bank returns that payout later: nothing was set off, so nothing is undone; the
    # part refunded stays with the enterprise, which owes it (its account below zero)
    returned = await reverse(payments, waiting["application_id"], "ret-after-refund")
    assert returned["status"] == "reversed"
    assert await outbox_of(payments, CLAWBACK_REOPENED) == []
    assert await payments.balance(f"enterprise:{USCC}") == -AMOUNT
    assert await payments.balanced()


async def test_in_a_batch_what_an_enterprise_owes_is_set_off_and_the_others_paid_whole(
    clean_stream: None, payments: Payments
) -> None:
    """The batch's plain payouts are written set-based; the one of an enterprise that
    owes goes the one-payout way, so it is set off exactly as alone."""
    await payments.open_budget("p-claw", 10 * AMOUNT)
    owed = await owing(payments, AMOUNT)
    owes = payout("p-claw", 3 * AMOUNT)
    other = payout("p-claw", 2 * AMOUNT) | {"uscc": "91330105MA2H00057P"}
    answer = await send(payments, owes, other)
    items = {i["application_id"]: i["payout"] for i in answer.json()}

    made, whole = items[owes["application_id"]], items[other["application_id"]]
    assert (made["status"], made["offset_fen"], whole["status"], whole["offset_fen"]) == (
        "completed",
        AMOUNT,
        "completed",
        0,
    )
    lines = await bank_lines(payments)
    assert (lines[made["id"]], lines[whole["id"]]) == (2 * AMOUNT, 2 * AMOUNT)
    assert (await demand(payments, owed["application_id"]))["status"] == "repaid"
    for request in (owes, other):
        assert await moves(payments, request["application_id"]) == [
            "reservation",
            "payout",
            "settlement",
        ]
    assert await budget_of(payments) == (5 * AMOUNT, 0, 5 * AMOUNT)
    assert await payments.balanced()
    assert await report(payments) == set()
