"""HTTP API of payment-svc (internal: the gateway's saga, the bank, operators)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc import budgets, payouts
from payment_svc.desk import AnswerKeeper, PayoutDesk
from payment_svc.errors import (
    BankSignatureInvalid,
    BankStatusUnknown,
    BudgetExhaustedProblem,
    InvalidConfirmation,
    OrderMismatch,
    PayoutConflict,
    PayoutNotCompleted,
)
from payment_svc.orders import verified_receipt, verify_order
from payment_svc.reconciliation import Report, reconcile
from payment_svc.repository import PaymentRepository
from qinqing_shared import audit
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import OPERATIONS_READ, PAYOUTS_REVERSE, POLICIES_WRITE
from qinqing_shared.auth.signing import AttestationVerifier
from qinqing_shared.auth.tokens import Caller
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
from qinqing_shared.problems import PolicyIdMismatch, not_found, responses

router = APIRouter(responses=GUARDED_RESPONSES)
KeyHeader = Annotated[str | None, Header(alias="Idempotency-Key")]
GATEWAY = ("gateway",)


def _orders(request: Request) -> AttestationVerifier:
    orders = request.app.state.runtime.attestations
    assert isinstance(orders, AttestationVerifier)
    return orders


def _desk(request: Request) -> PayoutDesk:
    desk: PayoutDesk = request.app.state.desk
    return desk


async def _keyed(
    request: Request,
    key: str | None,
    client: str,  # the caller's client_id: keys are kept per caller
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


@router.put(
    "/budgets/{policy_id}",
    response_model=Budget,
    tags=["budgets"],
    responses=responses(PolicyIdMismatch),
)
async def open_budget(
    policy_id: str,
    request: BudgetOpen,
    session: SessionDep,
    outbox: OutboxDep,
    caller: Caller = allow(scopes=(POLICIES_WRITE,)),
) -> Budget:
    """Open and fund a policy's budget (idempotent: once per policy): its department."""
    if caller.department != request.department_code:
        raise forbidden(f"Only department {request.department_code} funds this budget.")
    if request.policy_id != policy_id:
        raise PolicyIdMismatch.of(policy_id, request.policy_id)
    audit.record(
        outbox,
        session,
        actor=caller.client_id,
        action="budget.opened",
        object_type="budget",
        object_id=policy_id,
    )
    return await budgets.open_budget(PaymentRepository(session), request=request)


@router.get("/budgets/{policy_id}", response_model=Budget, tags=["budgets"])
async def get_budget(
    policy_id: str, session: ReadSessionDep, _caller: Caller = allow(scopes=(OPERATIONS_READ,))
) -> Budget:
    budget = await PaymentRepository(session).budget(policy_id)
    if budget is None:
        raise not_found("Budget", policy_id)
    return budgets.to_budget(budget)


@router.post(
    "/payouts",
    response_model=Payout,
    tags=["payouts"],
    responses={
        202: {"description": "accepted; the bank has not confirmed yet"},
        **responses(PayoutConflict, BudgetExhaustedProblem, OrderMismatch, BankStatusUnknown),
    },
)
async def create_payout(
    body: PayoutRequest,
    request: Request,
    idempotency_key: KeyHeader = None,
    caller: Caller = allow(services=GATEWAY),
) -> Any:
    """Pay an application from its policy's budget; once per application id.

    Only what subsidy-svc ordered (signed) is paid, only to the account identity-svc
    signed for the enterprise: any other request is refused before anything is reserved.
    """
    await verify_order(_orders(request), body)
    return await _keyed(
        request,
        idempotency_key,
        caller.client_id,
        body.model_dump(mode="json"),
        lambda keep: _desk(request).pay(body, keep),
    )


@router.get("/payouts/{application_id}", response_model=Payout, tags=["payouts"])
async def get_payout(
    application_id: str,
    session: ReadSessionDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=GATEWAY),
) -> Payout:
    row = await PaymentRepository(session).payout_for(application_id)
    if row is None:
        raise not_found("Payout", application_id)
    return payouts.to_payout(row)


@router.post(
    "/payouts/{application_id}/reversal",
    response_model=Payout,
    tags=["payouts"],
    responses=responses(PayoutNotCompleted),
)
async def reverse_payout(
    application_id: str,
    body: ReversalRequest,
    request: Request,
    runtime: RuntimeDep,
    outbox: OutboxDep,
    idempotency_key: KeyHeader = None,
    caller: Caller = allow(scopes=(PAYOUTS_REVERSE,)),
) -> Any:
    """Claw a completed payout back into its budget (compensating transfers): operators."""

    async def run(_keep: AnswerKeeper) -> Payout:
        # its own transaction, closed before the key is released or finished: on SQLite a
        # request session held open here made the key's own session wait for it (forever)
        async with runtime.db.sessionmaker() as session, session.begin():
            repo = PaymentRepository(session)
            row = await repo.payout_for(application_id, lock=True)
            if row is None:
                raise not_found("Payout", application_id)
            await payouts.reverse(repo, outbox, row, body.reason, by=caller.client_id)
            return payouts.to_payout(row)

    return await _keyed(request, idempotency_key, caller.client_id, body.model_dump(), run)


@router.post(
    "/bank/confirmations",
    response_model=Payout,
    tags=["bank"],
    responses=responses(BankSignatureInvalid, InvalidConfirmation, BankStatusUnknown),
)
async def bank_confirmation(
    request: Request, x_bank_signature: Annotated[str | None, Header()] = None
) -> Payout:
    """The bank's word on an instruction (payout id), signed by the bank (HMAC); nothing
    moves on its word alone: the bank's own status of the instruction is asked first."""
    receipt = await verified_receipt(request, x_bank_signature)
    return await _desk(request).confirm(receipt)


@router.get("/ledger/balance", response_model=LedgerBalance, tags=["ledger"])
async def ledger_balance(
    session: ReadSessionDep, _caller: Caller = allow(scopes=(OPERATIONS_READ,))
) -> LedgerBalance:
    """Debits and credits over the whole journal: they are equal, always."""
    accounts, debits, credits = await PaymentRepository(session).journal_totals()
    return LedgerBalance(
        accounts=accounts, debits_fen=debits, credits_fen=credits, balanced=debits == credits
    )


@router.get("/accounts/{account_id}/balance", tags=["ledger"])
async def account_balance(
    account_id: str, session: ReadSessionDep, _caller: Caller = allow(scopes=(OPERATIONS_READ,))
) -> dict[str, int | str]:
    balance = await PaymentRepository(session).account_balance(account_id)
    return {"account_id": account_id, "balance_fen": balance}


@router.get("/reconciliation", response_model=Report, tags=["ledger"])
async def reconciliation(
    request: Request,
    session: ReadSessionDep,
    runtime: RuntimeDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,)),
) -> Report:
    """Ledger, payouts, bank statement and published events compared; every difference."""
    return await reconcile(PaymentRepository(session), _desk(request).bank, runtime.messaging.js)
