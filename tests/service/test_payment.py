"""payment-svc on a real database with the sandbox bank: once, never below zero, never lost."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from payment_svc.bank.connector import HttpBankConnector
from payment_svc.bank.sandbox.app import BankSettings
from payment_svc.bank.sandbox.app import create_app as bank_app
from payment_svc.bank.sandbox.faults import Faults
from payment_svc.config import Settings
from payment_svc.desk import PayoutDesk
from payment_svc.main import create_app
from payment_svc.models import OutboxEvent
from qinqing_shared.contracts.events import BUDGET_EXHAUSTED, PAYOUT_REVERSED
from tests.service.conftest import running

USCC = "91330106MA2H00014Q"
PAYEE = {"bank": "Bank of Hangzhou", "account_no": "62170001330106"}


class Payments:
    """payment-svc in-process, its bank in-process, both over HTTP."""

    def __init__(self, api: httpx.AsyncClient, bank: httpx.AsyncClient, app: Any) -> None:
        self.api, self.bank, self.app = api, bank, app

    @property
    def desk(self) -> PayoutDesk:
        desk: PayoutDesk = self.app.state.desk
        return desk

    async def faults(self, **faults: Any) -> None:
        assert (await self.bank.put("/faults", json=Faults(**faults).model_dump())).is_success

    async def open_budget(self, policy: str, amount_fen: int) -> None:
        body = {"policy_id": policy, "department_code": "HZ-HRSS", "amount_fen": amount_fen}
        assert (await self.api.put(f"/budgets/{policy}", json=body)).status_code == 200

    async def pay(self, body: dict[str, Any], key: str | None = None) -> httpx.Response:
        headers = {"Idempotency-Key": key or str(uuid.uuid4())}
        return await self.api.post("/payouts", json=body, headers=headers)

    async def budget(self, policy: str) -> dict[str, Any]:
        budget: dict[str, Any] = (await self.api.get(f"/budgets/{policy}")).json()
        return budget

    async def balance(self, account: str) -> int:
        return int((await self.api.get(f"/accounts/{account}/balance")).json()["balance_fen"])

    async def events(self, subject: str) -> int:
        async with self.app.state.runtime.db.sessionmaker() as session:
            query = select(func.count()).select_from(OutboxEvent)
            return int(await session.scalar(query.where(OutboxEvent.subject == subject)) or 0)

    async def balanced(self) -> bool:
        return bool((await self.api.get("/ledger/balance")).json()["balanced"])


@contextlib.asynccontextmanager
async def sandbox_bank(path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = bank_app(BankSettings(database_url=f"sqlite+aiosqlite:///{path}"))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bank") as client:
            yield client


@pytest.fixture
async def payments(
    service_db: Callable[[str], str], nats_url: str, tmp_path: Path
) -> AsyncIterator[Payments]:
    async with sandbox_bank(tmp_path / "bank.db") as bank:
        # the bank answers in-process; a short timeout stands for a bank that hangs
        connector = HttpBankConnector(
            httpx.AsyncClient(transport=bank._transport, base_url="http://bank", timeout=0.5)
        )
        settings = Settings(
            database_url=service_db("payment_svc"), nats_url=nats_url, resolve_every_seconds=3600
        )
        app = create_app(settings, bank=connector)
        async with running(app) as api:
            yield Payments(api, bank, app)


def payout(policy: str, amount_fen: int, application_id: str | None = None) -> dict[str, Any]:
    return {
        "application_id": application_id or str(uuid.uuid4()),
        "policy_id": policy,
        "uscc": USCC,
        "amount_fen": amount_fen,
        "payee": PAYEE,
    }


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


async def test_the_same_application_is_paid_once(payments: Payments) -> None:
    await payments.open_budget("p-once", 1_000_000)
    request = payout("p-once", 250_000)
    answers = await asyncio.gather(*(payments.pay(request) for _ in range(10)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["id"] for a in answers}) == 1
    assert (await payments.budget("p-once"))["paid_fen"] == 250_000
    lines = (await payments.bank.get("/statement")).json()["lines"]
    assert len(lines) == 1


async def test_idempotency_keys_on_payouts(payments: Payments) -> None:
    await payments.open_budget("p-keys", 10_000)
    request = payout("p-keys", 1_000)
    missing = await payments.api.post("/payouts", json=request)
    assert missing.status_code == 400
    first = await payments.pay(request, key="key-1")
    replay = await payments.pay(request, key="key-1")
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


async def test_a_bank_timeout_is_resolved_by_asking_not_by_paying_again(
    payments: Payments,
) -> None:
    await payments.open_budget("p-timeout", 10_000)
    await payments.faults(mode="timeout", hang_seconds=1.5)
    answer = await payments.pay(payout("p-timeout", 3_000))
    assert answer.json()["status"] == "completed"
    lines = (await payments.bank.get("/statement")).json()["lines"]
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
    await asyncio.sleep(0.5)
    receipt = (await payments.bank.get(f"/payments/{first.json()['id']}")).json()
    assert receipt["status"] == "completed"
    for _ in range(2):  # the bank's confirmation, delivered twice
        confirmed = await payments.api.post("/bank/confirmations", json=receipt)
        assert confirmed.json()["status"] == "completed"
    assert (await payments.budget("p-late"))["paid_fen"] == 1_500
    assert await payments.desk.resolve(older_than=0) == 0
    assert await payments.balanced()


async def test_a_clawback_is_a_compensating_transfer(payments: Payments) -> None:
    await payments.open_budget("p-back", 10_000)
    request = payout("p-back", 6_000)
    assert (await payments.pay(request)).json()["status"] == "completed"
    path = f"/payouts/{request['application_id']}/reversal"
    body = {"reason": "declaration found false"}
    reversed_ = await payments.api.post(path, json=body, headers={"Idempotency-Key": "r1"})
    assert reversed_.json()["status"] == "reversed"
    again = await payments.api.post(path, json=body, headers={"Idempotency-Key": "r2"})
    assert again.json()["status"] == "reversed"
    budget = await payments.budget("p-back")
    assert (budget["remaining_fen"], budget["paid_fen"]) == (10_000, 0)
    assert await payments.balance("budget:p-back") == 10_000
    assert await payments.events(PAYOUT_REVERSED) == 1
    assert await payments.balanced()
