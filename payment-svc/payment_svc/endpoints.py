"""HTTP API of payment-svc (internal: the gateway's saga, the bank, operators)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request

from payment_svc import budgets, clawbacks, payouts
from payment_svc.clawbacks import clawback_out
from payment_svc.desk import PayoutDesk
from payment_svc.errors import (
    AlreadyRepaid,
    BankSignatureInvalid,
    BankStatusUnknown,
    BudgetExhaustedProblem,
    InvalidConfirmation,
    OrderMismatch,
    PayoutConflict,
    PayoutNotCompleted,
    RepaymentMismatch,
    UnknownReference,
)
from payment_svc.orders import verified, verified_receipt, verify_order
from payment_svc.reconciliation import Report, reconcile
from payment_svc.refunds import RefundDesk, refund_out
from payment_svc.repository import PaymentRepository
from qinqing_shared import audit
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import OPERATIONS_READ, PAYOUTS_REVERSE, POLICIES_WRITE
from qinqing_shared.auth.signing import AttestationVerifier
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.bank import IncomingTransfer
from qinqing_shared.contracts.payment import (
    FINAL_PAYOUT_STATUSES,
    Budget,
    BudgetOpen,
    ClawbackOut,
    LedgerBalance,
    Payout,
    PayoutBatch,
    PayoutBatchItem,
    PayoutRequest,
    RefundOut,
    ReversalRequest,
)
from qinqing_shared.deps import ReadUnitDep, RuntimeDep, WriteUnitDep
from qinqing_shared.idempotency import Answer, Claim, IdempotencyStore, answer_response, fingerprint
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import PolicyIdMismatch, Problem, not_found, responses

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
    run: Callable[[Claim], Awaitable[Payout]],
) -> Any:
    """Run a creating call under its Idempotency-Key: a payout's final answer is kept
    (200); one the bank has not settled yet is answered 202 and keeps nothing."""

    async def action(claim: Claim) -> Answer:
        payout = await run(claim)
        final = payout.status in FINAL_PAYOUT_STATUSES
        return Answer(200 if final else 202, payout.model_dump(mode="json"), final=final)

    keys: IdempotencyStore = request.app.state.keys
    print_ = fingerprint("POST", request.url.path, body)
    return answer_response(await keys.once(client, key, print_, action))


@router.put(
    "/budgets/{policy_id}",
    response_model=Budget,
    tags=["budgets"],
    responses=responses(PolicyIdMismatch),
)
async def open_budget(
    policy_id: str,
    request: BudgetOpen,
    uow: WriteUnitDep,
    caller: Caller = allow(scopes=(POLICIES_WRITE,)),
) -> Budget:
    """Open and fund a policy's budget (idempotent: once per policy): its department."""
    if caller.department != request.department_code:
        raise forbidden(f"Only department {request.department_code} funds this budget.")
    if request.policy_id != policy_id:
        raise PolicyIdMismatch.of(policy_id, request.policy_id)
    audit.record(
        uow.outbox,
        uow.session,
        actor=caller.client_id,
        action="budget.opened",
        object_type="budget",
        object_id=policy_id,
    )
    budget = await budgets.open_budget(PaymentRepository(uow.session), request=request)
    await uow.commit()
    return budget


@router.get("/budgets/{policy_id}", response_model=Budget, tags=["budgets"])
async def get_budget(
    policy_id: str,
    unit: ReadUnitDep,
    caller: Caller = allow(scopes=(OPERATIONS_READ, POLICIES_WRITE)),
) -> Budget:
    """A policy's budget: operators, and the department whose policy it is."""
    budget = await PaymentRepository(unit.session).budget(policy_id)
    theirs = caller.kind != "department" or (
        budget is not None and budget.department_code == caller.department
    )
    if budget is None or not theirs:  # another department's budget: as if unknown
        raise not_found("Budget", policy_id)
    return budgets.to_budget(budget)


@router.get("/budgets/{policy_id}/payouts", response_model=list[Payout], tags=["budgets"])
async def budget_payouts(
    policy_id: str,
    unit: ReadUnitDep,
    limit: Annotated[int, Query(ge=1, le=100, description="how many, the newest first")] = 20,
    caller: Caller = allow(scopes=(OPERATIONS_READ, POLICIES_WRITE)),
) -> list[Payout]:
    """A policy's latest payouts from its budget: operators, and the department whose
    policy it is (any other department: 404, as for the budget)."""
    repo = PaymentRepository(unit.session)
    budget = await repo.budget(policy_id)
    theirs = caller.kind != "department" or (
        budget is not None and budget.department_code == caller.department
    )
    if budget is None or not theirs:
        raise not_found("Budget", policy_id)
    return [payouts.to_payout(row) for row in await repo.latest_payouts(policy_id, limit)]


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
        lambda claim: _desk(request).pay(body, claim),
    )


