"""A broken commitment's clawback, service by service on real databases: subsidy-svc
marks what was paid on it clawed back, payment-svc books and demands the money once (the
payout stays completed: the bank paid it), catalog-svc takes it out of the live figures."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from catalog_svc.consumers import SUBSCRIPTIONS as CATALOG
from catalog_svc.models import ProcessedEvent as CatalogInbox
from catalog_svc.repository import CatalogRepository
from catalog_svc.service import CASH_PAID_FEN, CASH_TRANSACTIONS
from payment_svc.clawbacks import PayoutNotSettled
from payment_svc.consumers import SUBSCRIPTIONS as PAYMENT
from payment_svc.models import Account, Clawback, Transfer
from payment_svc.models import OutboxEvent as PaymentOutbox
from payment_svc.models import ProcessedEvent as PaymentInbox
from qinqing_shared.contracts.events import (
    APPLICATION_CLAWED_BACK,
    CLAWBACK_DEMANDED,
    CLAWBACK_REPAID,
    COMMITMENT_BROKEN,
    PAYOUT_REVERSED,
)
from qinqing_shared.db import Database
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription, handle_once
from qinqing_shared.outbox import Outbox
from qinqing_shared.uow import Units
from subsidy_svc.consumers import SUBSCRIPTIONS as SUBSIDY
from subsidy_svc.models import ApplicationCommitment, ApplicationRow, Claim
from subsidy_svc.models import OutboxEvent as SubsidyOutbox
from subsidy_svc.models import ProcessedEvent as SubsidyInbox
from tests.service.auth_support import as_operator
from tests.service.payment_support import Payments, payout

AMOUNT = 1_000_000
USCC = "91330106MA2H00014Q"
BROKEN = {
    "commitment_id": "C-1",
    "uscc": USCC,
    "policy_id": "p-claw",
    "clause": "no_home",
    "department": "HZ-HRSS",
    "outcome": "broken",
    "verify_by": "2026-11-30",
}


def event(subject: str, source: str, data: dict[str, Any]) -> CloudEvent:
    return CloudEvent(type=subject, source=source, subject="x", data=data)


def by_subject(subscriptions: list[Subscription]) -> dict[str, Subscription]:
    return {sub.subject: sub for sub in subscriptions}


def clawed(application_id: str) -> dict[str, Any]:
    return {
        "application_id": application_id,
        "policy_id": "p-claw",
        "uscc": USCC,
        "amount_fen": AMOUNT,
        "currency": "CNY",
        "commitment_id": "C-1",
        "reason": "Credit commitment C-1 (no_home) was broken.",
    }


async def application(
    units: Units, application_id: str, status: str, commitment: bool, claims: str = "kept"
) -> None:
    now = dt.datetime.now(dt.UTC)
    async with units.write() as uow:
        uow.session.add(
            ApplicationRow(
                id=application_id,
                policy_id="p-claw",
                policy_version=1,
                uscc=USCC,
                status=status,
                amount_fen=AMOUNT,
                currency="CNY",
                applied_on=now.date(),
                decision={"reasons": []},
                beneficiaries=[],
                created_at=now,
                updated_at=now,
                claims_after_clawback=claims,
            )
        )
        await uow.session.flush()
        uow.session.add(
            Claim(
                application_id=application_id,
                policy_id="p-claw",
                id_number=f"P-{application_id}"[:18],
                year=2026,
                amount_fen=AMOUNT,
            )
        )
        if commitment:
            uow.session.add(
                ApplicationCommitment(application_id=application_id, commitment_id="C-1")
            )
        await uow.commit()


async def test_what_was_paid_on_a_broken_commitment_is_clawed_back_once(
    service_db: Callable[[str], str],
) -> None:
    db = Database(service_db("subsidy_svc"))
    units = Units(db, Outbox(SubsidyOutbox, "/qinqing/subsidy-svc"))
    sub = by_subject(SUBSIDY)[COMMITMENT_BROKEN]
    try:
        for app_id, status, relies, claims in [
            ("a-paid", "paid", True, "released"),
            ("a-approved", "approved", True, "kept"),
            ("a-rejected", "rejected", True, "released"),
            ("a-other", "paid", False, "released"),  # paid on no commitment
        ]:
            await application(units, app_id, status, relies, claims)
        broken = event(COMMITMENT_BROKEN, "/qinqing/credit-svc", BROKEN)
        assert await handle_once(units, SubsidyInbox, sub, broken)
        assert not await handle_once(units, SubsidyInbox, sub, broken)
        async with units.read() as unit:
            rows = (await unit.session.scalars(select(ApplicationRow))).all()
            statuses = {r.id: r.status for r in rows}
            events = (
                await unit.session.scalars(
                    select(SubsidyOutbox).where(SubsidyOutbox.subject == APPLICATION_CLAWED_BACK)
                )
            ).all()
            claimed = set((await unit.session.scalars(select(Claim.application_id))).all())
    finally:
        await db.dispose()
    assert statuses == {
        "a-paid": "clawed_back",
        "a-approved": "clawed_back",
        "a-rejected": "rejected",
        "a-other": "paid",
    }
    # the policy said: released for a-paid (its person may claim again), kept for a-approved
    assert claimed == {"a-approved", "a-rejected", "a-other"}
    assert sorted((e.data["application_id"], e.data["amount_fen"]) for e in events) == [
        ("a-approved", AMOUNT),
        ("a-paid", AMOUNT),
    ]


async def test_payment_books_and_demands_a_clawback_once(payments: Payments) -> None:
    await payments.open_budget("p-claw", 5 * AMOUNT)
    request = payout("p-claw", AMOUNT)
    assert (await payments.pay(request)).status_code == 200
    runtime = payments.app.state.runtime
    sub = by_subject(PAYMENT)[APPLICATION_CLAWED_BACK]
    message = event(
        APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", clawed(request["application_id"])
    )
    assert await handle_once(runtime.units, PaymentInbox, sub, message)
    again = event(
        APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", clawed(request["application_id"])
    )  # another delivery of the same news under another event id
    assert await handle_once(runtime.units, PaymentInbox, sub, again)
    assert await payments.balance(f"receivable:{USCC}") == -AMOUNT
    assert await payments.balance("recovery:p-claw") == AMOUNT
    assert await payments.balanced()
    budget = await payments.budget("p-claw")
    assert (budget["paid_fen"], budget["remaining_fen"]) == (AMOUNT, 4 * AMOUNT)  # not yet repaid
    async with runtime.units.read() as unit:
        rows = (await unit.session.scalars(select(Clawback))).all()
        demanded = (
            await unit.session.scalars(
                select(PaymentOutbox).where(PaymentOutbox.subject == CLAWBACK_DEMANDED)
            )
        ).all()
    assert [(r.application_id, r.status, r.amount_fen) for r in rows] == [
        (request["application_id"], "demanded", AMOUNT)
    ]
    assert [e.data["clawback_id"] for e in demanded] == [rows[0].id]
    application_id = request["application_id"]
    assert await outbox_of(payments, CLAWBACK_DEMANDED) == [
        (
            application_id,
            {
                "clawback_id": rows[0].id,
                "application_id": application_id,
                "payout_id": rows[0].payout_id,
                "policy_id": "p-claw",
                "uscc": USCC,
                "amount_fen": AMOUNT,
                "currency": "CNY",
                "reason": "Credit commitment C-1 (no_home) was broken.",
            },
        )
    ]
    assert (await audited(payments))[-1] == (
        "payment-svc",
        "clawback.demanded",
        "payout",
        rows[0].payout_id,
        USCC,
    )
    assert (await moves(payments, application_id))[-1] == "clawback"
    assert await account_kinds(payments) == {
        f"receivable:{USCC}": "receivable",
        "recovery:p-claw": "recovery",
    }
    paid = await payments.api.get(f"/payouts/{request['application_id']}")
    assert paid.json()["status"] == "completed"  # the bank paid it: reconciliation unchanged


async def outbox_of(payments: Payments, subject: str) -> list[tuple[str | None, dict[str, Any]]]:
    async with payments.app.state.runtime.units.read() as unit:
        query = select(PaymentOutbox).where(PaymentOutbox.subject == subject)
        rows = await unit.session.scalars(query.order_by(PaymentOutbox.seq))
        return [(e.ce_subject, e.data) for e in rows]


async def audited(payments: Payments) -> list[tuple[str, ...]]:
    keys = ("actor", "action", "object_type", "object_id", "uscc")
    rows = await outbox_of(payments, "qinqing.payment.audit.recorded.v1")
    return [tuple(data[k] for k in keys) for _, data in rows]


async def moves(payments: Payments, reference: str) -> list[str]:
    """The kinds of the ledger's transfers for an application, in order."""
    async with payments.app.state.runtime.units.read() as unit:
        query = select(Transfer.kind).where(Transfer.reference == reference)
        return list((await unit.session.scalars(query.order_by(Transfer.created_at))).all())


