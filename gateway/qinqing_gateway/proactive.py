"""Proactive payouts (免申即享): the gateway runs a proactive policy over every
enterprise and pays each eligible one through the instant flow, without an application.

When catalog-svc publishes a proactive policy's version, a ``proactive-run`` job is
scheduled in the same transaction that hears the event (docs/jobs.md). Each round of
the job:

1. **evaluates** the next batches of enterprises: a page of signed profiles from
   identity-svc (in USCC order), sent to subsidy-svc, which decides each with the
   engine that decides applications and gives each eligible enterprise a *notice*
   (``qinqing.subsidy.notice.issued.v1``). The run's cursor lives in subsidy-svc and
   moves with the notices, in one transaction: a batch sent again is recorded once;
2. **pays** the notices whose notice period is over and that the enterprise did not
   decline: subsidy-svc marks the notice *taken* (from then on it cannot be declined),
   then the saga runs under the notice's id, as an application of the client
   ``qinqing-proactive``: the same credit check, decision, ledger, bank and events as
   an enterprise's own application, and exactly once, because every step is keyed by
   that id. A flow started already is resumed, never started again.

The job is due again at once while enterprises remain, then every
``GATEWAY_PROACTIVE_RECHECK_SECONDS`` while its version is in force (notices wait for
their period, or come later), and ends when the run is done and the version's
validity is over. A crash anywhere resumes from the cursor and the notices.

When a department's records become current (``qinqing.identity.facts.received.v1``,
naming the enterprises they concern), a ``proactive-recheck`` job evaluates those
enterprises again for every proactive policy in force: one the run passed without a
notice is given one if it now qualifies (a home-ownership record that came late, a
new year's insurance figures), and the run's job pays it in its next round.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from qinqing_gateway.bulk import BulkPayer, chunks
from qinqing_gateway.models import Job as JobRow
from qinqing_gateway.peers import Peers
from qinqing_gateway.policies import PolicyCache
from qinqing_gateway.saga import Saga
from qinqing_gateway.steps import StepFailed, StepRetry
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.events import FACTS_RECEIVED, POLICY_PUBLISHED, FactsReceived
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.subsidy import Notice, ProactiveRun, RunState
from qinqing_shared.events import CloudEvent
from qinqing_shared.idempotency import Claim
from qinqing_shared.inbox import Subscription
from qinqing_shared.jobs import Clock, Job, hasten, schedule
from qinqing_shared.problems import Problem
from qinqing_shared.uow import UnitOfWork, Units

log = logging.getLogger("gateway.proactive")
RUN = "proactive-run"
RECHECK = "proactive-recheck"
CLIENT = "qinqing-proactive"  # the client its applications are recorded under
PAY_BATCH = 500  # notices paid in one round of the job
BULK_BATCH = 100  # of them, paid together by the bulk path (qinqing_gateway.bulk)
FAILURE_CHARS = 500  # of why a payment could not start, as the notice keeps it
RETRY_SOON = dt.timedelta(seconds=5)  # after a round in which a service was down for some


class Unpayable(Exception):
    """A notice's payment cannot start: identity-svc holds no such enterprise now."""


