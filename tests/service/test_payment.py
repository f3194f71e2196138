"""payment-svc on a real database with the sandbox bank: once, never below zero, never lost."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from payment_svc.bank.connector import Instruction, Receipt
from payment_svc.models import Account, IdempotencyKey, OutboxEvent, Transfer
from qinqing_shared.contracts.events import BUDGET_EXHAUSTED, PAYOUT_FAILED, PAYOUT_REVERSED
from tests.service.auth_support import as_department, as_operator, payout_order
from tests.service.payment_support import BANK_CUSTOMER, USCC, Payments, payout


@pytest.mark.bank_timeout(30)  # 30 at once, each answered: the budget is tested, not a hang
async def test_concurrent_payouts_never_take_a_budget_below_zero(payments: Payments) -> None:
    await payments.open_budget("p-small", 1_200)
    answers = await asyncio.gather(*(payments.pay(payout("p-small", 100)) for _ in range(30)))
    codes = [a.status_code for a in answers]
    assert codes.count(200) == 12
    assert codes.count(409) == 18
    assert all(
        a.json()["type"].endswith("budget-exhausted") for a in answers if a.status_code == 409
    )
    budget = await payments.budget("p-small")
    assert (budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"]) == (0, 0, 1_200)
    assert await payments.balance("budget:p-small") == 0
    assert await payments.balanced()
    assert await payments.events(BUDGET_EXHAUSTED) == 1


@pytest.mark.bank_timeout(30)
async def test_the_same_application_is_paid_once(payments: Payments) -> None:
    await payments.open_budget("p-once", 1_000_000)
    request = payout("p-once", 250_000)
    answers = await asyncio.gather(*(payments.pay(request) for _ in range(10)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["id"] for a in answers}) == 1
    budget = await payments.budget("p-once")
    assert (budget["paid_fen"], budget["remaining_fen"], budget["reserved_fen"]) == (
        250_000,
        750_000,
        0,
    )  # taken once: the losers' reservations were rolled back
    lines = (await payments.bank.get("/statement", headers=BANK_CUSTOMER)).json()["lines"]
    assert len(lines) == 1


async def test_a_paid_application_asked_again_is_answered_even_on_an_empty_budget(
    payments: Payments,
) -> None:
    await payments.open_budget("p-exact", 5_000)
    request = payout("p-exact", 5_000)
    first = await payments.pay(request)
    assert first.status_code == 200
    for _ in range(3):  # the budget is at 0 now: the application's payout answers, not 409
        again = await payments.pay(request)
        assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    budget = await payments.budget("p-exact")
    assert (budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"]) == (0, 0, 5_000)
    assert await payments.balanced()


async def test_idempotency_keys_on_payouts(payments: Payments) -> None:
    await payments.open_budget("p-keys", 10_000)
    request = payout("p-keys", 1_000)
    missing = await payments.api.post("/payouts", json=request | {"order": payout_order(request)})
    assert missing.status_code == 400
    # the order signed once: signed again it could differ by its second, and so be
    # another request under the same key
    signed = request | {"order": payout_order(request)}
    first = await payments.pay(signed, key="key-1")
    replay = await payments.pay(signed, key="key-1")
    assert replay.json() == first.json()
    assert replay.headers["Idempotency-Replayed"] == "true"
    other = await payments.pay(payout("p-keys", 1_000), key="key-1")
    assert other.status_code == 422
    changed = await payments.pay(request | {"amount_fen": 2_000})
    assert changed.status_code == 409
    assert changed.json()["type"].endswith("payout-conflict")


async def test_budgets_open_once_and_bad_payouts_are_refused(payments: Payments) -> None:
    await payments.open_budget("p-open", 500)
    await payments.open_budget("p-open", 500)
    assert (await payments.budget("p-open"))["funded_fen"] == 500
    assert (await payments.pay(payout("p-none", 100))).status_code == 404
    assert (await payments.pay(payout("p-open", -5))).status_code == 422
    assert (await payments.pay(payout("p-open", 5) | {"uscc": "123"})).status_code == 422


async def test_a_refused_payout_releases_its_reservation(payments: Payments) -> None:
    await payments.open_budget("p-fail", 10_000)
    await payments.faults(mode="fail")
    answer = await payments.pay(payout("p-fail", 4_000))
    assert answer.json()["status"] == "failed"
    assert answer.json()["reason"] == "account frozen"
    budget = await payments.budget("p-fail")
    assert (budget["remaining_fen"], budget["reserved_fen"], budget["paid_fen"]) == (10_000, 0, 0)
    assert await payments.balance("hold:p-fail") == 0
    assert await payments.balanced()


@pytest.mark.bank_timeout(0.5)  # the bank hangs 1.5 s: payment-svc gives up first
async def test_a_bank_timeout_is_resolved_by_asking_not_by_paying_again(
    payments: Payments, caplog: pytest.LogCaptureFixture
) -> None:
    await payments.open_budget("p-timeout", 10_000)
    await payments.faults(mode="timeout", hang_seconds=1.5)
    with caplog.at_level(logging.WARNING, logger="payment.desk"):
        answer = await payments.pay(payout("p-timeout", 3_000))
    assert answer.json()["status"] == "completed"
    [asked] = [r.getMessage() for r in caplog.records if r.name == "payment.desk"]
    assert asked.startswith(f"bank did not answer for {answer.json()['id']} (")
    assert asked.endswith("): asking its status")
    lines = (await payments.bank.get("/statement", headers=BANK_CUSTOMER)).json()["lines"]
    assert [line["amount_fen"] for line in lines] == [3_000]
    assert (await payments.budget("p-timeout"))["paid_fen"] == 3_000


async def test_a_bank_that_is_down_leaves_the_payout_to_be_resolved(payments: Payments) -> None:
    await payments.open_budget("p-down", 10_000)
    await payments.faults(mode="down")
    request = payout("p-down", 2_000)
    first = await payments.pay(request)
    assert first.status_code == 202
    assert first.json()["status"] == "reserved"
    assert (await payments.budget("p-down"))["reserved_fen"] == 2_000
    await payments.faults(mode="none")
    assert await payments.desk.resolve(older_than=0) == 1
    done = (await payments.api.get(f"/payouts/{request['application_id']}")).json()
    assert done["status"] == "completed"
    budget = await payments.budget("p-down")
    assert (budget["reserved_fen"], budget["paid_fen"]) == (0, 2_000)


async def test_late_and_duplicate_confirmations_settle_once(payments: Payments) -> None:
    await payments.open_budget("p-late", 10_000)
    await payments.faults(mode="late", late_seconds=0.2)
    request = payout("p-late", 1_500)
    first = await payments.pay(request)
    assert first.status_code == 202
    assert first.json()["status"] == "sent"
    path = f"/payments/{first.json()['id']}"
    for _ in range(100):  # the bank completes it late
        receipt = (await payments.bank.get(path, headers=BANK_CUSTOMER)).json()
        if receipt["status"] == "completed":
            break
        await asyncio.sleep(0.05)
    assert receipt["status"] == "completed"
    for _ in range(2):  # the bank's confirmation, delivered twice
        confirmed = await payments.confirm(receipt)
        assert confirmed.json()["status"] == "completed"
    assert (await payments.budget("p-late"))["paid_fen"] == 1_500
    assert await payments.desk.resolve(older_than=0) == 0
    assert await payments.balanced()


class NotifiesAsItAnswers:
    """The bank as payment-svc's connector sees it, sending its callback for a payout as
    it answers for it (a real bank's notification, racing its answer); counts the
    times payment-svc asks it how a payout stands."""

    def __init__(self, payments: Payments) -> None:
        self.payments, self.bank = payments, payments.desk.bank
        self.callbacks: list[asyncio.Task[httpx.Response]] = []
        self.asked: list[str] = []

    async def initiate_payout(self, instruction: Instruction) -> Receipt:
        receipt = await self.bank.initiate_payout(instruction)
        told = self.payments.confirm(receipt.model_dump(mode="json"))
        self.callbacks.append(asyncio.create_task(told))
        for _ in range(50):  # the callback is heard before the answer is applied
            if self.asked:
                break
            await asyncio.sleep(0.02)
        return receipt

    async def payout_status(self, instruction_id: str) -> Receipt | None:
        self.asked.append(instruction_id)
        return await self.bank.payout_status(instruction_id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.bank, name)


async def test_a_callback_heard_while_the_answer_is_applied_waits_for_it(
    payments: Payments,
) -> None:
    await payments.open_budget("p-race", 10_000)
    bank = NotifiesAsItAnswers(payments)
    payments.desk.bank = bank
    paid = await payments.pay(payout("p-race", 2_500))
    confirmed = await bank.callbacks[0]
    assert (paid.status_code, paid.json()["status"]) == (200, "completed")
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "completed")
    assert bank.asked == []  # the answer applied was the callback's word: nothing to ask
    assert (await payments.budget("p-race"))["paid_fen"] == 2_500
    assert await payments.balanced()


async def test_a_clawback_is_a_compensating_transfer(payments: Payments) -> None:
    await payments.open_budget("p-back", 10_000)
    request = payout("p-back", 6_000)
    assert (await payments.pay(request)).json()["status"] == "completed"
    path = f"/payouts/{request['application_id']}/reversal"
    body = {"reason": "declaration found false"}
    operator = as_operator()
    reversed_ = await payments.api.post(
        path, json=body, headers=operator | {"Idempotency-Key": "r1"}
    )
    assert reversed_.json()["status"] == "reversed"
    again = await payments.api.post(path, json=body, headers=operator | {"Idempotency-Key": "r2"})
    assert again.json()["status"] == "reversed"
    budget = await payments.budget("p-back")
    assert (budget["remaining_fen"], budget["paid_fen"]) == (10_000, 0)
    assert await payments.balance("budget:p-back") == 10_000
    assert await payments.events(PAYOUT_REVERSED) == 1
    assert await payments.balanced()


async def test_reversing_an_unknown_payout_is_404_and_frees_its_key(payments: Payments) -> None:
    # Once, on SQLite, the request's session held the one connection while the key's own
    # session waited for it: this call hung for the pool's timeout (300 s).
    path = f"/payouts/{uuid.uuid4()}/reversal"
    headers = as_operator() | {"Idempotency-Key": "unknown-1"}
    body = {"reason": "declaration found false"}
    first = await asyncio.wait_for(payments.api.post(path, json=body, headers=headers), 10)
    again = await asyncio.wait_for(payments.api.post(path, json=body, headers=headers), 10)
    assert (first.status_code, first.json()["type"]) == (
        404,
        "urn:qinqing:problem:payout-not-found",
    )
    assert again.status_code == 404, "the key was released, not left in progress"


async def test_a_bank_return_after_completion_reverses_the_payout(payments: Payments) -> None:
    await payments.open_budget("p-return", 10_000)
    await payments.faults(mode="returned", late_seconds=0)
    request = payout("p-return", 4_000)
    paid = (await payments.pay(request)).json()
    assert paid["status"] == "completed"
    path = f"/payments/{paid['id']}"
    for _ in range(100):  # the bank returns it a moment later
        receipt = (await payments.bank.get(path, headers=BANK_CUSTOMER)).json()
        if receipt["status"] == "failed":
            break
        await asyncio.sleep(0.05)
    assert (receipt["status"], receipt["reason"]) == ("failed", "account closed")
    assert (await payments.bank.get("/faults/injected")).json() == {"returned": 1}
    answer = await payments.confirm(receipt)  # the bank's callback
    assert (answer.status_code, answer.json()["status"]) == (200, "reversed")
    assert answer.json()["reason"] == "returned by the bank: account closed"
    budget = await payments.budget("p-return")
    assert (budget["remaining_fen"], budget["paid_fen"]) == (10_000, 0)
    assert await payments.events(PAYOUT_REVERSED) == 1
    assert await payments.balanced()


async def test_only_a_completed_payout_can_be_reversed(payments: Payments) -> None:
    await payments.open_budget("p-early", 10_000)
    await payments.faults(mode="late", late_seconds=60)
    request = payout("p-early", 3_000)
    sent = await payments.pay(request)
    assert (sent.status_code, sent.json()["status"]) == (202, "sent")
    path = f"/payouts/{request['application_id']}/reversal"
    headers = as_operator() | {"Idempotency-Key": "early-1"}
    refused = await payments.api.post(path, json={"reason": "too soon"}, headers=headers)
    assert (refused.status_code, refused.json()["type"]) == (
        409,
        "urn:qinqing:problem:payout-not-completed",
    )
    assert refused.json()["detail"] == (
        "Only a completed payout can be reversed; this one is sent."
    )
    budget = await payments.budget("p-early")
    assert (budget["reserved_fen"], budget["paid_fen"]) == (3_000, 0)
    assert await payments.events(PAYOUT_REVERSED) == 0


async def test_a_payout_s_idempotency_key_is_kept_24_hours(payments: Payments) -> None:
    await payments.open_budget("p-ttl", 10_000)
    assert (await payments.pay(payout("p-ttl", 1_000), key="ttl-1")).status_code == 200
    async with payments.app.state.runtime.db.sessionmaker() as session:
        key = await session.scalar(select(IdempotencyKey).where(IdempotencyKey.key == "ttl-1"))
    assert key is not None
    assert key.expires_at - key.created_at == dt.timedelta(hours=24)


async def test_settled_payouts_are_counted_by_outcome_and_fen(payments: Payments) -> None:
    await payments.open_budget("p-count", 10_000)
    await payments.pay(payout("p-count", 2_500))
    await payments.faults(mode="fail")
    await payments.pay(payout("p-count", 700))
    lines = (await payments.app.state.runtime.metrics.exposition()).decode().splitlines()
    for line in (
        "# HELP qinqing_payouts_settled_total Payouts the bank settled, by outcome",
        'qinqing_payouts_settled_total{status="completed"} 1.0',
        'qinqing_payouts_settled_total{status="failed"} 1.0',
        "# HELP qinqing_payouts_settled_fen_total Fen of the payouts the bank settled",
        'qinqing_payouts_settled_fen_total{status="completed"} 2500.0',
        'qinqing_payouts_settled_fen_total{status="failed"} 700.0',
    ):
        assert line in lines


async def test_a_confirmation_for_an_unknown_payout_is_404(payments: Payments) -> None:
    unknown = str(uuid.uuid4())
    receipt = {
        "instruction_id": unknown,
        "reference": "BANK-X",
        "status": "completed",
        "amount_fen": 100,
        "currency": "CNY",
    }
    answer = await payments.confirm(receipt)
    body = answer.json()
    assert (answer.status_code, body["type"], body["title"], body["detail"]) == (
        404,
        "urn:qinqing:problem:payout-not-found",
        "Payout not found",
        f"No payout {unknown!r} is registered.",
    )


async def test_a_completed_payout_asked_again_with_its_key_is_replayed_200(
    payments: Payments,
) -> None:
    await payments.open_budget("p-replay", 10_000)
    # the same request twice: the same body, subsidy-svc's signed order included
    request = payout("p-replay", 1_200)
    request |= {"order": payout_order(request)}
    first = await payments.pay(request, key="replay-1")
    again = await payments.pay(request, key="replay-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.headers["Idempotency-Replayed"] == "true"
    assert again.json() == first.json()
    assert (await payments.budget("p-replay"))["paid_fen"] == 1_200


async def test_a_payout_s_story_in_the_ledger_its_events_and_its_audit(
    payments: Payments,
) -> None:
    """Fund, pay, reverse: every account with its kind, every transfer with its kind and
    legs, every event keyed by its application, every audit record with its actor."""
    await payments.open_budget("p-story", 10_000)
    request = payout("p-story", 6_000)
    paid = (await payments.pay(request)).json()
    path = f"/payouts/{request['application_id']}/reversal"
    headers = as_operator() | {"Idempotency-Key": "story-1"}
    reversal = await payments.api.post(path, json={"reason": "false declaration"}, headers=headers)
    assert reversal.json()["status"] == "reversed"
    app_id, enterprise = request["application_id"], f"enterprise:{USCC}"
    async with payments.app.state.runtime.db.sessionmaker() as session:
        kinds = dict((await session.execute(select(Account.id, Account.kind))).all())
        transfers = (
            await session.scalars(
                select(Transfer)
                .options(selectinload(Transfer.entries))
                .order_by(Transfer.created_at)
            )
        ).all()
        events = (
            await session.execute(
                select(OutboxEvent.subject, OutboxEvent.ce_subject, OutboxEvent.data)
            )
        ).all()
    assert kinds == {
        "budget:p-story": "budget",
        "hold:p-story": "hold",
        "funding:HZ-HRSS": "funding",
        "bank:clearing": "clearing",
        enterprise: "enterprise",
    }
    story = [
        (t.kind, t.reference, t.amount_fen, sorted((e.account_id, e.amount_fen) for e in t.entries))
        for t in transfers
    ]
    assert story == [
        ("funding", "p-story", 10_000, [("budget:p-story", 10_000), ("funding:HZ-HRSS", -10_000)]),
        ("reservation", app_id, 6_000, [("budget:p-story", -6_000), ("hold:p-story", 6_000)]),
        ("payout", app_id, 6_000, [(enterprise, 6_000), ("hold:p-story", -6_000)]),
        ("settlement", app_id, 6_000, [("bank:clearing", 6_000), (enterprise, -6_000)]),
        ("reversal", app_id, 6_000, [("bank:clearing", -6_000), (enterprise, 6_000)]),
        ("reversal", app_id, 6_000, [("budget:p-story", 6_000), (enterprise, -6_000)]),
    ]
    completed = [d for s, _, d in events if s == "qinqing.payment.payout.completed.v1"]
    assert [(c["payout_id"], c["bank_reference"]) for c in completed] == [
        (paid["id"], paid["bank_reference"])
    ]
    keyed = {s: k for s, k, _ in events if s.startswith("qinqing.payment.payout.")}
    assert keyed == {
        "qinqing.payment.payout.completed.v1": app_id,
        "qinqing.payment.payout.reversed.v1": app_id,
    }
    audits = [d for s, _, d in events if s.startswith("qinqing.payment.audit")]
    assert [
        (a["actor"], a["action"], a["object_type"], a["object_id"], a["uscc"]) for a in audits
    ] == [
        ("test-HZ-HRSS", "budget.opened", "budget", "p-story", None),
        ("payment-svc", "payout.completed", "payout", paid["id"], USCC),
        ("test-operator", "payout.reversed", "payout", paid["id"], USCC),
    ]


async def test_one_fen_is_paid(payments: Payments) -> None:
    await payments.open_budget("p-fen", 10)
    answer = await payments.pay(payout("p-fen", 1))
    assert (answer.status_code, answer.json()["status"]) == (200, "completed")
    assert (await payments.budget("p-fen"))["paid_fen"] == 1


async def test_the_resolver_asks_about_payouts_left_long_enough_only(payments: Payments) -> None:
    await payments.open_budget("p-resolve", 10_000)
    await payments.faults(mode="late", late_seconds=0.05)
    request = payout("p-resolve", 900)
    sent = await payments.pay(request)
    assert (sent.status_code, sent.json()["status"]) == (202, "sent")
    path = f"/payments/{sent.json()['id']}"
    for _ in range(100):  # the bank completes it; its callback goes nowhere here
        if (await payments.bank.get(path, headers=BANK_CUSTOMER)).json()["status"] == "completed":
            break
        await asyncio.sleep(0.05)
    assert await payments.desk.resolve(older_than=3600) == 0  # not left long enough
    mine = f"/payouts/{request['application_id']}"
    assert (await payments.api.get(mine)).json()["status"] == "sent"
    assert await payments.desk.resolve(older_than=0) == 1
    assert (await payments.api.get(mine)).json()["status"] == "completed"
    assert (await payments.budget("p-resolve"))["paid_fen"] == 900


async def test_a_refused_payout_goes_back_to_the_budget_in_the_ledger(payments: Payments) -> None:
    await payments.open_budget("p-refused", 10_000)
    await payments.faults(mode="fail")
    request = payout("p-refused", 2_000)
    failed = (await payments.pay(request)).json()
    assert (failed["status"], failed["reason"]) == ("failed", "account frozen")
    app_id = request["application_id"]
    async with payments.app.state.runtime.db.sessionmaker() as session:
        query = select(Transfer).options(selectinload(Transfer.entries))
        transfers = (await session.scalars(query.where(Transfer.reference == app_id))).all()
        query = select(OutboxEvent.ce_subject, OutboxEvent.data)
        [(key, data)] = (
            await session.execute(query.where(OutboxEvent.subject == PAYOUT_FAILED))
        ).all()
    story = sorted(
        (t.kind, sorted((e.account_id, e.amount_fen) for e in t.entries)) for t in transfers
    )
    assert story == [
        ("release", [("budget:p-refused", 2_000), ("hold:p-refused", -2_000)]),
        ("reservation", [("budget:p-refused", -2_000), ("hold:p-refused", 2_000)]),
    ]
    assert (key, data["payout_id"], data["reason"]) == (app_id, failed["id"], "account frozen")


async def test_an_exhausted_budget_is_told_once_keyed_by_its_policy(payments: Payments) -> None:
    await payments.open_budget("p-small", 1_000)
    refused = await payments.pay(payout("p-small", 5_000))
    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        "The budget of policy p-small has 1000 fen left, 5000 needed.",
    )
    async with payments.app.state.runtime.db.sessionmaker() as session:
        query = select(OutboxEvent.ce_subject, OutboxEvent.data)
        [(key, data)] = (
            await session.execute(query.where(OutboxEvent.subject == BUDGET_EXHAUSTED))
        ).all()
    assert (key, data["remaining_fen"], data["requested_fen"]) == ("p-small", 1_000, 5_000)


async def test_a_payout_for_a_policy_without_budget_is_404(payments: Payments) -> None:
    answer = await payments.pay(payout("p-none", 100))
    body = answer.json()
    assert (answer.status_code, body["title"], body["detail"]) == (
        404,
        "Budget not found",
        "No budget 'p-none' is registered.",
    )


async def test_the_same_application_with_another_amount_is_a_conflict(payments: Payments) -> None:
    await payments.open_budget("p-twice", 10_000)
    request = payout("p-twice", 1_000)
    assert (await payments.pay(request)).status_code == 200
    other = await payments.pay(request | {"amount_fen": 2_000})
    assert (other.status_code, other.json()["detail"]) == (
        409,
        f"Application {request['application_id']} already has a payout of 1000 fen to {USCC}.",
    )


async def test_the_resolver_runs_on_its_period_and_survives_a_failure(
    payments: Payments, caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[float] = []
    resolve = payments.desk.resolve

    async def counted(older_than: float) -> int:
        calls.append(older_than)
        if len(calls) == 1:
            raise RuntimeError("the database is restarting")
        return await resolve(older_than)

    payments.desk.resolve = counted  # type: ignore[method-assign]
    with caplog.at_level(logging.WARNING, logger="payment.desk"):
        task = asyncio.create_task(payments.desk.resolve_forever(0.01, 7))
        try:
            for _ in range(300):
                if len(calls) >= 2:
                    break
                await asyncio.sleep(0.01)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    assert calls[:2] == [7, 7]
    [failure] = [r for r in caplog.records if r.name == "payment.desk"]
    assert failure.getMessage() == "resolving payouts failed"
    assert failure.exc_info
    assert failure.exc_info[0] is RuntimeError


async def test_a_policys_latest_payouts_are_listed_newest_first_to_its_department(
    payments: Payments,
) -> None:
    await payments.open_budget("p-list", 1_000_000)
    await payments.open_budget("p-other", 1_000_000)
    paid = [(await payments.pay(payout("p-list", fen))).json() for fen in (100, 200, 300)]
    await payments.pay(payout("p-other", 400))

    newest = await payments.api.get("/budgets/p-list/payouts?limit=2", headers=as_operator())
    own = await payments.api.get("/budgets/p-list/payouts", headers=as_department("HZ-HRSS"))
    other = await payments.api.get("/budgets/p-list/payouts", headers=as_department("HZ-MSA"))
    unknown = await payments.api.get("/budgets/p-none/payouts", headers=as_operator())
    too_many = await payments.api.get("/budgets/p-list/payouts?limit=101", headers=as_operator())

    assert [p["id"] for p in newest.json()] == [paid[2]["id"], paid[1]["id"]]
    assert [(p["amount_fen"], p["status"]) for p in own.json()] == [
        (300, "completed"),
        (200, "completed"),
        (100, "completed"),
    ]
    assert (other.status_code, unknown.status_code, too_many.status_code) == (404, 404, 422)