@router.post("/payouts/batch", response_model=list[PayoutBatchItem], tags=["payouts"])
async def create_payouts(
    body: PayoutBatch,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> list[PayoutBatchItem]:
    """Pay several applications at once (a proactive run's payouts), each once per
    application id as ``POST /payouts`` would alone, with one bank instruction for the
    batch. Each is answered where its payout stands, or with the problem that stopped
    it: one not exactly as subsidy-svc ordered is refused before anything is reserved."""
    refused: dict[str, Payout | Problem] = {}
    for payout in body.payouts:
        try:
            await verify_order(_orders(request), payout)
        except Problem as problem:
            refused[payout.application_id] = problem
    ready = [p for p in body.payouts if p.application_id not in refused]
    made = await _desk(request).pay_many(ready) if ready else {}
    return [_batch_item(p.application_id, {**made, **refused}) for p in body.payouts]


def _batch_item(application_id: str, outcomes: dict[str, Payout | Problem]) -> PayoutBatchItem:
    outcome = outcomes[application_id]
    if isinstance(outcome, Problem):
        return PayoutBatchItem(application_id=application_id, problem=outcome.body())
    return PayoutBatchItem(application_id=application_id, payout=outcome)


@router.get("/payouts/{application_id}", response_model=Payout, tags=["payouts"])
async def get_payout(
    application_id: str,
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=GATEWAY),
) -> Payout:
    row = await PaymentRepository(unit.session).payout_for(application_id)
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
    idempotency_key: KeyHeader = None,
    caller: Caller = allow(scopes=(PAYOUTS_REVERSE,)),
) -> Any:
    """Claw a completed payout back into its budget (compensating transfers): operators."""

    async def run(claim: Claim) -> Payout:
        async with runtime.units.write(claim) as uow:
            repo = PaymentRepository(uow.session)
            row = await repo.payout_for(application_id, lock=True)
            if row is None:
                raise not_found("Payout", application_id)
            await payouts.reverse(repo, uow.outbox, row, body.reason, by=caller.client_id)
            payout = payouts.to_payout(row)
            await uow.answer(200, payout.model_dump(mode="json"))
            await uow.commit()
            return payout

    return await _keyed(request, idempotency_key, caller.client_id, body.model_dump(), run)


@router.post(
    "/bank/confirmations",
    response_model=Payout | RefundOut,
    tags=["bank"],
    responses=responses(BankSignatureInvalid, InvalidConfirmation, BankStatusUnknown),
)
async def bank_confirmation(
    request: Request, x_bank_signature: Annotated[str | None, Header()] = None
) -> Payout | RefundOut:
    """The bank's word on an instruction (a payout's or a refund's id), signed by the
    bank (HMAC); nothing moves on its word alone: the bank's own status of the
    instruction is asked first."""
    receipt = await verified_receipt(request, x_bank_signature)
    try:
        return await _desk(request).confirm(receipt)
    except Problem as unknown:
        if unknown.status != 404:
            raise
        refund_desk: RefundDesk = request.app.state.refunds
        refund = await refund_desk.confirm(receipt)  # no payout: a refund's, or unknown
        if refund is None:
            raise
        return refund


@router.post(
    "/bank/incoming",
    response_model=ClawbackOut,
    tags=["bank"],
    responses=responses(
        BankSignatureInvalid,
        InvalidConfirmation,
        UnknownReference,
        RepaymentMismatch,
        AlreadyRepaid,
    ),
)
async def bank_incoming(
    request: Request, uow: WriteUnitDep, x_bank_signature: Annotated[str | None, Header()] = None
) -> ClawbackOut:
    """Money paid into the platform's account, as the bank tells it (signed, HMAC): a
    repayment quoting a clawback's id settles that clawback, once."""
    transfer = await verified(request, x_bank_signature, IncomingTransfer)
    row = await clawbacks.repaid(PaymentRepository(uow.session), uow.outbox, transfer)
    await uow.commit()
    return clawback_out(row)


@router.get("/enterprises/{uscc}/clawbacks", response_model=list[ClawbackOut], tags=["ledger"])
async def list_clawbacks(
    uscc: Annotated[Uscc, Path(description="USCC")],
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,)),
) -> list[ClawbackOut]:
    """What an enterprise was asked to pay back, and whether it has (operators)."""
    rows = await PaymentRepository(unit.session).clawbacks_of(uscc)
    return [clawback_out(r) for r in rows]


@router.get("/enterprises/{uscc}/refunds", response_model=list[RefundOut], tags=["ledger"])
async def list_refunds(
    uscc: Annotated[Uscc, Path(description="USCC")],
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,)),
) -> list[RefundOut]:
    """What was owed back to an enterprise (it repaid a payout the bank then returned),
    and whether the bank has paid it back (operators; accounts masked)."""
    rows = await PaymentRepository(unit.session).refunds(uscc)
    return [refund_out(r) for r in rows]


@router.get("/ledger/balance", response_model=LedgerBalance, tags=["ledger"])
async def ledger_balance(
    unit: ReadUnitDep, _caller: Caller = allow(scopes=(OPERATIONS_READ,))
) -> LedgerBalance:
    """Debits and credits over the whole journal: they are equal, always."""
    accounts, debits, credits = await PaymentRepository(unit.session).journal_totals()
    return LedgerBalance(
        accounts=accounts, debits_fen=debits, credits_fen=credits, balanced=debits == credits
    )


@router.get("/accounts/{account_id}/balance", tags=["ledger"])
async def account_balance(
    account_id: str, unit: ReadUnitDep, _caller: Caller = allow(scopes=(OPERATIONS_READ,))
) -> dict[str, int | str]:
    balance = await PaymentRepository(unit.session).account_balance(account_id)
    return {"account_id": account_id, "balance_fen": balance}


@router.get("/reconciliation", response_model=Report, tags=["ledger"])
async def reconciliation(
    request: Request,
    runtime: RuntimeDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,)),
) -> Report:
    """Ledger, payouts, bank statement and published events compared; every difference."""
    report = await reconcile(runtime.units, _desk(request).bank, runtime.messaging.js)
    differences, checked = request.app.state.reconciliation_gauges
    differences.set(len(report.differences))
    checked.set_to_current_time()
    return report
