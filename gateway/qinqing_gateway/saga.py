"""The instant-subsidy saga: credit -> decision (eligibility and credit) -> payout, each
step recorded.

Every step is idempotent downstream (keyed by the application id) and its typed result
is recorded here, so a flow cut off anywhere is resumed from its last recorded step.
The saga sees two ports: ``Steps`` (the services, ``qinqing_gateway.steps``) and
``FlowUnits`` (its units of work, ``qinqing_gateway.flows``); its unit tests give it
fakes of both.

A flow ends in one of four ways: paid, rejected (both final, with a signed receipt),
failed (a service refused a step for good: answered with that problem again), or it
stays running: the bank has not settled yet (answered 202), or a service cannot be
reached now (answered with ``Retry-After``); the sweep resumes it either way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable

from pydantic import BaseModel

from qinqing_gateway.errors import ApplicationInProgress, ApplicationNotFound, NothingToPay
from qinqing_gateway.flows import FlowUnits
from qinqing_gateway.models import Flow, FlowStatus
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.schemas import ApplicationView, PayoutView
from qinqing_gateway.steps import (
    NotPaid,
    Paid,
    Payee,
    Pending,
    Rejected,
    Results,
    StepFailed,
    StepRetry,
    Steps,
)
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.payment import Payout
from qinqing_shared.contracts.subsidy import Application, ApplicationStatus
from qinqing_shared.idempotency import Claim
from qinqing_shared.logs import APPLICATION_ID
from qinqing_shared.metrics import ServiceMetrics
from qinqing_shared.problems import Problem

log = logging.getLogger("gateway.saga")
FINAL = (FlowStatus.PAID, FlowStatus.REJECTED, FlowStatus.FAILED, FlowStatus.CLAWED_BACK)
RECEIPTED = (FlowStatus.PAID, FlowStatus.REJECTED)  # final decisions, with a receipt


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Saga:
    def __init__(
        self,
        units: FlowUnits,
        steps: Steps,
        metrics: ServiceMetrics,
        receipts: ReceiptDesk,
    ) -> None:
        self.units = units
        self.steps = steps
        self.receipts = receipts
        self._running: set[str] = set()
        self.answers = metrics.counter(
            "qinqing_flow_answers", "Applications answered, by the status answered", ["status"]
        )
        self.steps_done = metrics.counter(
            "qinqing_flow_steps", "Saga steps recorded, by step", ["step"]
        )
        metrics.reading(
            "qinqing_flows_running",
            "Applications not yet final: being advanced, at the bank, or to be resumed",
            self.running,
        )
        self.stops = metrics.counter(
            "qinqing_flow_stops",
            "Flows stopped before their end, by why: retry (not now) or failed (for good)",
            ["outcome"],
        )

    async def start(
        self,
        *,
        claim: Claim,
        applied_on: dt.date,
        policy: Policy,
        enterprise: EnterpriseProfile,
    ) -> ApplicationView:
        """Record a new flow with what the gateway already fetched, then run it.

        From then on the flow holds the claim: it stores the final answer itself.
        """
        flow = Flow(
            application_id=claim.resource_id,
            policy_id=policy.id,
            uscc=enterprise.uscc,
            client_id=claim.client_id,
            idempotency_key=claim.key,
            applied_on=applied_on,
            status=FlowStatus.RUNNING,
            created_at=_now(),
            updated_at=_now(),
        )
        # At rest, the flow keeps what a resumed flow needs and no personal data: the
        # enterprise's USCC and payee account, not its employees (see Steps.profile).
        payee = Payee(uscc=enterprise.uscc, bank_account=enterprise.bank_account)
        kept = {
            "policy": policy.model_dump(mode="json"),
            "enterprise": payee.model_dump(mode="json"),
        }
        async with self.units.write() as unit:
            created = await unit.flows.add(flow, kept)
            await unit.commit()
        claim.held = True
        if not created:  # the request this one took the key over from created it: resume
            return await self.run(claim.resource_id, claim)
        results = Results(policy=policy, enterprise=enterprise)
        return await self._run(flow, results, claim)  # what was just written: not read again

    async def take_over(self, claim: Claim) -> ApplicationView | None:
        """A crashed request's claim, taken over by its retry: that request's flow,
        resumed (never a second flow for the same key); None if it never got as far."""
        if not claim.taken_over or not await self.exists(claim.resource_id):
            return None
        claim.held = True
        return await self.run(claim.resource_id, claim)

    async def running(self) -> float:
        async with self.units.read() as unit:
            return float(await unit.flows.running())

    async def exists(self, application_id: str) -> bool:
        async with self.units.read() as unit:
            return await unit.flows.get(application_id) is not None

    async def run(self, application_id: str, claim: Claim | None = None) -> ApplicationView:
        """Advance a flow to its final state; a final flow answers what it answered."""
        flow, steps = await self._load(application_id)
        if flow.status in FINAL and flow.result is not None:
            return _final(flow)
        return await self._run(flow, Results.model_validate(steps), claim)

    async def _run(self, flow: Flow, results: Results, claim: Claim | None) -> ApplicationView:
        application_id = flow.application_id
        APPLICATION_ID.set(application_id)  # in every log line while it advances
        if application_id in self._running:
            busy = ApplicationInProgress("This application is being processed; ask again.")
            raise StepRetry(busy)
        self._running.add(application_id)
        try:
            view = await self._advance(flow, results)
        except StepFailed as failed:
            self.stops.labels("failed").inc()
            problem = failed.problem
            await self._end(flow, FlowStatus.FAILED, problem.body(), problem.status, claim)
            raise
        except StepRetry:
            self.stops.labels("retry").inc()
            raise
        finally:
            self._running.discard(application_id)
        if view.status == "processing":
            return view  # the bank settles it; the flow stays running
        receipt = self.receipts.receipt(view.model_dump(mode="json"))
        view = view.model_copy(update={"receipt": receipt})
        await self._end(
            flow, FlowStatus(view.status), view.model_dump(mode="json"), 200, claim, results
        )
        return view

    async def _advance(self, flow: Flow, results: Results) -> ApplicationView:
        if results.credit is None:
            results.credit = await self.steps.check_credit(flow)
            await self._record(flow, "credit", results.credit)
        if results.decision is None:
            enterprise = results.enterprise
            if not isinstance(enterprise, EnterpriseProfile):  # a resumed flow
                enterprise = await self.steps.profile(flow)
            results.decision = await self.steps.decide(
                flow, results.policy, enterprise, results.credit
            )
            await self._record(flow, "decision", results.decision)
        app = results.decision
        if app.status == ApplicationStatus.REJECTED:
            return application_view(flow.application_id, app)
        if results.payout is None:
            outcome = await self._pay(flow, app, results)
            if isinstance(outcome, Pending):
                return application_view(flow.application_id, app, pending=True)
            results.payout = outcome  # recorded with the flow's end, in one transaction
        if isinstance(results.payout, Rejected):
            return application_view(flow.application_id, results.payout.application)
        return application_view(flow.application_id, app, results.payout.payout)

    async def _pay(
        self, flow: Flow, app: Application, results: Results
    ) -> Paid | Rejected | Pending:
        """Pay; when the budget or the bank says no, the application is rejected for it."""
        if app.amount_fen <= 0:  # a bug upstream: nothing moves, the flow waits for a fix
            raise StepRetry(NothingToPay("An approved application must carry a positive amount."))
        outcome = await self.steps.pay(flow, app, results.enterprise.bank_account)
        if isinstance(outcome, NotPaid):
            return Rejected(application=await self.steps.reject(flow, outcome))
        return outcome

    async def _record(self, flow: Flow, step: str, result: BaseModel) -> None:
        """A step's result, kept before the flow goes on (its own commit)."""
        async with self.units.write(autocommit=True) as unit:
            await unit.flows.record(flow.application_id, step, result.model_dump(mode="json"))
            await unit.commit()
        self.steps_done.labels(step).inc()

    async def _load(self, application_id: str) -> tuple[Flow, dict[str, object]]:
        async with self.units.read() as unit:
            found = await unit.flows.get(application_id)
        if found is None:
            raise _unknown(application_id)
        return found

    async def _end(
        self,
        flow: Flow,
        status: FlowStatus,
        body: dict[str, object],
        code: int,
        claim: Claim | None,
        results: Results | None = None,
    ) -> None:
        """Final state, the last step's result and the stored answer: one transaction."""
        claim = claim or Claim(flow.client_id, flow.idempotency_key, flow.application_id, False)
        async with self.units.write(claim) as unit:
            if results is not None and results.payout is not None:
                payout = results.payout.model_dump(mode="json")
                await unit.flows.record(flow.application_id, "payout", payout)
            await unit.flows.end(flow.application_id, status, body)
            await unit.answer(code, body)
            await unit.commit()
        if results is not None and results.payout is not None:
            self.steps_done.labels("payout").inc()
        flow.status, flow.result = status, body
        self.answers.labels(str(status)).inc()

    async def view(
        self, application_id: str, may_see: Callable[[Flow], bool] | None = None
    ) -> ApplicationView:
        """Where an application stands; 404, as if unknown, to a caller who may not see it."""
        flow, _steps = await self._load(application_id)
        if may_see is not None and not may_see(flow):
            raise _unknown(application_id)
        if flow.status in FINAL and flow.result is not None:
            try:
                return _final(flow)
            except StepFailed as failed:
                raise failed.problem from None
        return ApplicationView(
            id=flow.application_id,
            policy_id=flow.policy_id,
            uscc=flow.uscc,
            status=FlowStatus.PROCESSING,
            amount_fen=0,
            currency="CNY",
            applied_on=flow.applied_on,
            beneficiaries=[],
            decision=None,
        )

    async def sweep(self, stale_after: float) -> int:
        """Resume flows left running (a crash, a service that was down, the bank); with
        several gateways, each flow by the one instance that takes it. Returns how many
        this instance took."""
        cutoff = _now() - dt.timedelta(seconds=stale_after)
        async with self.units.read() as unit:
            ids = await unit.flows.stale(cutoff, 500)
        taken = 0
        for application_id in ids:
            if application_id in self._running or not await self._take(application_id, cutoff):
                continue
            taken += 1
            try:
                await self.run(application_id)
            except (StepRetry, StepFailed) as stopped:
                log.warning("flow %s not resumed yet: %s", application_id, stopped)
        return taken

    async def _take(self, application_id: str, cutoff: dt.datetime) -> bool:
        """A lease on a stale flow, for ``stale_after`` seconds: its time moved to now,
        unless another instance moved it first. Until the lease runs out no other
        instance's sweep takes the flow (a live request may still advance it: every step
        is idempotent, so two runners still pay once)."""
        async with self.units.write(autocommit=True) as unit:
            taken = await unit.flows.take(application_id, cutoff)
            await unit.commit()
        return taken

    async def sweep_forever(self, every: float, stale_after: float) -> None:
        await self.sweep(0)
        while True:
            await asyncio.sleep(every)
            try:
                await self.sweep(stale_after)
            except Exception:
                log.warning("sweep failed", exc_info=True)


