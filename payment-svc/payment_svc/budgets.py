"""Policy budgets: opened and funded by their department, topped up when it publishes a
version with a larger budget, never below zero. Never commits."""

from __future__ import annotations

from payment_svc import ledger
from payment_svc.errors import BudgetExhaustedProblem
from payment_svc.models import Budget
from payment_svc.repository import PaymentRepository
from qinqing_shared import audit
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.events import BUDGET_EXHAUSTED, BudgetExhausted
from qinqing_shared.contracts.payment import Budget as BudgetOut
from qinqing_shared.contracts.payment import BudgetOpen
from qinqing_shared.db import insert_ignore
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem


class BudgetExhaustedError(Exception):
    def __init__(self, policy_id: str, remaining_fen: int, requested_fen: int) -> None:
        super().__init__(f"budget of {policy_id} cannot cover {requested_fen} fen")
        self.data = BudgetExhausted(
            policy_id=policy_id, remaining_fen=remaining_fen, requested_fen=requested_fen
        )

    def problem(self) -> Problem:
        return BudgetExhaustedProblem(
            f"The budget of policy {self.data.policy_id} has {self.data.remaining_fen} fen "
            f"left, {self.data.requested_fen} needed.",
            remaining_fen=self.data.remaining_fen,
        )


async def open_budget(repo: PaymentRepository, *, request: BudgetOpen) -> BudgetOut:
    """Open and fund a policy's budget once; opening it again changes nothing."""
    budget = await repo.budget(request.policy_id)
    if budget is None:
        budget, _opened = await _fund(repo, request)
    return to_budget(budget)


async def fund_policy(repo: PaymentRepository, outbox: Outbox, policy: Policy) -> int:
    """What publishing a policy version does to its budget: opened with the version's
    budget, or topped up to it from the department's funding account, through the
    ledger, and audited. Never lowered: a version with a smaller budget takes nothing
    back. The fen it added."""
    added = await _fund_policy(repo, policy)
    if added:
        audit.record(
            outbox,
            repo.session,
            actor="payment-svc",
            action="budget.funded",
            object_type="budget",
            object_id=f"{policy.id}@{policy.version}",  # the version that funded it
        )
    return added


async def _fund_policy(repo: PaymentRepository, policy: Policy) -> int:
    budget = await repo.budget(policy.id, for_update=True)
    if budget is None:
        request = BudgetOpen(
            policy_id=policy.id,
            department_code=policy.department_code,
            amount_fen=policy.budget_fen,
            currency=policy.currency,
        )
        _budget, opened = await _fund(repo, request)  # here, or by its department just now
        if opened:
            return policy.budget_fen
        budget = await repo.budget(policy.id, for_update=True)
        assert budget is not None
    more = policy.budget_fen - budget.funded_fen
    if more <= 0:
        return 0
    budget.funded_fen += more
    budget.remaining_fen += more
    budget.exhausted_at = None  # a budget exhausted again is told again
    funding = ledger.funding_account(budget.department_code)
    await ledger.post(
        repo.session,
        [ledger.Move("funding", funding, budget.account_id)],
        reference=policy.id,
        amount_fen=more,
        currency=budget.currency,
    )
    return more


async def _fund(repo: PaymentRepository, request: BudgetOpen) -> tuple[Budget, bool]:
    """Open and fund the budget, unless another transaction just did (then: that one,
    and False)."""
    account = ledger.budget_account(request.policy_id)
    funding = ledger.funding_account(request.department_code)
    await repo.open_account(account, "budget", request.currency)
    await repo.open_account(ledger.hold_account(request.policy_id), "hold", request.currency)
    await repo.open_account(funding, "funding", request.currency)
    await repo.open_account(ledger.CLEARING, "clearing", request.currency)
    values = {
        "policy_id": request.policy_id,
        "account_id": account,
        "department_code": request.department_code,
        "currency": request.currency,
        "funded_fen": request.amount_fen,
        "paid_fen": 0,
        "reserved_fen": 0,
        "remaining_fen": request.amount_fen,
    }
    opened = await insert_ignore(repo.session, Budget, values)
    if opened and request.amount_fen:
        await ledger.post(
            repo.session,
            [ledger.Move("funding", funding, account)],
            reference=request.policy_id,
            amount_fen=request.amount_fen,
            currency=request.currency,
        )
    budget = await repo.budget(request.policy_id)
    assert budget is not None
    return budget, opened


def to_budget(budget: Budget) -> BudgetOut:
    return BudgetOut(
        policy_id=budget.policy_id,
        funded_fen=budget.funded_fen,
        paid_fen=budget.paid_fen,
        reserved_fen=budget.reserved_fen,
        remaining_fen=budget.remaining_fen,
        currency=budget.currency,
    )


async def record_exhausted(
    repo: PaymentRepository, outbox: Outbox, error: BudgetExhaustedError
) -> None:
    """Publish budget.exhausted the first time a budget cannot cover a payout."""
    if await repo.mark_exhausted(error.data.policy_id):
        outbox.add(
            repo.session, BUDGET_EXHAUSTED, error.data.model_dump(), key=error.data.policy_id
        )
