"""payment-svc and its sandbox bank, in-process over HTTP, on a real database and NATS."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from payment_svc.bank.connector import HttpBankConnector
from payment_svc.config import Settings
from payment_svc.desk import PayoutDesk
from payment_svc.main import create_app
from payment_svc.models import OutboxEvent
from qinqing_devtools.sandbox_bank.app import BankSettings
from qinqing_devtools.sandbox_bank.app import create_app as bank_app
from qinqing_devtools.sandbox_bank.faults import Faults
from qinqing_shared.contracts import bank
from tests.service.auth_support import (
    ISSUER,
    as_department,
    as_gateway,
    as_operator,
    payout_order,
    trust_test_issuer,
)
from tests.service.conftest import running

USCC = "91330106MA2H00014Q"
BANK_SECRET = "a-test-secret-the-bank-and-payment-svc-share"
BANK_KEY = "payment-svc-s-api-key-at-the-test-bank"
BANK_CUSTOMER = {"Authorization": f"Bearer {BANK_KEY}"}  # payment-svc, as the bank knows it
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
        headers = as_department("HZ-HRSS")
        answer = await self.api.put(f"/budgets/{policy}", json=body, headers=headers)
        assert answer.status_code == 200

    async def pay(self, body: dict[str, Any], key: str | None = None) -> httpx.Response:
        """As the gateway, with subsidy-svc's order for exactly this body (unless given)."""
        headers = {"Idempotency-Key": key or str(uuid.uuid4())}
        body = body if "order" in body else body | {"order": payout_order(body)}
        return await self.api.post("/payouts", json=body, headers=headers)

    async def confirm(self, receipt: dict[str, Any]) -> httpx.Response:
        """The bank's callback, signed as the bank signs it."""
        return await self.from_bank("/bank/confirmations", receipt)

    async def from_bank(self, path: str, told: dict[str, Any]) -> httpx.Response:
        """A notification of the bank's, signed as the bank signs it."""
        body = json.dumps(told).encode()
        signature = bank.signature(BANK_SECRET, int(time.time()), body)
        headers = {"X-Bank-Signature": signature, "Content-Type": "application/json"}
        return await self.api.post(path, content=body, headers=headers)

    async def budget(self, policy: str) -> dict[str, Any]:
        answer = await self.api.get(f"/budgets/{policy}", headers=as_operator())
        budget: dict[str, Any] = answer.json()
        return budget

    async def balance(self, account: str) -> int:
        answer = await self.api.get(f"/accounts/{account}/balance", headers=as_operator())
        return int(answer.json()["balance_fen"])

    async def events(self, subject: str) -> int:
        async with self.app.state.runtime.db.sessionmaker() as session:
            query = select(func.count()).select_from(OutboxEvent)
            return int(await session.scalar(query.where(OutboxEvent.subject == subject)) or 0)

    async def balanced(self) -> bool:
        answer = await self.api.get("/ledger/balance", headers=as_operator())
        return bool(answer.json()["balanced"])


class TimedTransport(httpx.AsyncBaseTransport):
    """An in-process transport that gives up after ``seconds`` as a network client does:
    httpx's own timeouts hold for sockets only, not for an app called in-process."""

    def __init__(self, inner: httpx.AsyncBaseTransport, seconds: float) -> None:
        self.inner, self.seconds = inner, seconds

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        try:
            return await asyncio.wait_for(self.inner.handle_async_request(request), self.seconds)
        except TimeoutError:
            raise httpx.ReadTimeout("the bank did not answer in time", request=request) from None


@contextlib.asynccontextmanager
async def sandbox_bank(path: Path) -> AsyncIterator[httpx.AsyncClient]:
    """The bank in-process; this client is an operator using its fault and admin routes."""
    settings = BankSettings(
        database_url=f"sqlite+aiosqlite:///{path}",
        api_key=BANK_KEY,
        dev_routes=True,
        oauth_issuer=ISSUER,
    )
    app = trust_test_issuer(bank_app(settings))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://bank", headers=as_operator()
        ) as client:
            yield client


@pytest.fixture
async def payments(
    service_db: Callable[[str], str],
    nats_url: str,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Payments]:
    # the bank answers in-process and is given the time a busy CI machine may take (its
    # first answer, cold, once took over 0.5 s there). A test about a bank that hangs says
    # how long payment-svc waits with @pytest.mark.bank_timeout(seconds).
    marker = request.node.get_closest_marker("bank_timeout")
    seconds = float(marker.args[0]) if marker else 10.0
    async with sandbox_bank(tmp_path / "bank.db") as bank:
        connector = HttpBankConnector(
            httpx.AsyncClient(
                transport=TimedTransport(bank._transport, seconds),
                base_url="http://bank",
                timeout=seconds,
                headers=BANK_CUSTOMER,
            )
        )
        settings = Settings(
            database_url=service_db("payment_svc"),
            nats_url=nats_url,
            resolve_every_seconds=3600,
            bank_webhook_secret=BANK_SECRET,
            jobs_poll_seconds=3600,  # due jobs (refunds) run when a test runs them
        )
        app = create_app(settings, bank=connector)
        async with running(app, as_gateway("payment-svc")) as api:
            yield Payments(api, bank, app)


def payout(policy: str, amount_fen: int, application_id: str | None = None) -> dict[str, Any]:
    return {
        "application_id": application_id or str(uuid.uuid4()),
        "policy_id": policy,
        "uscc": USCC,
        "amount_fen": amount_fen,
        "payee": PAYEE,
    }
