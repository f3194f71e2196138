"""HTTP API of payment-svc (internal: the gateway's saga, the bank, operators)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc import budgets, payouts
from payment_svc.bank.connector import Receipt
from payment_svc.desk import AnswerKeeper, PayoutDesk
from payment_svc.reconciliation import Report, reconcile
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.payment import (
    FINAL_PAYOUT_STATUSES,
    Budget,
    BudgetOpen,
    LedgerBalance,
    Payout,
    PayoutRequest,
    ReversalRequest,
)
from qinqing_shared.deps import OutboxDep, ReadSessionDep, RuntimeDep, SessionDep
from qinqing_shared.idempotency import (
    IdempotencyStore,
    Replay,
    fingerprint,
    replay_response,
    require_key,
)
from qinqing_shared.problems import Problem, not_found

router = APIRouter()
KeyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]
ClientHeader = Annotated[str, Header(alias="X-Client-Id", max_length=100)]


def _desk(request: Request) -> PayoutDesk:
    desk: PayoutDesk = request.app.state.desk
    return desk


async def _keyed(
    request: Request,
    key: str | None,
    client: str,
    body: Any,
    run: Callable[[AnswerKeeper], Awaitable[Payout]],
) -> Any:
    """Run a creating call under its Idempotency-Key; only final answers are kept.

    ``run`` may keep the answer itself, in the transaction that made it final (one
    commit fewer); otherwise it is kept here.
    """
    keys: IdempotencyStore = request.app.state.keys
    claim = await keys.begin(client, require_key(key), fingerprint("POST", request.url.path, body))
    if isinstance(claim, Replay):
        return replay_response(claim)
    kept: list[Payout] = []

    async def keep(session: AsyncSession, payout: Payout) -> None:
        if payout.status in FINAL_PAYOUT_STATUSES:
            await keys.done(session, claim, 200, payout.model_dump(mode="json"))
            kept.append(payout)

    try:
        payout = await run(keep)
    except BaseException:
        await keys.release(claim)
        raise
    answer = payout.model_dump(mode="json")
    if payout.status in FINAL_PAYOUT_STATUSES:
        if not kept:
            await keys.finish(claim, 200, answer)
        return payout
    await keys.release(claim)  # not known yet: the same key may ask again
    return JSONResponse(answer, status_code=202)


@router.put("/budgets/{policy_id}", response_model=Budget, tags=["budgets"])
async def open_budget(policy_id: str, request: BudgetOpen, session: SessionDep) -> Budget:
    """Open and fund a policy's budget (idempotent: once per policy)."""
    if request.policy_id != policy_id:
        raise Problem(
            422,
            "policy-id-mismatch",
            "Policy id mismatch",
            f"The path names {policy_id} but the body names {request.policy_id}.",
        )
    return await budgets.open_budget(PaymentRepository(session), request=request)


@router.get("/budgets/{policy_id}", response_model=Budget, tags=["budgets"])
async def get_budget(policy_id: str, session: ReadSessionDep) -> Budget:
    budget = await PaymentRepository(session).budget(policy_id)
    if budget is None:
        raise not_found("Budget", policy_id)
    return budgets.to_budget(budget)


@router.post(
    "/payouts",
    response_model=Payout,
    tags=["payouts"],
    responses={202: {"description": "accepted; the bank has not confirmed yet"}},
)
async def create_payout(
    body: PayoutRequest,
    request: Request,
    idempotency_key: KeyHeader = None,
    client: ClientHeader = "anonymous",
) -> Any:
    """Pay an application from its policy's budget; once per application id."""
    return await _keyed(
        request,
        idempotency_key,
        client,
        body.model_dump(mode="json"),
        lambda keep: _desk(request).pay(body, keep),
    )


@router.get("/payouts/{application_id}", response_model=Payout, tags=["payouts"])
async def get_payout(application_id: str, session: ReadSessionDep) -> Payout:
    row = await PaymentRepository(session).payout_for(application_id)
    if row is None:
        raise not_found("Payout", application_id)
    return payouts.to_payout(row)


@router.post("/payouts/{application_id}/reversal", response_model=Payout, tags=["payouts"])
async def reverse_payout(
    application_id: str,
    body: ReversalRequest,
    request: Request,
    session: SessionDep,
    outbox: OutboxDep,
    idempotency_key: KeyHeader = None,
    client: ClientHeader = "anonymous",
) -> Any:
    """Claw a completed payout back into its budget (compensating transfers)."""

    async def run(_keep: AnswerKeeper) -> Payout:
        repo = PaymentRepository(session)
        row = await repo.payout_for(application_id, lock=True)
        if row is None:
            raise not_found("Payout", application_id)
        await payouts.reverse(repo, outbox, row, body.reason)
        await session.commit()
        return payouts.to_payout(row)

    return await _keyed(request, idempotency_key, client, body.model_dump(), run)


@router.post("/bank/confirmations", response_model=Payout, tags=["bank"])
async def bank_confirmation(receipt: Receipt, request: Request) -> Payout:
    """The bank's word on an instruction (payout id); repeated words change nothing."""
    return await _desk(request).apply(receipt.instruction_id, receipt)


@router.get("/ledger/balance", response_model=LedgerBalance, tags=["ledger"])
async def ledger_balance(session: ReadSessionDep) -> LedgerBalance:
    """Debits and credits over the whole journal: they are equal, always."""
    accounts, debits, credits = await PaymentRepository(session).journal_totals()
    return LedgerBalance(
        accounts=accounts, debits_fen=debits, credits_fen=credits, balanced=debits == credits
    )


@router.get("/accounts/{account_id}/balance", tags=["ledger"])
async def account_balance(account_id: str, session: ReadSessionDep) -> dict[str, int | str]:
    balance = await PaymentRepository(session).account_balance(account_id)
    return {"account_id": account_id, "balance_fen": balance}


@router.get("/reconciliation", response_model=Report, tags=["ledger"])
async def reconciliation(request: Request, session: ReadSessionDep, runtime: RuntimeDep) -> Report:
    """Ledger, payouts, bank statement and published events compared; every difference."""
    return await reconcile(PaymentRepository(session), _desk(request).bank, runtime.messaging.js)
