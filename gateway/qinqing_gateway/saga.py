"""The instant-subsidy saga: eligibility -> credit -> decision -> payout, each step recorded.

Every step is idempotent downstream (keyed by the application id) and its result is
stored here, so a flow cut off anywhere is resumed from its last recorded step.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from qinqing_gateway.errors import (
    ApplicationInProgress,
    ApplicationNotFound,
    NothingToPay,
    PayoutPending,
)
from qinqing_gateway.models import Flow, FlowStatus, FlowStep
from qinqing_gateway.peers import Peers
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.schemas import ApplicationView, PayoutView
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.payment import Payout, PayoutStatus
from qinqing_shared.contracts.subsidy import Application, ApplicationStatus
from qinqing_shared.db import Database, insert_ignore, table_of
from qinqing_shared.idempotency import Claim, IdempotencyStore
from qinqing_shared.logs import APPLICATION_ID
from qinqing_shared.metrics import ServiceMetrics
from qinqing_shared.problems import Problem

log = logging.getLogger("gateway.saga")
Results = dict[str, dict[str, Any]]
FINAL = (FlowStatus.PAID, FlowStatus.REJECTED, FlowStatus.FAILED)
RECEIPTED = (FlowStatus.PAID, FlowStatus.REJECTED)  # final decisions, with a receipt
# Answers that mean "not now" rather than "no": the flow stays running and is resumed.
RETRYABLE = {"request-in-progress", "claims-contended"}


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Saga:
    def __init__(
        self,
        db: Database,
        peers: Peers,
        keys: IdempotencyStore,
        metrics: ServiceMetrics,
        receipts: ReceiptDesk,
    ) -> None:
        self.receipts = receipts
        self.db = db
        self.sessions = db.sessionmaker
        self.peers = peers
        self.keys = keys
        self._running: set[str] = set()
        self.answers = metrics.counter(
            "qinqing_flow_answers", "Applications answered, by the status answered", ["status"]
        )

    async def start(
        self,
        *,
        application_id: str,
        client_id: str,
        key: str,
        applied_on: dt.date,
        policy: Policy,
        enterprise: EnterpriseProfile,
    ) -> ApplicationView:
        """Record a new flow with what the gateway already fetched, then run it."""
        flow = Flow(
            application_id=application_id,
            policy_id=policy.id,
            uscc=enterprise.uscc,
            client_id=client_id,
            idempotency_key=key,
            applied_on=applied_on,
            status=FlowStatus.RUNNING,
            created_at=_now(),
            updated_at=_now(),
        )
        results = {
            "policy": policy.model_dump(mode="json"),
            "enterprise": enterprise.model_dump(mode="json"),
        }
        # At rest, the flow keeps what a resumed flow needs and no personal data: the
        # enterprise's USCC and payee account, not its employees (see _profile).
        kept = results | {"enterprise": _reduced(results["enterprise"])}
        steps = [_step_values(application_id, k, v) for k, v in kept.items()]
        async with self.sessions() as session, session.begin():
            await session.execute(_INSERT_FLOW, _flow_values(flow))
            await session.execute(_INSERT_STEPS, steps)
        return await self._run(flow, results)  # what was just written: no need to read it

    async def exists(self, application_id: str) -> bool:
        async with self.sessions() as session:
            return await session.get(Flow, application_id) is not None

    async def run(self, application_id: str) -> ApplicationView:
        """Advance a flow to its final state; a final flow answers what it answered."""
        flow, results = await self._load(application_id)
        return await self._run(flow, results)

    async def _run(self, flow: Flow, results: Results) -> ApplicationView:
        application_id = flow.application_id
        APPLICATION_ID.set(application_id)  # in every log line while it advances
        if flow.status in FINAL and flow.result is not None:
            return _final(flow)
        if application_id in self._running:
            raise ApplicationInProgress("This application is being processed; ask again shortly.")
        self._running.add(application_id)
        try:
            view = await self._advance(flow, results)
        except Problem as problem:
            if problem.status >= 500 or problem.slug in RETRYABLE:
                raise
            await self._end(flow, FlowStatus.FAILED, problem.body(), problem.status)
            raise
        finally:
            self._running.discard(application_id)
        if view.status in RECEIPTED:
            receipt = self.receipts.receipt(view.model_dump(mode="json"))
            view = view.model_copy(update={"receipt": receipt})
        await self._end(flow, view.status, view.model_dump(mode="json"), 200, results)
        return view

    async def _advance(self, flow: Flow, results: Results) -> ApplicationView:
        app = Application.model_validate(
            await self._once(flow, results, "eligibility", lambda: self._evaluate(flow, results))
        )
        if app.status == ApplicationStatus.REJECTED:
            return _view(flow, app, None)
        credit = await self._once(
            flow,
            results,
            "credit",
            lambda: self.peers.credit.request(
                "POST",
                "/checks",
                {
                    "application_id": flow.application_id,
                    "uscc": flow.uscc,
                    "on": flow.applied_on.isoformat(),
                },
            ),
        )
        app = Application.model_validate(
            await self._once(
                flow,
                results,
                "decision",
                lambda: self.peers.subsidy.request(
                    "POST", f"/applications/{flow.application_id}/credit", {"credit": credit}
                ),
            )
        )
        if app.status == ApplicationStatus.REJECTED:
            return _view(flow, app, None)
        # The last step is recorded with the flow's end, in one transaction (see _end).
        outcome = await self._once(
            flow, results, "payout", lambda: self._pay(flow, app, results), record=False
        )
        if "application" in outcome:
            return _view(flow, Application.model_validate(outcome["application"]), None)
        return _view(flow, app, Payout.model_validate(outcome))

    async def _evaluate(self, flow: Flow, results: Results) -> Any:
        body = {
            "application_id": flow.application_id,
            "applied_on": flow.applied_on.isoformat(),
            "policy": results["policy"],
            "enterprise": await self._profile(flow, results),
        }
        return await self.peers.subsidy.request("POST", "/applications", body)

    async def _profile(self, flow: Flow, results: Results) -> dict[str, Any]:
        """The whole profile: in memory for a new flow; a resumed flow (whose stored step
        holds no employees) reads it again, and decides on it as identity-svc has it."""
        if "employees" in results["enterprise"]:
            return results["enterprise"]
        headers = {"X-On-Behalf-Of": flow.client_id}
        path = f"/enterprises/{flow.uscc}/profile"
        profile: dict[str, Any] = await self.peers.identity.request("GET", path, headers=headers)
        results["enterprise"] = profile
        return profile

    async def _pay(self, flow: Flow, app: Application, results: Results) -> Any:
        """Pay, or reject the application when the budget or the bank says no."""
        if app.amount_fen <= 0:
            raise NothingToPay("An approved application must carry a positive amount.")
        body = {
            "application_id": flow.application_id,
            "policy_id": flow.policy_id,
            "uscc": flow.uscc,
            "amount_fen": app.amount_fen,
            "currency": app.currency,
            "payee": results["enterprise"]["bank_account"],
            "order": app.payout_order,
        }
        headers = {"Idempotency-Key": f"payout-{flow.application_id}"}
        try:
            payout = await self.peers.payment.request("POST", "/payouts", body, headers)
        except Problem as problem:
            if problem.slug != "budget-exhausted":
                raise
            return await self._reject(flow, f"The policy's budget is exhausted: {problem.detail}")
        if payout["status"] == PayoutStatus.FAILED:
            return await self._reject(flow, f"The bank refused the payout: {payout['reason']}")
        if payout["status"] != PayoutStatus.COMPLETED:
            raise PayoutPending(
                "The bank has not confirmed the payout yet; the application completes by itself."
            )
        return payout

    async def _reject(self, flow: Flow, reason: str) -> dict[str, Any]:
        path = f"/applications/{flow.application_id}/rejection"
        rejected = await self.peers.subsidy.request("POST", path, {"reason": reason})
        return {"application": rejected}

    async def _once(
        self,
        flow: Flow,
        results: Results,
        step: str,
        call: Callable[[], Awaitable[Any]],
        record: bool = True,
    ) -> Any:
        """Run a step unless its result is recorded; record it before going on.

        ``record=False`` leaves the recording to ``_end``: a flow cut off in between
        runs the step again, which every step's service answers idempotently.
        """
        if step not in results:
            results[step] = await call()
            if not record:
                return results[step]
            async with self.db.single() as session:
                # Two runners of one flow (a live request, a sweep) record the same
                # idempotent result: the first one stays. The step's time is the flow's
                # sign of life (see sweep).
                await insert_ignore(
                    session, FlowStep, _step_values(flow.application_id, step, results[step])
                )
        return results[step]

    async def _load(self, application_id: str) -> tuple[Flow, Results]:
        async with self.sessions() as session:
            flow = await session.get(Flow, application_id)
            if flow is None:
                raise _unknown(application_id)
            steps = await session.scalars(
                select(FlowStep).where(FlowStep.application_id == application_id)
            )
            return flow, {s.step: s.result for s in steps}

    async def _end(
        self,
        flow: Flow,
        status: str,
        body: dict[str, Any],
        code: int,
        results: Results | None = None,
    ) -> None:
        """Final state, the last step's result and the stored answer: one transaction."""
        claim = Claim(flow.client_id, flow.idempotency_key, flow.application_id, False)
        async with self.sessions() as session, session.begin():
            if results is not None and "payout" in results:
                values = _step_values(flow.application_id, "payout", results["payout"])
                await insert_ignore(session, FlowStep, values)
            values = {"id": flow.application_id, "state": status, "answer": body, "at": _now()}
            await session.execute(_END_FLOW, values)  # ``flow`` itself is set below
            await self.keys.done(session, claim, code, body)
        flow.status, flow.result = status, body
        self.answers.labels(str(status)).inc()

    async def view(
        self, application_id: str, may_see: Callable[[Flow], bool] | None = None
    ) -> ApplicationView:
        """Where an application stands; 404, as if unknown, to a caller who may not see it."""
        flow, _results = await self._load(application_id)
        if may_see is not None and not may_see(flow):
            raise _unknown(application_id)
        if flow.status in FINAL and flow.result is not None:
            return _final(flow)
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
        """Resume flows left running (a crash, a service that was down).

        A flow is stale when neither it nor any of its steps was written since the cutoff.
        """
        cutoff = _now() - dt.timedelta(seconds=stale_after)
        recent_step = (
            select(FlowStep.step)
            .where(FlowStep.application_id == Flow.application_id, FlowStep.completed_at >= cutoff)
            .exists()
        )
        async with self.sessions() as session:
            query = (
                select(Flow.application_id)
                .where(Flow.status == FlowStatus.RUNNING, Flow.updated_at < cutoff, ~recent_step)
                .order_by(Flow.created_at)
                .limit(500)
            )
            ids = (await session.scalars(query)).all()
        stale = [i for i in ids if i not in self._running]
        for application_id in stale:
            try:
                await self.run(application_id)
            except Problem as problem:
                log.warning("flow %s not resumed yet: %s", application_id, problem.detail)
        return len(stale)

    async def sweep_forever(self, every: float, stale_after: float) -> None:
        await self.sweep(0)
        while True:
            await asyncio.sleep(every)
            try:
                await self.sweep(stale_after)
            except Exception:
                log.warning("sweep failed", exc_info=True)