def _unknown(application_id: str) -> Problem:
    return ApplicationNotFound(f"No application {application_id!r} is known.")


def _final(flow: Flow) -> ApplicationView:
    """The answer a finished flow gave; a failed flow answers its problem again."""
    assert flow.result is not None
    if flow.status == FlowStatus.FAILED:
        raise StepFailed(Problem.from_body(int(flow.result.get("status", 502)), flow.result))
    return ApplicationView.model_validate(flow.result)


def application_view(
    application_id: str, app: Application, payout: Payout | None = None, *, pending: bool = False
) -> ApplicationView:
    """What an application's flow answers once decided (and paid, or pending at the bank)."""
    rejected = app.status == ApplicationStatus.REJECTED
    status = "processing" if pending else "rejected" if rejected else "paid"
    return ApplicationView(
        id=application_id,
        policy_id=app.policy_id,
        uscc=app.uscc,
        status=status,
        amount_fen=0 if rejected else app.amount_fen,
        currency=app.currency,
        applied_on=app.applied_on,
        beneficiaries=app.beneficiaries,
        decision=app.decision,
        payout=PayoutView(
            id=payout.id,
            bank_reference=payout.bank_reference,
            completed_at=payout.completed_at,
            offset_fen=payout.offset_fen,
        )
        if payout
        else None,
    )
