"""The saga's steps, typed: what each step returns, and the services that run them.

``Steps`` is the port the saga calls; ``HttpSteps`` runs each step on its service, and
is the one place where a service's answer (a problem among them) becomes a typed
outcome: the saga never looks at a problem's slug. A step either returns its result,
or raises ``StepRetry`` (not now: the flow stays running and is resumed) or
``StepFailed`` (no: the flow ends failed, answered with that problem again).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, Field

from qinqing_gateway.peers import Peers
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.identity import BankAccount, EnterpriseProfile
from qinqing_shared.contracts.payment import Payout, PayoutStatus
from qinqing_shared.contracts.subsidy import Application
from qinqing_shared.problems import Problem

# Answers that mean "not now" rather than "no" (besides every 5xx).
_RETRYABLE = {"request-in-progress", "claims-contended"}
REASON_CHARS = 500  # of a bank's reason, quoted in a rejection (subsidy-svc takes 2,000)


class StepRetry(Exception):
    """Not now: a service is down or busy with this very application. Ask again later."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


class StepFailed(Exception):
    """No: a service refused the step for good; the flow ends with this problem."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


class Payee(BaseModel):
    """What a flow keeps of an enterprise at rest: who is paid, and where (no employees)."""

    uscc: str
    bank_account: BankAccount


class Paid(BaseModel):
    kind: Literal["paid"] = "paid"
    payout: Payout


class NotPaid(BaseModel):
    """The budget or the bank said no: the application is rejected with this reason."""

    kind: Literal["not-paid"] = "not-paid"
    reason: str
    reason_zh: str | None = None  # the same, in Chinese


class Pending(BaseModel):
    """The bank has not settled the payout yet: the flow completes later, by itself."""

    kind: Literal["pending"] = "pending"
    payout: Payout


class Rejected(BaseModel):
    """A payout that was not made, and the application rejected for it."""

    kind: Literal["rejected"] = "rejected"
    application: Application


PayoutResult = Paid | NotPaid | Pending
PayoutStep = Annotated[Paid | Rejected, Field(discriminator="kind")]  # as recorded


class Results(BaseModel):
    """What a flow has recorded: a resumed flow skips every step found here."""

    policy: Policy
    enterprise: EnterpriseProfile | Payee  # the whole profile only in memory
    credit: CreditCheck | None = None
    decision: Application | None = None  # eligibility and credit, decided at once
    payout: PayoutStep | None = None


class Subject(Protocol):
    """The flow a step runs for."""

    application_id: str
    policy_id: str
    uscc: str
    client_id: str
    applied_on: dt.date


class Steps(Protocol):
    async def profile(self, flow: Subject) -> EnterpriseProfile: ...

    async def check_credit(self, flow: Subject) -> CreditCheck: ...

    async def decide(
        self, flow: Subject, policy: Policy, enterprise: EnterpriseProfile, credit: CreditCheck
    ) -> Application: ...

    async def pay(self, flow: Subject, app: Application, payee: BankAccount) -> PayoutResult: ...

    async def reject(self, flow: Subject, why: NotPaid) -> Application: ...


class HttpSteps:
    """The steps on identity-svc, subsidy-svc, credit-svc and payment-svc."""

    def __init__(self, peers: Peers) -> None:
        self.peers = peers

    async def profile(self, flow: Subject) -> EnterpriseProfile:
        """A resumed flow reads the profile again, and decides on it as identity has it."""
        headers = {"X-On-Behalf-Of": flow.client_id}
        path = f"/enterprises/{flow.uscc}/profile"
        body = await _call(self.peers.identity.request("GET", path, headers=headers))
        return EnterpriseProfile.model_validate(body)

    async def check_credit(self, flow: Subject) -> CreditCheck:
        body = {
            "application_id": flow.application_id,
            "uscc": flow.uscc,
            "on": flow.applied_on.isoformat(),
        }
        return CreditCheck.model_validate(
            await _call(self.peers.credit.request("POST", "/checks", body))
        )

    async def decide(
        self, flow: Subject, policy: Policy, enterprise: EnterpriseProfile, credit: CreditCheck
    ) -> Application:
        """Eligibility and credit in one call: approved with a payout order, or rejected."""
        body = {
            "application_id": flow.application_id,
            "applied_on": flow.applied_on.isoformat(),
            "policy": policy.model_dump(mode="json"),
            "enterprise": enterprise.model_dump(mode="json"),
            "credit": credit.model_dump(mode="json"),
        }
        answer = await _call(self.peers.subsidy.request("POST", "/applications", body))
        return Application.model_validate(answer)

    async def pay(self, flow: Subject, app: Application, payee: BankAccount) -> PayoutResult:
        body = {
            "application_id": flow.application_id,
            "policy_id": flow.policy_id,
            "uscc": flow.uscc,
            "amount_fen": app.amount_fen,
            "currency": app.currency,
            "payee": payee.model_dump(mode="json"),
            "order": app.payout_order,
        }
        headers = {"Idempotency-Key": f"payout-{flow.application_id}"}
        try:
            answer = await self.peers.payment.request("POST", "/payouts", body, headers)
        except Problem as problem:
            if problem.slug == "budget-exhausted":
                return NotPaid(
                    reason=f"The policy's budget is exhausted: {problem.detail}",
                    reason_zh="该政策的预算已用完。",
                )
            raise _classified(problem) from problem
        payout = Payout.model_validate(answer)
        if payout.status == PayoutStatus.COMPLETED:
            return Paid(payout=payout)
        if payout.status == PayoutStatus.FAILED:
            said = (payout.reason or "")[:REASON_CHARS]  # the bank's own words
            return NotPaid(
                reason=f"The bank refused the payout: {said}",
                reason_zh=f"银行拒绝了这笔付款：{said}",
            )
        return Pending(payout=payout)

    async def reject(self, flow: Subject, why: NotPaid) -> Application:
        path = f"/applications/{flow.application_id}/rejection"
        body = {"reason": why.reason, "reason_zh": why.reason_zh}
        answer = await _call(self.peers.subsidy.request("POST", path, body))
        return Application.model_validate(answer)


async def _call(call: Awaitable[Any]) -> Any:
    try:
        return await call
    except Problem as problem:
        raise _classified(problem) from problem


def _classified(problem: Problem) -> StepRetry | StepFailed:
    if problem.status >= 500 or problem.slug in _RETRYABLE:
        return StepRetry(problem)
    return StepFailed(problem)