_FLOWS = table_of(Flow)
_INSERT_FLOW = insert(_FLOWS)
_INSERT_STEPS = insert(table_of(FlowStep))
# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_END_FLOW = (
    update(_FLOWS)
    .where(_FLOWS.c.application_id == bindparam("id"))
    .values(status=bindparam("state"), result=bindparam("answer"), updated_at=bindparam("at"))
)


def _unknown(application_id: str) -> Problem:
    return ApplicationNotFound(f"No application {application_id!r} is known.")


def _final(flow: Flow) -> ApplicationView:
    """The answer a finished flow gave; a failed flow answers its problem again."""
    assert flow.result is not None
    if flow.status == FlowStatus.FAILED:
        raise Problem.from_body(int(flow.result.get("status", 502)), flow.result)
    return ApplicationView.model_validate(flow.result)


def _reduced(profile: dict[str, Any]) -> dict[str, Any]:
    """What a flow keeps of a profile at rest: who is paid, and where."""
    return {"uscc": profile["uscc"], "bank_account": profile["bank_account"]}


def _step_values(application_id: str, step: str, result: dict[str, Any]) -> dict[str, Any]:
    return {
        "application_id": application_id,
        "step": step,
        "result": result,
        "completed_at": _now(),
    }


def _flow_values(flow: Flow) -> dict[str, Any]:
    """The new flow's columns; the result is left out (NULL, not JSON null) until the end."""
    return {c.key: getattr(flow, c.key) for c in _FLOWS.columns if c.key != "result"}


def _view(flow: Flow, app: Application, payout: Payout | None) -> ApplicationView:
    paid = payout is not None and payout.status == PayoutStatus.COMPLETED
    return ApplicationView(
        id=flow.application_id,
        policy_id=app.policy_id,
        uscc=app.uscc,
        status="paid"
        if paid
        else "rejected"
        if app.status == ApplicationStatus.REJECTED
        else "processing",
        amount_fen=app.amount_fen if app.status != ApplicationStatus.REJECTED else 0,
        currency=app.currency,
        applied_on=app.applied_on,
        beneficiaries=app.beneficiaries,
        decision=app.decision,
        payout=PayoutView(
            id=payout.id, bank_reference=payout.bank_reference, completed_at=payout.completed_at
        )
        if payout
        else None,
    )
