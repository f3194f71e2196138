"""Reconciliation on the real sources: each discrepancy injected for real is found."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import nats
import pytest
from nats.js.errors import NotFoundError
from sqlalchemy import select, update

from payment_svc.models import Entry, OutboxEvent, Transfer
from payment_svc.reconciliation import gather
from qinqing_shared.contracts.events import PAYOUT_COMPLETED
from tests.service.auth_support import as_operator
from tests.service.payment_support import BANK_CUSTOMER, Payments, payout


@pytest.fixture
async def clean_stream(nats_url: str) -> None:
    """The payment stream holds only this test's events (tests own QINQING_* streams)."""
    client = await nats.connect(nats_url)
    try:
        await client.jetstream().delete_stream("QINQING_PAYMENT")
    except NotFoundError:
        pass
    finally:
        await client.close()


@pytest.fixture
async def book(clean_stream: None, payments: Payments) -> Payments:
    await payments.open_budget("p-rec", 1_000_000)
    return payments


async def paid(payments: Payments, amount: int) -> dict[str, Any]:
    answer = (await payments.pay(payout("p-rec", amount))).json()
    assert answer["status"] == "completed"
    return answer  # type: ignore[no-any-return]


async def report(payments: Payments) -> set[tuple[str, str, str]]:
    runtime = payments.app.state.runtime
    for _ in range(50):  # let the relay publish and mark what was committed
        body = (await payments.api.get("/reconciliation", headers=as_operator())).json()
        marked = await runtime.outbox.pending_count(runtime.units) == 0
        if marked and (body["events"] >= body["payouts"] or body["differences"]):
            break
        await asyncio.sleep(0.1)
    return {(d["source"], d["kind"], d["reference"]) for d in body["differences"]}


async def test_a_clean_book_reconciles(book: Payments) -> None:
    for amount in (100, 200, 300):
        await paid(book, amount)
    assert await report(book) == set()


async def test_bank_statement_differences_are_found(book: Payments) -> None:
    lost, doubled, changed = [await paid(book, n) for n in (100, 200, 300)]
    await report(book)
    lines = {
        line["instruction_id"]: line
        for line in (await book.bank.get("/statement", headers=BANK_CUSTOMER)).json()["lines"]
    }
    await book.bank.delete(f"/admin/statement/{lost['id']}")
    await book.bank.post("/admin/statement", json=lines[doubled["id"]])
    await book.bank.delete(f"/admin/statement/{changed['id']}")
    await book.bank.post("/admin/statement", json=lines[changed["id"]] | {"amount_fen": 301})
    stranger = lines[lost["id"]] | {"instruction_id": "not-a-payout", "reference": "SBXX"}
    await book.bank.post("/admin/statement", json=stranger)
    assert await report(book) == {
        ("bank", "missing", lost["id"]),
        ("bank", "duplicated", doubled["id"]),
        ("bank", "amount_mismatch", changed["id"]),
        ("ledger", "missing", "not-a-payout"),
    }


async def test_ledger_differences_are_found(book: Payments) -> None:
    tampered = await paid(book, 500)
    await report(book)
    async with book.app.state.runtime.db.sessionmaker() as session, session.begin():
        transfer = await session.scalar(
            select(Transfer.id).where(
                Transfer.reference == tampered["application_id"], Transfer.kind == "settlement"
            )
        )
        await session.execute(
            update(Transfer).where(Transfer.id == transfer).values(kind="tampered")
        )
        await session.execute(
            update(Entry)
            .where(Entry.transfer_id == transfer, Entry.amount_fen > 0)
            .values(amount_fen=499)
        )
    assert await report(book) == {
        ("ledger", "missing", tampered["id"]),
        ("ledger", "unbalanced", transfer),
    }


async def test_event_differences_are_found(book: Payments, nats_url: str) -> None:
    lost, doubled = await paid(book, 100), await paid(book, 200)
    await report(book)
    client = await nats.connect(nats_url)
    try:
        js = client.jetstream()
        sub = await js.subscribe(PAYOUT_COMPLETED, ordered_consumer=True)
        for _ in range(2):
            msg = await sub.next_msg(timeout=5)
            data = json.loads(msg.data)
            if data["payout_id"] == lost["id"]:
                await js.delete_msg("QINQING_PAYMENT", msg.metadata.sequence.stream)
            else:
                headers = dict(msg.headers or {}) | {"Nats-Msg-Id": "a-second-copy"}
                await js.publish(PAYOUT_COMPLETED, msg.data, headers=headers)
    finally:
        await client.close()
    assert await report(book) == {
        ("events", "missing", lost["id"]),
        ("events", "duplicated", doubled["id"]),
    }


async def test_a_payout_left_unsettled_longer_than_allowed_is_stale(book: Payments) -> None:
    await book.faults(mode="late", late_seconds=3600)
    sent = (await book.pay(payout("p-rec", 500))).json()
    assert sent["status"] == "sent"
    runtime = book.app.state.runtime
    args = (runtime.units, book.desk.bank, runtime.messaging.js)
    fresh, _, _ = await gather(*args, stale_after=3600)
    assert fresh.stale == set()
    stale, _, _ = await gather(*args, stale_after=0)
    assert stale.stale == {sent["id"]}
    assert stale.payouts[sent["id"]] == (sent["application_id"], "sent", 500)
    assert ("p-rec", 1_000_000, 999_500, 500, 0, 999_500, 500) in stale.budgets


class RelayedDuringTheRead:
    """JetStream as reconciliation sees it, with the outbox relaying an event just after
    the stream was counted: the moment a payout's event is neither counted nor pending."""

    def __init__(self, js: Any, relay: Any) -> None:
        self.js, self.relay = js, relay

    async def stream_info(self, *args: Any, **kwargs: Any) -> Any:
        info = await self.js.stream_info(*args, **kwargs)
        await self.relay()
        return info

    def __getattr__(self, name: str) -> Any:
        return getattr(self.js, name)


async def test_an_event_relayed_while_reconciling_is_not_reported_missing(
    book: Payments,
) -> None:
    relayed = await paid(book, 100)
    await report(book)
    runtime = book.app.state.runtime
    js = runtime.messaging.js
    await js.purge_stream("QINQING_PAYMENT")  # as if never relayed: not in the stream,
    async with runtime.db.sessionmaker() as session, session.begin():  # and still pending
        await session.execute(update(OutboxEvent).values(published_at=None))
    during = RelayedDuringTheRead(js, lambda: runtime.outbox.relay_once(runtime.units, js))
    facts, _, events = await gather(runtime.units, book.desk.bank, during)
    assert await runtime.outbox.pending_count(runtime.units) == 0  # relayed meanwhile
    assert (events, facts.unpublished) == (0, {relayed["id"]})  # so excused, not missing
