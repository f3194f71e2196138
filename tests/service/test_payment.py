"""payment-svc on a real database: budgets never go below zero, payouts happen once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from sqlalchemy import func, select

from payment_svc.config import Settings
from payment_svc.main import create_app
from payment_svc.models import OutboxEvent
from qinqing_shared.contracts.events import BUDGET_EXHAUSTED
from tests.service.conftest import running

USCC = "91330106MA2H00014Q"
PAYEE = {"bank": "Bank of Hangzhou", "account_no": "62170001330106"}


@pytest.fixture
async def payments(
    service_db: Callable[[str], str], nats_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(database_url=service_db("payment_svc"), nats_url=nats_url)
    app = create_app(settings)
    async with running(app) as client:
        client.app = app  # type: ignore[attr-defined]
        yield client


async def open_budget(client: httpx.AsyncClient, policy: str, amount_fen: int) -> None:
    body = {"policy_id": policy, "department_code": "HZ-HRSS", "amount_fen": amount_fen}
    answer = await client.put(f"/budgets/{policy}", json=body)
    assert answer.status_code == 200, answer.text


def payout(policy: str, amount_fen: int, application_id: str | None = None) -> dict[str, object]:
    return {
        "application_id": application_id or str(uuid.uuid4()),
        "policy_id": policy,
        "uscc": USCC,
        "amount_fen": amount_fen,
        "payee": PAYEE,
    }


async def test_concurrent_payouts_never_take_a_budget_below_zero(
    payments: httpx.AsyncClient,
) -> None:
    await open_budget(payments, "p-small", 1_200)
    answers = await asyncio.gather(
        *(payments.post("/payouts", json=payout("p-small", 100)) for _ in range(30))
    )
    codes = [a.status_code for a in answers]
    assert codes.count(200) == 12
    assert codes.count(409) == 18
    assert all(
        a.json()["type"].endswith("budget-exhausted") for a in answers if a.status_code == 409
    )
    budget = (await payments.get("/budgets/p-small")).json()
    assert (budget["remaining_fen"], budget["paid_fen"]) == (0, 1_200)
    account = (await payments.get("/accounts/budget:p-small/balance")).json()
    assert account["balance_fen"] == 0
    ledger = (await payments.get("/ledger/balance")).json()
    assert ledger["balanced"]
    runtime = payments.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.db.sessionmaker() as session:
        exhausted = await session.scalar(
            select(func.count())
            .select_from(OutboxEvent)
            .where(OutboxEvent.subject == BUDGET_EXHAUSTED)
        )
    assert exhausted == 1


async def test_the_same_application_is_paid_once(payments: httpx.AsyncClient) -> None:
    await open_budget(payments, "p-once", 1_000_000)
    request = payout("p-once", 250_000)
    answers = await asyncio.gather(*(payments.post("/payouts", json=request) for _ in range(10)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["id"] for a in answers}) == 1
    budget = (await payments.get("/budgets/p-once")).json()
    assert budget["paid_fen"] == 250_000


async def test_a_different_amount_for_a_paid_application_is_a_conflict(
    payments: httpx.AsyncClient,
) -> None:
    await open_budget(payments, "p-conflict", 1_000_000)
    request = payout("p-conflict", 1_000)
    assert (await payments.post("/payouts", json=request)).status_code == 200
    changed = await payments.post("/payouts", json=request | {"amount_fen": 2_000})
    assert changed.status_code == 409
    assert changed.json()["type"].endswith("payout-conflict")


async def test_budgets_open_once_and_bad_payouts_are_refused(payments: httpx.AsyncClient) -> None:
    await open_budget(payments, "p-open", 500)
    await open_budget(payments, "p-open", 500)
    assert (await payments.get("/budgets/p-open")).json()["funded_fen"] == 500
    unknown = await payments.post("/payouts", json=payout("p-none", 100))
    assert unknown.status_code == 404
    negative = await payments.post("/payouts", json=payout("p-open", -5))
    assert negative.status_code == 422
    bad_uscc = await payments.post("/payouts", json=payout("p-open", 5) | {"uscc": "123"})
    assert bad_uscc.status_code == 422
