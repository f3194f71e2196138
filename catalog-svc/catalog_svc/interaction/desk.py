"""What happens to a request, step by step.

Every step is a row of the request's history, an event (``qinqing.interaction.request
.<step>.v1``, no free text) and, for a department's step, an audit record, all in the
caller's unit of work. Time limits are jobs (qinqing_shared.jobs) keyed by the request
and its ``round``: a step that sets new limits starts a new round, and a job of an
earlier round finds nothing to do. Nothing is ever edited out of the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from catalog_svc.errors import (
    DecisionMismatch,
    OutcomeMismatch,
    RequestNotFound,
    RequestStateConflict,
    UnknownDepartment,
    UnknownLink,
    UnknownTopic,
)
from catalog_svc.figures import count_service_item
from catalog_svc.interaction.repository import RequestRepository
from catalog_svc.interaction.rights import may_answer, may_follow
from catalog_svc.interaction.workdays import deadline
from catalog_svc.items import SERVICE_ITEM, handling, item
from catalog_svc.models import InteractionRequest, Job, RequestTopic
from catalog_svc.repository import CatalogRepository
from qinqing_shared import audit
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.events import COMMITMENT_BROKEN, CommitmentEvent
from qinqing_shared.contracts.interaction import (
    Action,
    Links,
    Outcome,
    RequestEvent,
    RequestFiling,
    RequestOutcome,
    RequestStatus,
    request_subject,
)
from qinqing_shared.contracts.subsidy import ItemDecision
from qinqing_shared.db import as_utc
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.jobs import Clock, schedule
from qinqing_shared.jobs import Job as DueJob
from qinqing_shared.uow import UnitOfWork, Units

ACKNOWLEDGE = "request-acknowledge-limit"
ANSWER = "request-answer-limit"
PLATFORM = "platform"  # the actor of the steps nobody took by hand
OVERSIGHT = "oversight desk"
LOW_RATING = 2  # a rating this low (of 5) sends the request back to its department
IN_HAND = (RequestStatus.OPEN, RequestStatus.ACCEPTED)
DONE = (RequestStatus.ANSWERED, RequestStatus.CLOSED)


@dataclass
class Desk:
    clock: Clock
    units: Units

    # -- the enterprise -------------------------------------------------------------

    async def submit(self, uow: UnitOfWork, filing: RequestFiling) -> InteractionRequest:
        """File a request (once per id: the gateway's Idempotency-Key names it), routed
        to the department of what it links to, else to its topic's department."""
        repo = RequestRepository(uow.session)
        if (known := await repo.get(filing.id)) is not None:
            return known
        topic = await self._topic(repo, filing.topic)
        if topic.needs_application and filing.links.application_id is None:
            raise UnknownLink(f"A request of topic {topic.code!r} names the application.")
        if topic.needs_service and filing.links.service_code is None:
            raise UnknownLink(f"A request of topic {topic.code!r} names the service item.")
        if filing.decision is not None and not topic.needs_service:
            raise DecisionMismatch(f"A request of topic {topic.code!r} is not decided at once.")
        now = self.clock.now()
        row = InteractionRequest(
            id=filing.id,
            uscc=filing.uscc,
            client_id=filing.client_id,
            topic=topic.code,
            title=filing.title,
            text=filing.text,
            links=filing.links.model_dump(mode="json"),
            application=filing.application,
            decision=filing.decision.model_dump(mode="json") if filing.decision else None,
            department_code=await _route(repo, topic, filing.links),
            status=RequestStatus.OPEN,
            round=1,
            submitted_at=now,
            acknowledge_by=deadline(now, topic.acknowledge_days),
            answer_by=deadline(now, topic.answer_days),
            escalated=False,
            late=False,
            steps=0,
        )
        repo.add(row)
        await self._step(uow, row, Action.SUBMITTED, filing.actor, now)
        decision = await _decision(uow, filing)
        if decision is None or decision.outcome == "undecided":
            await self._limits(uow, row, now)  # its department decides, in its time
        else:
            await self._decided(uow, row, decision, now)
        return row

    async def _decided(
        self, uow: UnitOfWork, row: InteractionRequest, decision: ItemDecision, now: dt.datetime
    ) -> None:
        """A service item decided at once from department data (秒批): answered by the
        platform as the filing is recorded, on subsidy-svc's signed decision, and counted
        handled; a refused one may be reopened, and its department then decides."""
        outcome: Outcome = "granted" if decision.outcome == "granted" else "refused"
        await count_service_item(CatalogRepository(uow.session), row.department_code, row.uscc)
        row.outcome, row.status, row.round = outcome, RequestStatus.ANSWERED, row.round + 1
        row.first_answered_at, row.first_answer_in_time = now, True
        row.acknowledge_by = row.answer_by = None
        text = _decided_text(decision)
        await self._step(uow, row, Action.ANSWERED, PLATFORM, now, text=text, outcome=outcome)

    def subscriptions(self) -> list[Subscription]:
        """A service item granted on a commitment found broken is revoked (告知承诺制)."""
        return [
            Subscription(COMMITMENT_BROKEN, "catalog-svc-item-commitments", self.commitment_broken)
        ]

    async def commitment_broken(self, uow: UnitOfWork, event: CloudEvent) -> None:
        """A service item granted on a credit commitment the department's data found
        broken (告知承诺制) is revoked by the platform, and counted out of the items
        handled; credit-svc files the violation. One a department has in hand again
        (reopened) is left to it, and a request revoked once is not revoked again."""
        broken = CommitmentEvent.model_validate(event.data)
        if broken.service_code is None:
            return  # a policy's commitment: subsidy-svc claws back what it paid
        for row in await RequestRepository(uow.session).granted_to(broken.uscc):
            if broken.commitment_id in (row.decision or {}).get("commitments", []):
                await self._revoke(uow, row, broken.commitment_id)

    async def _revoke(self, uow: UnitOfWork, row: InteractionRequest, commitment: str) -> None:
        now = self.clock.now()
        await count_service_item(
            CatalogRepository(uow.session), row.department_code, row.uscc, delta=-1
        )
        row.outcome, row.status, row.closed_at = "revoked", RequestStatus.CLOSED, now
        text = (
            f"告知承诺未履行：部门数据与信用承诺 {commitment} 不符，已撤销办理。"
            f"Revoked: the department's data contradicts credit commitment {commitment}, "
            "on which this item was granted."
        )
        await self._step(uow, row, Action.REVOKED, PLATFORM, now, text=text, outcome="revoked")

    async def clarify(
        self, uow: UnitOfWork, caller: Caller, request_id: str, text: str
    ) -> InteractionRequest:
        """The enterprise answers the department's question: the answer's clock starts
        again from here."""
        row = await self._followed(uow, caller, request_id)
        _expect(row, (RequestStatus.AWAITING_ENTERPRISE,), "clarify")
        now = self.clock.now()
        topic = await self._topic(RequestRepository(uow.session), row.topic)
        row.status, row.round = RequestStatus.ACCEPTED, row.round + 1
        row.answer_by = deadline(now, topic.answer_days)
        await self._step(uow, row, Action.CLARIFIED, caller.actor, now, text=text)
        await self._limits(uow, row, now)
        return row

    async def rate(
        self, uow: UnitOfWork, caller: Caller, request_id: str, rating: int, comment: str | None
    ) -> InteractionRequest:
        """One rating per answer; a low one reopens the request with its department."""
        row = await self._followed(uow, caller, request_id)
        _expect(row, DONE, "rate")
        if row.rating is not None:
            raise RequestStateConflict("This answer is rated already; a new answer may be.")
        now = self.clock.now()
        row.rating = rating
        await self._step(uow, row, Action.RATED, caller.actor, now, text=comment, rating=rating)
        if rating <= LOW_RATING:
            reason = f"rated {rating} of 5"
            await self._reopen(uow, row, PLATFORM, now, reason)
        return row

    async def reopen(
        self, uow: UnitOfWork, caller: Caller, request_id: str, reason: str
    ) -> InteractionRequest:
        row = await self._followed(uow, caller, request_id)
        _expect(row, DONE, "reopen")
        await self._reopen(uow, row, caller.actor, self.clock.now(), reason)
        return row

    # -- the department -------------------------------------------------------------

    async def accept(self, uow: UnitOfWork, caller: Caller, request_id: str) -> InteractionRequest:
        row = await self._held(uow, caller, request_id)
        _expect(row, (RequestStatus.OPEN,), "accept")
        row.status, row.acknowledge_by = RequestStatus.ACCEPTED, None
        await self._step(uow, row, Action.ACCEPTED, caller.actor, self.clock.now())
        return row

    async def ask(
        self, uow: UnitOfWork, caller: Caller, request_id: str, question: str
    ) -> InteractionRequest:
        """Ask the enterprise to clarify: the answer's clock stops until it replies."""
        row = await self._held(uow, caller, request_id)
        _expect(row, IN_HAND, "ask")
        row.status, row.round = RequestStatus.AWAITING_ENTERPRISE, row.round + 1
        row.acknowledge_by = row.answer_by = None
        now = self.clock.now()
        await self._step(uow, row, Action.CLARIFICATION_REQUESTED, caller.actor, now, text=question)
        return row

    async def transfer(
        self, uow: UnitOfWork, caller: Caller, request_id: str, to: str, reason: str
    ) -> InteractionRequest:
        """Pass it on, with a reason on the record. The receiver has its own time to
        take it; the enterprise's answer is due when it was (a transfer buys no time)."""
        row = await self._held(uow, caller, request_id)
        _expect(row, IN_HAND, "transfer")
        repo = RequestRepository(uow.session)
        if to == row.department_code:
            raise UnknownDepartment(f"The request is with {to} already.")
        if await repo.department(to) is None:
            raise UnknownDepartment(f"No department {to!r} is in the catalog.")
        now = self.clock.now()
        topic = await self._topic(repo, row.topic)
        sender = row.department_code
        row.department_code, row.status = to, RequestStatus.OPEN
        row.round, row.acknowledge_by = row.round + 1, deadline(now, topic.acknowledge_days)
        await self._step(
            uow, row, Action.TRANSFERRED, caller.actor, now, text=reason, sender=sender
        )
        await self._limits(uow, row, now)
        return row

    async def answer(
        self,
        uow: UnitOfWork,
        caller: Caller,
        request_id: str,
        text: str,
        outcome: Outcome | None = None,
    ) -> InteractionRequest:
        """Answer on the record; a service item's answer grants or refuses it, and the
        first one counts it handled in the live figures."""
        row = await self._held(uow, caller, request_id)
        _expect(row, (*IN_HAND, RequestStatus.AWAITING_ENTERPRISE), "answer")
        topic = await self._topic(RequestRepository(uow.session), row.topic)
        _fits(topic, outcome)
        if outcome is not None and row.outcome in (None, "revoked"):  # revoked: counted out
            await count_service_item(CatalogRepository(uow.session), row.department_code, row.uscc)
        row.outcome = outcome or row.outcome
        now = self.clock.now()
        if row.first_answered_at is None:
            row.first_answered_at = now
            row.first_answer_in_time = row.answer_by is None or now <= as_utc(row.answer_by)
        row.status, row.round, row.rating = RequestStatus.ANSWERED, row.round + 1, None
        row.acknowledge_by = row.answer_by = None
        await self._step(uow, row, Action.ANSWERED, caller.actor, now, text=text, outcome=outcome)
        return row

    async def close(self, uow: UnitOfWork, caller: Caller, request_id: str) -> InteractionRequest:
        row = await self._held(uow, caller, request_id)
        _expect(row, (RequestStatus.ANSWERED,), "close")
        now = self.clock.now()
        row.status, row.closed_at = RequestStatus.CLOSED, now
        await self._step(uow, row, Action.CLOSED, caller.actor, now)
        return row

    # -- the clock ------------------------------------------------------------------

    async def limit_ran_out(self, job: DueJob) -> dt.datetime | None:
        """A limit's job: if the request still waits for what the limit was for, it is
        escalated to its department's supervisor and the oversight desk, and counted
        late against its department."""
        request_id, _, round_ = job.key.rpartition(":")
        async with self.units.write() as uow:
            row = await RequestRepository(uow.session).get(request_id, lock=True)
            if row is None or str(row.round) != round_ or not _waits(job.kind, row):
                return None
            row.escalated = row.late = True
            what = "taken in hand" if job.kind == ACKNOWLEDGE else "answered"
            reason = f"not {what} within its time limit"
            escalated_to = [f"{row.department_code} supervisor", OVERSIGHT]
            now = self.clock.now()
            await self._step(
                uow, row, Action.ESCALATED, PLATFORM, now, text=reason, escalated_to=escalated_to
            )
            await uow.commit()
        return None

    # -- helpers --------------------------------------------------------------------

    async def _reopen(
        self, uow: UnitOfWork, row: InteractionRequest, actor: str, now: dt.datetime, reason: str
    ) -> None:
        topic = await self._topic(RequestRepository(uow.session), row.topic)
        row.status, row.round, row.closed_at = RequestStatus.ACCEPTED, row.round + 1, None
        row.answer_by = deadline(now, topic.answer_days)
        await self._step(uow, row, Action.REOPENED, actor, now, text=reason)
        await self._limits(uow, row, now)

    async def _followed(
        self, uow: UnitOfWork, caller: Caller, request_id: str
    ) -> InteractionRequest:
        row = await RequestRepository(uow.session).get(request_id, lock=True)
        if row is None or not may_follow(caller, row):
            raise RequestNotFound(f"No request {request_id!r} of yours.")
        return row

    async def _held(self, uow: UnitOfWork, caller: Caller, request_id: str) -> InteractionRequest:
        row = await RequestRepository(uow.session).get(request_id, lock=True)
        if row is None or not may_answer(caller, row):
            raise RequestNotFound(f"No request {request_id!r} is with your department.")
        return row

    async def _topic(self, repo: RequestRepository, code: str) -> RequestTopic:
        topic = await repo.topic(code)
        if topic is None:
            known = ", ".join(t.code for t in await repo.topics())
            raise UnknownTopic(f"No topic {code!r}; the topics are: {known}.")
        return topic

    async def _limits(self, uow: UnitOfWork, row: InteractionRequest, now: dt.datetime) -> None:
        key = f"{row.id}:{row.round}"
        for kind, due in ((ACKNOWLEDGE, row.acknowledge_by), (ANSWER, row.answer_by)):
            if due is not None:
                await schedule(uow.session, Job, kind=kind, key=key, due_at=due, now=now)

    async def _step(
        self,
        uow: UnitOfWork,
        row: InteractionRequest,
        action: Action,
        actor: str,
        now: dt.datetime,
        *,
        text: str | None = None,
        rating: int | None = None,
        outcome: RequestOutcome | None = None,
        sender: str | None = None,
        escalated_to: list[str] | None = None,
    ) -> None:
        row.steps += 1
        department = sender or row.department_code  # who took the step's decision
        await RequestRepository(uow.session).add_step(
            {
                "request_id": row.id,
                "seq": row.steps,
                "action": action.value,
                "at": now,
                "actor": actor[:100],
                "department_code": department,
                "to_department": row.department_code if sender else None,
                "text": text,
                "rating": rating,
                "outcome": outcome,
                "escalated_to": escalated_to,
            }
        )
        await uow.session.flush()
        event = RequestEvent(
            request_id=row.id,
            uscc=row.uscc,
            topic=row.topic,
            action=action,
            department=row.department_code,
            from_department=sender,
            status=RequestStatus(row.status),
            at=now.isoformat(),
            answer_by=as_utc(row.answer_by).isoformat() if row.answer_by else None,
            rating=rating,
            outcome=outcome,
            escalated_to=escalated_to or [],
        )
        uow.outbox.add(
            uow.session, request_subject(action), event.model_dump(mode="json"), key=row.id
        )
        if actor != PLATFORM and action not in _ENTERPRISE_STEPS:  # a department's write
            audit.record(
                uow.outbox,
                uow.session,
                actor=actor,
                action=f"request.{action.value}",
                object_type="request",
                object_id=row.id,
                uscc=row.uscc,
            )


_ENTERPRISE_STEPS = (Action.SUBMITTED, Action.CLARIFIED, Action.RATED, Action.REOPENED)


async def _route(repo: RequestRepository, topic: RequestTopic, links: Links) -> str:
    """The department of the policy, else of the service, else the topic's."""
    if links.policy_id is not None:
        found = await repo.department_of_policy(links.policy_id)
        if found is None:
            raise UnknownLink(f"No policy {links.policy_id!r} is in the catalog.")
        return found
    if links.service_code is not None:
        service = await repo.service(links.service_code)
        if service is None:
            raise UnknownLink(f"No service {links.service_code!r} is in the catalog.")
        if topic.needs_service and service.kind != SERVICE_ITEM:
            raise UnknownLink(
                f"{links.service_code} is a subsidy: apply for it, it is no service item."
            )
        return service.department_code
    return topic.department_code


async def _decision(uow: UnitOfWork, filing: RequestFiling) -> ItemDecision | None:
    """The filing's decision, if it was made on the item's handling as it stands: one
    made on conditions changed since is left to the department (never a wrong grant)."""
    decision = filing.decision
    if decision is None:
        return None
    named = (decision.request_id, decision.uscc, decision.service_code)
    if named != (filing.id, filing.uscc, filing.links.service_code):
        raise DecisionMismatch("The decision is of another request, enterprise or item.")
    service = await item(CatalogRepository(uow.session), decision.service_code)
    current = handling(service)
    if current.version != decision.handling_version or current.handling.mode != "instant":
        return None
    return decision


def _decided_text(decision: ItemDecision) -> str:
    """The platform's answer, in Chinese first and English second."""
    if decision.outcome == "granted" and decision.commitments:
        committed = ", ".join(decision.commitments)
        return (
            f"告知承诺：依企业的信用承诺（{committed}）予以办理，部门数据到达后核验；"
            "承诺不实的，撤销办理并记入信用记录。"
            f"Granted at once on the enterprise's credit commitment ({committed}): "
            "verified when the department's data comes; if it proves untrue, the item is "
            "revoked and the breach is put on the enterprise's credit record."
        )
    if decision.outcome == "granted":
        return (
            "秒批：各部门数据满足全部条件，予以办理。"
            "Granted at once: the departments' data meets every condition."
        )
    return (
        "秒批不予办理："
        + "；".join(decision.reasons_zh)
        + "。Refused at once: "
        + "; ".join(decision.reasons)
        + ". Reopen the request to have the department look at it."
    )


def _expect(row: InteractionRequest, states: tuple[RequestStatus, ...], step: str) -> None:
    if row.status not in states:
        allowed = " or ".join(s.value for s in states)
        raise RequestStateConflict(
            f"The request is {row.status}: it can {step} only when {allowed}."
        )


def _fits(topic: RequestTopic, outcome: Outcome | None) -> None:
    if topic.needs_service and outcome is None:
        raise OutcomeMismatch("A service item's answer grants or refuses it: send its outcome.")
    if not topic.needs_service and outcome is not None:
        raise OutcomeMismatch(f"A request of topic {topic.code!r} is answered without an outcome.")


def _waits(kind: str, row: InteractionRequest) -> bool:
    if kind == ACKNOWLEDGE:
        return row.status == RequestStatus.OPEN
    return row.status in IN_HAND