class ProactiveDesk:
    def __init__(
        self,
        peers: Peers,
        saga: Saga,
        bulk: BulkPayer,
        clock: Clock,
        today: Callable[[], dt.date],
        *,
        units: Units,
        policies: PolicyCache,
        page_size: int,
        batches_per_round: int,
        concurrency: int,
        recheck: dt.timedelta,
    ) -> None:
        self.peers, self.saga, self.clock, self.today = peers, saga, clock, today
        self.bulk = bulk
        self.units, self.policies = units, policies
        self.page_size, self.batches_per_round = page_size, batches_per_round
        self.concurrency, self.recheck_every = concurrency, recheck

    def subscriptions(self) -> list[Subscription]:
        return [
            Subscription(POLICY_PUBLISHED, "gateway-proactive-runs", self.published),
            Subscription(FACTS_RECEIVED, "gateway-proactive-facts", self.facts_came),
        ]

    async def facts_came(self, uow: UnitOfWork, event: CloudEvent) -> None:
        """A department's records became current: the enterprises they concern are
        evaluated again for every proactive policy in force (a job, once per event)."""
        told = FactsReceived.model_validate(event.data)
        if not told.enterprises:
            return
        payload = {"enterprises": told.enterprises}
        now = self.clock.now()
        await schedule(uow.session, JobRow, kind=RECHECK, key=event.id, due_at=now, payload=payload)

    async def recheck(self, job: Job) -> dt.datetime | None:
        """Evaluate the enterprises again for each proactive policy in force that has a
        run: those it passed without a notice are given one if they now qualify."""
        policies = await self._proactive_in_force()
        usccs = [str(u) for u in job.payload["enterprises"]]
        # only the enterprises a run has passed: one it has not reached yet (or a policy
        # without a run yet) is evaluated by the run itself, so its profile is not read
        # (an audited read of personal data) twice
        reached = {p.id: await self._reached(p, usccs) for p in policies}
        wanted = sorted({u for found in reached.values() for u in found})
        if not wanted:
            return None
        profiles = {e.uscc: e for e in await self._profiles_of(wanted, "proactive:recheck")}
        for policy in policies:
            mine = [
                profiles[u].model_dump(mode="json") for u in reached[policy.id] if u in profiles
            ]
            for part in chunks(mine) if mine else []:
                body = {
                    "policy": policy.model_dump(mode="json"),
                    "on": self.today().isoformat(),
                    "enterprises": part,
                }
                await self.peers.subsidy.request("POST", "/proactive-runs/rechecks", body)
        async with self.units.write() as uow:  # a notice given now: paid in the next round
            await hasten(uow.session, JobRow, kind=RUN, now=self.clock.now())
            await uow.commit()
        return None

    async def _reached(self, policy: Policy, usccs: list[str]) -> list[str]:
        """Those of ``usccs`` the policy's run has evaluated already (all once it has
        evaluated every enterprise; none while it has no run)."""
        path = f"/proactive-runs/{policy.id}/{policy.version}"
        try:
            run = ProactiveRun.model_validate(await self.peers.subsidy.request("GET", path))
        except Problem as problem:
            if problem.status == 404:
                return []
            raise
        if run.state != RunState.EVALUATING:
            return usccs
        return [u for u in usccs if run.cursor is not None and u <= run.cursor]

    async def _proactive_in_force(self) -> list[Policy]:
        """The version in force today of each proactive policy."""
        found, page = [], 1
        while True:
            listed = await self.peers.catalog.request("GET", f"/policies?page_size=100&page={page}")
            for item in listed["items"]:
                if item.get("proactive"):
                    policy = await self._in_force(item["id"])
                    if policy.proactive:
                        found.append(policy)
            if page * 100 >= listed["total"]:
                return found
            page += 1

    async def _in_force(self, policy_id: str) -> Policy:
        """The version in force today, as catalog-svc signed it (kept a while)."""
        return await self.policies.get(policy_id, self.today())

    async def _profiles_of(self, usccs: list[str], on_behalf_of: str) -> list[EnterpriseProfile]:
        gate = asyncio.Semaphore(self.concurrency)

        async def one(uscc: str) -> EnterpriseProfile | None:
            async with gate:
                try:
                    return await self._read_profile(uscc, on_behalf_of)
                except Problem as problem:
                    if problem.status == 404:  # not registered (any more): nothing to do
                        return None
                    raise

        found = await asyncio.gather(*(one(uscc) for uscc in usccs))
        return [profile for profile in found if profile is not None]

    async def published(self, uow: UnitOfWork, event: CloudEvent) -> None:
        """A proactive version published: its run is due now (scheduled once)."""
        policy = Policy.model_validate(event.data)
        if not policy.proactive:
            return
        key = f"{policy.id}@{policy.version}"
        payload = {"policy_id": policy.id, "version": policy.version}
        now = self.clock.now()
        await schedule(uow.session, JobRow, kind=RUN, key=key, due_at=now, payload=payload)

    async def run(self, job: Job) -> dt.datetime | None:
        """One round: evaluate a few batches, pay what is due; when to come again."""
        policy_id, version = str(job.payload["policy_id"]), int(job.payload["version"])
        policy = Policy.model_validate(
            await self.peers.catalog.request("GET", f"/policies/{policy_id}/versions/{version}")
        )
        started = await self.peers.subsidy.request(
            "POST", "/proactive-runs", {"policy": policy.model_dump(mode="json")}
        )
        run = await self._evaluate(policy, ProactiveRun.model_validate(started))
        if run.state == RunState.EVALUATING:
            return self.clock.now()  # more enterprises: the next round at once
        due, unanswered = await self._pay_due(policy)
        if due == PAY_BATCH:
            return self.clock.now()  # more may be due: the next round at once
        if unanswered:  # a service was down for some: they are due again soon
            return self.clock.now() + RETRY_SOON
        run = ProactiveRun.model_validate(
            await self.peers.subsidy.request("GET", f"/proactive-runs/{policy_id}/{version}")
        )
        if run.state == RunState.DONE and policy.valid_to < self.today():
            log.info("proactive run of %s@%s ended: %s", policy_id, version, run.applications)
            return None
        return self.clock.now() + self.recheck_every  # notices may come while it is in force

    async def _evaluate(self, policy: Policy, run: ProactiveRun) -> ProactiveRun:
        for _ in range(self.batches_per_round):
            if run.state != RunState.EVALUATING:
                break
            page = await self._profiles(policy, run.cursor)
            parts = chunks(page["items"])
            for number, part in enumerate(parts, start=1):
                batch = {
                    "policy": policy.model_dump(mode="json"),
                    "on": self.today().isoformat(),
                    "after": run.cursor,
                    "enterprises": part,
                    "last": page["next_after"] is None and number == len(parts),
                }
                answer = await self.peers.subsidy.request("POST", "/proactive-runs/batches", batch)
                run = ProactiveRun.model_validate(answer)
        return run

    async def _profiles(self, policy: Policy, after: str | None) -> dict[str, Any]:
        path = f"/profiles?limit={self.page_size}" + (f"&after={after}" if after else "")
        headers = {"X-On-Behalf-Of": f"proactive:{policy.id}@{policy.version}"}
        page: dict[str, Any] = await self.peers.identity.request("GET", path, headers=headers)
        return page

    async def _pay_due(self, policy: Policy) -> tuple[int, int]:
        """Take the notices due (at most ``PAY_BATCH`` a round) and pay them, a batch at
        a time by the bulk path, the ones it leaves one at a time: how many were taken,
        and how many a service did not answer (5xx: due again in a later round). A
        round that moved some is progress, so the job's backoff does not grow with the
        kills and restarts of a long run; only a round where every notice met a server
        error fails (and the job backs off)."""
        path = f"/proactive-runs/{policy.id}/{policy.version}/takings"
        answer = await self.peers.subsidy.request("POST", path, {"limit": PAY_BATCH})
        taken = [Notice.model_validate(n) for n in answer]
        left: list[Notice] = []
        down: list[Problem] = []
        for start in range(0, len(taken), BULK_BATCH):
            part = taken[start : start + BULK_BATCH]
            try:
                left += await self.bulk.pay(policy, part)
            except Problem as problem:
                if problem.status < 500:
                    raise
                log.info(
                    "a batch of %d proactive payouts is due again later: %r", len(part), problem
                )
                down += [problem] * len(part)
        if down and len(down) == len(taken):
            raise down[0]
        _, unanswered = await self._pay_each(policy, left)
        return len(taken), len(down) + unanswered

    async def _pay_each(self, policy: Policy, notices: list[Notice]) -> tuple[int, int]:
        """Pay these notices one at a time (the ones the bulk path left): how many there
        were, and how many a service did not answer; every one of them only if some
        were answered."""
        gate = asyncio.Semaphore(self.concurrency)

        async def pay(notice: Notice) -> None:
            async with gate:
                await self._pay(policy, notice)

        outcomes = await asyncio.gather(*(pay(n) for n in notices), return_exceptions=True)
        down = [o for o in outcomes if isinstance(o, Exception)]
        if down and len(down) == len(notices):
            raise down[0]
        for problem in down:
            log.info("a proactive payout is due again later: %r", problem)
        return len(notices), len(down)

    async def _pay(self, policy: Policy, notice: Notice) -> None:
        """Pay one notice through the saga, once: a flow started already is resumed. One
        whose payment cannot start is marked failed (with why) and not tried again."""
        try:
            if await self.saga.exists(notice.id):
                await self.saga.run(notice.id)
                return
            await self.peers.subsidy.request("POST", f"/notices/{notice.id}/taking")
            enterprise = await self._payee(policy, notice)
            claim = Claim(CLIENT, f"notice:{notice.id}", notice.id, taken_over=False)
            await self.saga.start(
                claim=claim, applied_on=self.today(), policy=policy, enterprise=enterprise
            )
        except Unpayable as why:
            await self._fail(notice, str(why))
        except StepFailed as failed:  # recorded on its flow: never retried
            await self._fail(notice, failed.problem.detail or failed.problem.title)
        except StepRetry:  # its flow stays running: the saga's sweep resumes it
            log.info("proactive payout %s resumes later", notice.id)
        except Problem as problem:
            if problem.status >= 500:
                raise  # the job is retried: nothing was lost
            log.info("proactive payout %s not paid now: %s", notice.id, problem.detail)

    async def _payee(self, policy: Policy, notice: Notice) -> EnterpriseProfile:
        """The enterprise as identity-svc holds it now; Unpayable if it holds none."""
        try:
            return await self._profile(policy, notice.uscc)
        except Problem as problem:
            if problem.status >= 500:
                raise
            raise Unpayable(f"{problem.title}: {problem.detail}") from problem

    async def _fail(self, notice: Notice, reason: str) -> None:
        """Record on the notice why its payment could not start (subsidy-svc leaves one
        whose application was decided to that application)."""
        log.warning("proactive payout %s failed: %s", notice.id, reason)
        body = {"reason": reason[:FAILURE_CHARS]}
        await self.peers.subsidy.request("POST", f"/notices/{notice.id}/failure", body)

    async def _profile(self, policy: Policy, uscc: str) -> EnterpriseProfile:
        return await self._read_profile(uscc, f"proactive:{policy.id}@{policy.version}")

    async def _read_profile(self, uscc: str, on_behalf_of: str) -> EnterpriseProfile:
        headers = {"X-On-Behalf-Of": on_behalf_of}
        path = f"/enterprises/{uscc}/profile"
        found = await self.peers.identity.request("GET", path, headers=headers)
        return EnterpriseProfile.model_validate(found)
