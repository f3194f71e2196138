"""The sandbox bank's HTTP API: payments by instruction id, status, statement, funds.

Run it as its own process: ``python -m qinqing_devtools.sandbox_bank --port 8009``. Fault modes are
set at start (``SANDBOX_BANK_FAULTS``, JSON) or at run time (``PUT /faults``).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hmac
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from qinqing_devtools.sandbox_bank.faults import FaultMode, Faults
from qinqing_devtools.sandbox_bank.store import BankBook
from qinqing_shared import tracing
from qinqing_shared.auth.guard import Credentials, allow, unauthenticated
from qinqing_shared.auth.jwks import JwksCache
from qinqing_shared.auth.scopes import API_AUDIENCE, OPERATIONS_READ
from qinqing_shared.auth.tokens import TokenVerifier
from qinqing_shared.contracts.bank import (
    IncomingTransfer,
    Instruction,
    InstructionBatch,
    Receipt,
    ReceiptBatch,
    StatementLine,
)
from qinqing_shared.contracts.bank import signature as sign
from qinqing_shared.db import create_engine
from qinqing_shared.migrations import ensure_sqlite_dir
from qinqing_shared.problems import install_problem_handlers, not_found

log = logging.getLogger("sandbox-bank")


class BankSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SANDBOX_BANK_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///var/sandbox-bank.db"
    callback_url: str | None = None
    # where money paid in is told (default: beside callback_url, .../bank/incoming)
    incoming_url: str | None = None
    # shared with payment-svc (PAYMENT_BANK_WEBHOOK_SECRET): signs every callback
    webhook_secret: str | None = None
    # what payment-svc sends as its bearer key (PAYMENT_BANK_API_KEY); unset: no payments
    api_key: str | None = None
    # fault and admin routes (a test's hooks): off unless set, and then operators only
    dev_routes: bool = False
    oauth_issuer: str = "http://127.0.0.1:8000"
    oauth_jwks_url: str | None = None  # default: <issuer>/.well-known/jwks.json
    # a dataset (the demo city) whose enterprises hold accounts here, opened at start
    accounts_file: str | None = None
    opening_funds_fen: int = 10**14
    faults: Faults = Faults()


class SandboxBank:
    def __init__(self, settings: BankSettings) -> None:
        ensure_sqlite_dir(settings.database_url)
        self.book = BankBook(create_engine(settings.database_url), settings.opening_funds_fen)
        self.faults = settings.faults
        self.injected: Counter[str] = Counter()  # faults that happened, by mode
        self.callback_url = settings.callback_url
        self.incoming_url = settings.incoming_url or (
            settings.callback_url.rsplit("/", 1)[0] + "/incoming" if settings.callback_url else None
        )
        self.webhook_secret = settings.webhook_secret or ""
        self.tasks: set[asyncio.Task[None]] = set()
        self.callbacks = httpx.AsyncClient(timeout=5, event_hooks=tracing.httpx_hooks())

    def later(self, job: Any) -> None:
        task = asyncio.create_task(job)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    def fault(self, instruction_id: str, mode: FaultMode) -> bool:
        """Whether this instruction meets the fault ``mode``; a fault that does is counted."""
        hit = self.faults.hits(instruction_id, mode)
        if hit:
            self.injected[mode] += 1
        return hit

    async def pay(self, instruction: Instruction) -> dict[str, Any]:
        known = await self.book.get(instruction.instruction_id)
        if known is not None:
            return known
        status, reason = self._verdict(instruction, await self.book.available())
        row = await self.book.book(instruction.model_dump(), status, reason)
        self._afterwards(row, confirm=True)
        return row

    async def pay_many(self, instructions: list[Instruction]) -> list[dict[str, Any]]:
        """A batch: each instruction executed once, as alone, booked in one transaction.
        Its receipts are the answer; the bank notifies only what changes after (a late
        completion, a return), and a duplicate notification when that fault hits."""
        known = await self.book.get_many([i.instruction_id for i in instructions])
        available, entries = await self.book.available(), []
        for instruction in instructions:
            if instruction.instruction_id in known:
                continue
            status, reason = self._verdict(instruction, available)
            available -= instruction.amount_fen if status == "completed" else 0
            entries.append((instruction.model_dump(), status, reason))
        booked = await self.book.book_many(entries)
        for row in booked.values():
            self._afterwards(row, confirm=False)
        return [known.get(i.instruction_id) or booked[i.instruction_id] for i in instructions]

    def _verdict(self, instruction: Instruction, available: int) -> tuple[str, str | None]:
        """How a new instruction is booked: its status, and why if it failed."""
        iid = instruction.instruction_id
        if self.fault(iid, "fail"):
            return "failed", "account frozen"
        if available < instruction.amount_fen:
            return "failed", "insufficient funds"
        if self.fault(iid, "late"):
            return "pending", None
        return "completed", None

    def _afterwards(self, row: dict[str, Any], confirm: bool) -> None:
        """What the bank does after booking: completes a pending one later, notifies a
        completed one (``confirm``, or twice on a duplicate fault), returns one later."""
        iid = row["instruction_id"]
        if row["status"] == "pending":
            self.later(self._complete_later(iid))
        if row["status"] != "completed":
            return
        twice = self.fault(iid, "duplicate")
        if confirm or twice:
            self.later(self._confirm(row, twice=twice))
        if self.fault(iid, "returned"):
            self.later(self._return_later(iid))

    async def _return_later(self, instruction_id: str) -> None:
        await asyncio.sleep(self.faults.late_seconds)
        row = await self.book.return_payment(instruction_id, "account closed")
        if row is not None:
            await self._confirm(row, twice=False)

    async def _complete_later(self, instruction_id: str) -> None:
        await asyncio.sleep(self.faults.late_seconds)
        row = await self.book.complete(instruction_id)
        if row is not None:
            await self._confirm(row, twice=False)

    async def _confirm(self, row: dict[str, Any], twice: bool) -> None:
        """Tell payment-svc what happened (a real bank's notification), once or twice."""
        body = receipt(row).model_dump_json().encode()
        for _ in range(2 if twice else 1):
            await self._notify(self.callback_url, body)

    async def receive(self, transfer: IncomingTransfer) -> None:
        """Money paid into the platform's account: booked, then told to payment-svc."""
        await self.book.receive(transfer.model_dump())
        self.later(self._notify(self.incoming_url, transfer.model_dump_json().encode()))

    async def _notify(self, url: str | None, body: bytes) -> None:
        """A signed notification, tried until payment-svc takes it (five times)."""
        if not url:
            return
        for attempt in range(5):
            headers = {
                "Content-Type": "application/json",
                "X-Bank-Signature": sign(self.webhook_secret, int(time.time()), body),
            }
            with contextlib.suppress(httpx.HTTPError):
                answer = await self.callbacks.post(url, content=body, headers=headers)
                if answer.is_success:
                    return
            await asyncio.sleep(0.5 * (attempt + 1))


class PaidIn(BaseModel):
    """Test hook's body: an enterprise pays the platform, quoting a reference."""

    reference: str = Field(max_length=64)
    payer_account_no: str = Field(max_length=40)
    amount_fen: int = Field(gt=0)
    currency: str = Field(default="CNY", max_length=3)


class HolderCheck(BaseModel):
    """Does this account belong to this enterprise? (an account-holder check)"""

    account_no: str = Field(max_length=40)
    holder_uscc: str = Field(max_length=18)
    holder_name: str = Field(max_length=200)


class HolderAnswer(BaseModel):
    match: bool
    reason: str | None = None


class Holder(BaseModel):
    holder_uscc: str = Field(max_length=18)
    holder_name: str = Field(max_length=200)


def holders_in(dataset: Path) -> list[dict[str, str]]:
    city = json.loads(dataset.read_text(encoding="utf-8"))
    return [
        {
            "account_no": e["bank_account"]["account_no"],
            "holder_uscc": e["uscc"],
            "holder_name": e["name"],
        }
        for e in city["enterprises"]
    ]


async def check_holder(bank: SandboxBank, check: HolderCheck) -> HolderAnswer:
    holder = await bank.book.holder(check.account_no)
    if holder is None:
        return HolderAnswer(match=False, reason="no such account at this bank")
    if (holder["holder_uscc"], holder["holder_name"]) != (check.holder_uscc, check.holder_name):
        return HolderAnswer(match=False, reason="the account is held by someone else")
    return HolderAnswer(match=True)


def receipt(row: dict[str, Any]) -> Receipt:
    return Receipt(
        instruction_id=row["instruction_id"],
        reference=row["reference"],
        status=row["status"],
        reason=row.get("reason"),
    )


def create_app(settings: BankSettings | None = None) -> FastAPI:
    bank_settings = settings or BankSettings()
    bank = SandboxBank(bank_settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await bank.book.create()
        await bank.book.load_paid()
        if bank_settings.accounts_file:
            await bank.book.open_accounts(holders_in(Path(bank_settings.accounts_file)))
        yield
        await bank.callbacks.aclose()
        for task in list(bank.tasks):
            task.cancel()
        await bank.book.engine.dispose()
        tracing.shutdown()

    app = FastAPI(
        title="Sandbox bank",
        lifespan=lifespan,
        description="Stands in for a real bank; every fault a bank can have, on demand.",
        telemetry=tracing.FASTAPI_TELEMETRY_OFF,  # type: ignore[arg-type]
    )
    app.state.bank = bank
    if tracing.configure("sandbox-bank"):  # a real bank's side of the trace
        app.add_middleware(tracing.TracingMiddleware)
    install_problem_handlers(app)
    customer = [Depends(_customer(bank_settings.api_key))]
    _routes(app, bank, customer)
    if bank_settings.dev_routes:
        issuer = bank_settings.oauth_issuer
        jwks = JwksCache(
            bank_settings.oauth_jwks_url or issuer.rstrip("/") + "/.well-known/jwks.json"
        )
        app.state.verifier = TokenVerifier({issuer: jwks}, [API_AUDIENCE])
        _dev_routes(app, bank, [allow(scopes=(OPERATIONS_READ,))])
    return app


def _customer(api_key: str | None) -> Callable[[Credentials], Awaitable[None]]:
    """The bank's only customer here is payment-svc, known by its API key."""

    async def check(credentials: Credentials) -> None:
        given = credentials.credentials if credentials else ""
        if not api_key or not hmac.compare_digest(given.encode(), api_key.encode()):
            raise unauthenticated("Send the bank's API key as a bearer token.", bool(given))

    return check


def _routes(app: FastAPI, bank: SandboxBank, customer: list[Any]) -> None:
    @app.post("/payments", response_model=Receipt, dependencies=customer)
    async def pay(instruction: Instruction) -> Any:
        iid = instruction.instruction_id
        if bank.fault(iid, "down"):
            return JSONResponse({"detail": "bank unavailable"}, status_code=503)
        if bank.fault(iid, "latency"):
            await asyncio.sleep(bank.faults.latency_ms / 1000)
        row = await bank.pay(instruction)
        if bank.fault(iid, "timeout"):
            await asyncio.sleep(bank.faults.hang_seconds)
        return receipt(row)

    @app.post("/payment-batches", response_model=ReceiptBatch, dependencies=customer)
    async def pay_batch(batch: InstructionBatch) -> Any:
        """Several instructions at once (a bank's batch file): each executed once, as if
        sent alone, with its own faults; the batch as a whole meets its first
        instruction's faults of the connection (down, latency, timeout)."""
        first = batch.instructions[0].instruction_id
        if bank.fault(first, "down"):
            return JSONResponse({"detail": "bank unavailable"}, status_code=503)
        if bank.fault(first, "latency"):
            await asyncio.sleep(bank.faults.latency_ms / 1000)
        rows = await bank.pay_many(batch.instructions)
        if bank.fault(first, "timeout"):
            await asyncio.sleep(bank.faults.hang_seconds)
        return ReceiptBatch(receipts=[receipt(row) for row in rows])

    @app.get("/payments/{instruction_id}", response_model=Receipt, dependencies=customer)
    async def status(instruction_id: str) -> Receipt:
        row = await bank.book.get(instruction_id)
        if row is None:
            raise not_found("Instruction", instruction_id)
        return receipt(row)

    @app.get("/statement", dependencies=customer)
    async def statement() -> dict[str, list[StatementLine]]:
        lines = [StatementLine.model_validate(r) for r in await bank.book.statement_lines()]
        return {"lines": lines}

    @app.post("/accounts/verification", response_model=HolderAnswer, dependencies=customer)
    async def verify_holder(check: HolderCheck) -> HolderAnswer:
        """Whether the account is held by this enterprise (name and USCC must match)."""
        return await check_holder(bank, check)

    @app.get("/funds", dependencies=customer)
    async def funds() -> dict[str, int]:
        return {"available_fen": await bank.book.available()}


def _dev_routes(app: FastAPI, bank: SandboxBank, operator: list[Any]) -> None:
    @app.get("/faults", response_model=Faults, dependencies=operator)
    async def get_faults() -> Faults:
        return bank.faults

    @app.put("/faults", response_model=Faults, dependencies=operator)
    async def set_faults(faults: Faults) -> Faults:
        bank.faults = faults
        return faults

    @app.get("/faults/injected", response_model=dict[str, int], dependencies=operator)
    async def injected_faults() -> dict[str, int]:
        """How many times each fault has happened since the bank started."""
        return dict(bank.injected)

    @app.put("/admin/accounts/{account_no}", status_code=204, dependencies=operator)
    async def open_account(account_no: str, holder: Holder) -> None:
        """Test hook: open an account for an enterprise (a bank's own business)."""
        await bank.book.open_accounts([{"account_no": account_no, **holder.model_dump()}])

    @app.post("/admin/statement", status_code=204, dependencies=operator)
    async def inject_line(line: StatementLine) -> None:
        """Test hook: book a statement line the bank should not have (a bank error)."""
        await bank.book.add_line(line.model_dump())

    @app.post("/admin/incoming", response_model=IncomingTransfer, dependencies=operator)
    async def pay_in(paid: PaidIn) -> IncomingTransfer:
        """Test hook: an enterprise pays money into the platform's account (it repays a
        clawback, quoting its reference); payment-svc is told, signed."""
        transfer = IncomingTransfer(
            transfer_id=f"IN-{uuid.uuid4().hex[:20].upper()}",
            received_at=dt.datetime.now(dt.UTC),
            **paid.model_dump(),
        )
        await bank.receive(transfer)
        return transfer

    @app.delete("/admin/statement/{instruction_id}", status_code=204, dependencies=operator)
    async def drop_lines(instruction_id: str) -> None:
        """Test hook: lose the statement lines of an instruction (a bank error)."""
        await bank.book.drop_lines(instruction_id)