async def account_kinds(payments: Payments) -> dict[str, str]:
    async with payments.app.state.runtime.units.read() as unit:
        rows = (await unit.session.scalars(select(Account))).all()
        return {a.id: a.kind for a in rows if a.kind in ("receivable", "recovery")}


def paid_in(reference: str, amount_fen: int = AMOUNT, transfer: str = "IN-1") -> dict[str, Any]:
    return {
        "transfer_id": transfer,
        "reference": reference,
        "payer_account_no": "6299000000001",
        "amount_fen": amount_fen,
        "currency": "CNY",
        "received_at": "2026-09-02T08:00:00+00:00",
    }


async def test_the_banks_report_of_a_repayment_settles_the_clawback_once(
    payments: Payments,
) -> None:
    await payments.open_budget("p-claw", 5 * AMOUNT)
    request = payout("p-claw", AMOUNT)
    assert (await payments.pay(request)).status_code == 200
    runtime = payments.app.state.runtime
    sub = by_subject(PAYMENT)[APPLICATION_CLAWED_BACK]
    news = event(APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", clawed(request["application_id"]))
    assert await handle_once(runtime.units, PaymentInbox, sub, news)
    listed = await payments.api.get(f"/enterprises/{USCC}/clawbacks", headers=as_operator())
    (demand,) = listed.json()
    assert (demand["status"], demand["amount_fen"]) == ("demanded", AMOUNT)

    stranger = await payments.from_bank("/bank/incoming", paid_in("no-such-clawback"))
    assert (stranger.json()["type"], stranger.json()["detail"]) == (
        "urn:qinqing:problem:unknown-reference",
        "No clawback 'no-such-clawback' was demanded.",
    )
    unsigned = await payments.api.post("/bank/incoming", json=paid_in(demand["id"]))
    assert unsigned.status_code == 401
    assert await payments.balance(f"receivable:{USCC}") == -AMOUNT

    part = await payments.from_bank("/bank/incoming", paid_in(demand["id"], AMOUNT - 100))
    assert (part.status_code, part.json()["status"], part.json()["repaid_fen"]) == (
        200,
        "partly_repaid",
        AMOUNT - 100,
    )
    assert part.json()["settled_at"] is None
    assert await payments.balance(f"receivable:{USCC}") == -100
    too_much = await payments.from_bank(
        "/bank/incoming", paid_in(demand["id"], 101, transfer="IN-9")
    )
    assert (too_much.status_code, too_much.json()["type"], too_much.json()["detail"]) == (
        422,
        "urn:qinqing:problem:repayment-mismatch",
        f"Clawback {demand['id']} has 100 fen in CNY still owed; 101 in CNY was paid "
        "(more than is owed is not taken).",
    )
    reused = await payments.from_bank("/bank/incoming", paid_in(demand["id"], 100))  # IN-1
    assert (reused.status_code, reused.json()["detail"]) == (
        422,
        "Transfer IN-1 was taken before, for another repayment.",
    )

    repaid = await payments.from_bank("/bank/incoming", paid_in(demand["id"], 100, "IN-2"))
    again = await payments.from_bank("/bank/incoming", paid_in(demand["id"], 100, "IN-2"))
    other = await payments.from_bank("/bank/incoming", paid_in(demand["id"], 1, "IN-3"))
    assert (repaid.json()["status"], repaid.json()["repaid_fen"]) == ("repaid", AMOUNT)
    assert (again.status_code, again.json()["id"], again.json()["status"]) == (
        200,
        demand["id"],
        "repaid",
    )  # the same transfer told again
    assert (other.status_code, other.json()["type"], other.json()["detail"]) == (
        409,
        "urn:qinqing:problem:already-repaid",
        f"Clawback {demand['id']} was repaid by transfer IN-2.",
    )
    assert repaid.json()["settled_at"] is not None
    assert (await moves(payments, request["application_id"]))[-4:] == [
        "repayment",
        "recovered",
        "repayment",
        "recovered",
    ]  # each part as it came
    assert [a[1] for a in (await audited(payments))[-2:]] == [
        "clawback.partly-repaid",
        "clawback.repaid",
    ]
    assert (await audited(payments))[-1] == (
        "payment-svc",
        "clawback.repaid",
        "payout",
        demand["payout_id"],
        USCC,
    )
    assert await payments.balance(f"receivable:{USCC}") == 0
    assert await payments.balance("recovery:p-claw") == 0
    assert await payments.balanced()
    budget = await payments.budget("p-claw")
    assert (budget["paid_fen"], budget["remaining_fen"]) == (0, 5 * AMOUNT)  # back in full
    async with runtime.units.read() as unit:
        told = (
            await unit.session.scalars(
                select(PaymentOutbox).where(PaymentOutbox.subject == CLAWBACK_REPAID)
            )
        ).all()
    assert [(e.ce_subject, e.data) for e in told] == [
        (
            request["application_id"],
            {
                "clawback_id": demand["id"],
                "application_id": request["application_id"],
                "policy_id": "p-claw",
                "uscc": USCC,
                "amount_fen": AMOUNT,
                "currency": "CNY",
                "transfer_id": "IN-2",  # the transfer that settled it
            },
        )
    ]


async def test_a_clawback_waits_for_its_payout_and_owes_nothing_for_a_refused_one(
    payments: Payments, caplog: pytest.LogCaptureFixture
) -> None:
    await payments.open_budget("p-claw", 5 * AMOUNT)
    runtime = payments.app.state.runtime
    sub = by_subject(PAYMENT)[APPLICATION_CLAWED_BACK]
    unknown = event(APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", clawed("never-paid"))
    with pytest.raises(PayoutNotSettled, match=r"^the payout of never-paid is not settled yet$"):
        await handle_once(runtime.units, PaymentInbox, sub, unknown)
    await payments.faults(mode="fail")
    refused = payout("p-claw", AMOUNT)
    assert (await payments.pay(refused)).json()["status"] == "failed"
    news = clawed(refused["application_id"])
    message = event(APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", news)
    with caplog.at_level(logging.INFO, logger="payment.clawbacks"):
        assert await handle_once(runtime.units, PaymentInbox, sub, message)
    said = [r.getMessage() for r in caplog.records if r.name == "payment.clawbacks"]
    failed_payout = (await payments.api.get(f"/payouts/{refused['application_id']}")).json()
    assert said == [f"nothing to claw back for {failed_payout['id']}: its payout is failed"]
    assert await payments.balance(f"receivable:{USCC}") == 0


async def test_two_clawbacks_are_two_demands_and_a_long_reason_is_cut(
    payments: Payments,
) -> None:
    await payments.open_budget("p-claw", 5 * AMOUNT)
    runtime = payments.app.state.runtime
    sub = by_subject(PAYMENT)[APPLICATION_CLAWED_BACK]
    requests = [payout("p-claw", AMOUNT) for _ in range(2)]
    for request in requests:  # both paid before either is clawed back (no offset)
        assert (await payments.pay(request)).status_code == 200
    for request in requests:
        news = clawed(request["application_id"]) | {"reason": "x" * 400}
        message = event(APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", news)
        assert await handle_once(runtime.units, PaymentInbox, sub, message)
    answer = await payments.api.get(f"/enterprises/{USCC}/clawbacks", headers=as_operator())
    listed = answer.json()
    assert len({d["id"] for d in listed}) == 2
    assert [len(d["reason"]) for d in listed] == [300, 300]
    assert await payments.balance(f"receivable:{USCC}") == -2 * AMOUNT


async def test_a_demanded_clawback_takes_its_money_out_of_the_live_figures(
    service_db: Callable[[str], str],
) -> None:
    db = Database(service_db("catalog_svc"))
    units, sub = Units(db), by_subject(CATALOG)[CLAWBACK_DEMANDED]

    async def figures() -> tuple[int, int]:
        async with units.read() as unit:
            repo = CatalogRepository(unit.session)
            return await repo.counter(CASH_TRANSACTIONS), await repo.counter(CASH_PAID_FEN)

    data = clawed("a-1") | {"clawback_id": "cb-1", "payout_id": "p-1"}
    del data["commitment_id"]
    returned = {k: data[k] for k in ("payout_id", "application_id", "policy_id", "uscc")}
    returned |= {"amount_fen": AMOUNT, "currency": "CNY", "reason": "account closed"}
    reversals = by_subject(CATALOG)[PAYOUT_REVERSED]
    try:
        before = await figures()
        demanded = event(CLAWBACK_DEMANDED, "/qinqing/payment-svc", data)
        assert await handle_once(units, CatalogInbox, sub, demanded)
        after = await figures()
        # the bank then returns the same payout: out of the figures already
        back = event(PAYOUT_REVERSED, "/qinqing/payment-svc", returned)
        assert await handle_once(units, CatalogInbox, reversals, back)
        after_return = await figures()
    finally:
        await db.dispose()
    assert after == (before[0] - 1, before[1] - AMOUNT)
    assert after_return == after, "one payout comes out of the figures once"


@pytest.mark.parametrize(("repaid_before", "owed_back"), [(0, 0), (AMOUNT - 100, AMOUNT - 100)])
async def test_a_clawed_back_payout_the_bank_returns_settles_the_demand_once(
    payments: Payments, repaid_before: int, owed_back: int
) -> None:
    """The money came back: what was still owed is settled by it, the budget gets the
    payout back once, and what the enterprise had repaid already is owed back to it."""
    await payments.open_budget("p-claw", 5 * AMOUNT)
    request = payout("p-claw", AMOUNT)
    assert (await payments.pay(request)).status_code == 200
    runtime = payments.app.state.runtime
    sub = by_subject(PAYMENT)[APPLICATION_CLAWED_BACK]
    news = event(APPLICATION_CLAWED_BACK, "/qinqing/subsidy-svc", clawed(request["application_id"]))
    assert await handle_once(runtime.units, PaymentInbox, sub, news)
    (demand,) = (
        await payments.api.get(f"/enterprises/{USCC}/clawbacks", headers=as_operator())
    ).json()
    if repaid_before:
        part = await payments.from_bank("/bank/incoming", paid_in(demand["id"], repaid_before))
        assert part.json()["status"] == "partly_repaid"

    path = f"/payouts/{request['application_id']}/reversal"
    body, headers = {"reason": "account closed"}, as_operator() | {"Idempotency-Key": "ret-1"}
    returned = await payments.api.post(path, json=body, headers=headers)
    (settled,) = (
        await payments.api.get(f"/enterprises/{USCC}/clawbacks", headers=as_operator())
    ).json()

    assert returned.json()["status"] == "reversed"
    assert (settled["status"], settled["repaid_fen"]) == ("repaid", AMOUNT)
    assert await payments.balance(f"receivable:{USCC}") == 0
    assert await payments.balance("recovery:p-claw") == 0
    assert await payments.balance(f"enterprise:{USCC}") == owed_back
    budget = await payments.budget("p-claw")
    assert (budget["paid_fen"], budget["remaining_fen"]) == (0, 5 * AMOUNT)  # back once
    assert await payments.events(CLAWBACK_REPAID) == 1
    assert await payments.balanced()
