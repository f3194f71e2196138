"""HTTP API of payment-svc (internal: the gateway's saga and operators call it)."""

from __future__ import annotations

from fastapi import APIRouter

from payment_svc import service
from payment_svc.bank import SandboxBank
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.payment import (
    Budget,
    BudgetOpen,
    LedgerBalance,
    Payout,
    PayoutRequest,
)
from qinqing_shared.deps import OutboxDep, RuntimeDep, SessionDep
from qinqing_shared.problems import Problem, not_found

router = APIRouter()


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
    return await service.open_budget(PaymentRepository(session), request=request)


@router.get("/budgets/{policy_id}", response_model=Budget, tags=["budgets"])
async def get_budget(policy_id: str, session: SessionDep) -> Budget:
    budget = await PaymentRepository(session).budget(policy_id)
    if budget is None:
        raise not_found("Budget", policy_id)
    return service.to_budget(budget)


@router.post("/payouts", response_model=Payout, tags=["payouts"])
async def create_payout(
    request: PayoutRequest, session: SessionDep, outbox: OutboxDep, runtime: RuntimeDep
) -> Payout:
    """Pay an application from its policy's budget; once per application id."""
    repo = PaymentRepository(session)
    try:
        return await service.pay(repo, outbox, SandboxBank(session), request=request)
    except service.BudgetExhaustedError as exc:
        # End this transaction first: on SQLite it holds the write lock the next one needs.
        await session.rollback()
        async with runtime.db.sessionmaker() as other, other.begin():
            await service.record_exhausted(PaymentRepository(other), outbox, exc)
        raise exc.problem() from exc


@router.get("/payouts/{application_id}", response_model=Payout, tags=["payouts"])
async def get_payout(application_id: str, session: SessionDep) -> Payout:
    row = await PaymentRepository(session).payout_for(application_id)
    if row is None:
        raise not_found("Payout", application_id)
    return service.to_payout(row)


@router.get("/ledger/balance", response_model=LedgerBalance, tags=["ledger"])
async def ledger_balance(session: SessionDep) -> LedgerBalance:
    """Debits and credits over the whole journal: they are equal, always."""
    accounts, debits, credits = await PaymentRepository(session).journal_totals()
    return LedgerBalance(
        accounts=accounts, debits_fen=debits, credits_fen=credits, balanced=debits == credits
    )


@router.get("/accounts/{account_id}/balance", tags=["ledger"])
async def account_balance(account_id: str, session: SessionDep) -> dict[str, int | str]:
    balance = await PaymentRepository(session).account_balance(account_id)
    return {"account_id": account_id, "balance_fen": balance}
