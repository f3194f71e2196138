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

import orjson

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
# the profiles sent to subsidy-svc in one request, well under a service's body limit
# (<SERVICE>_MAX_BODY_BYTES, 1 MiB)
CHUNK_BYTES = 400_000


def chunks(profiles: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The profiles in order, cut into requests of at most ``CHUNK_BYTES`` of JSON each
    (a profile larger than that goes alone); at least one, maybe empty."""
    found: list[list[dict[str, Any]]] = [[]]
    size = 0
    for profile in profiles:
        length = len(orjson.dumps(profile))
        if found[-1] and size + length > CHUNK_BYTES:
            found.append([])
            size = 0
        found[-1].append(profile)
        size += length
    return found


class ProactiveDesk:
    def __init__(
        self,
        peers: Peers,
        saga: Saga,
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
        if not policies:
            return None
        usccs = [str(u) for u in job.payload["enterprises"]]
        found = await self._profiles_of(usccs, "proactive:recheck")
        enterprises = [e.model_dump(mode="json") for e in found]
        for policy in policies:
            for part in chunks(enterprises):
                body = {
                    "policy": policy.model_dump(mode="json"),
                    "on": self.today().isoformat(),
                    "enterprises": part,
                }
                try:
                    await self.peers.subsidy.request("POST", "/proactive-runs/rechecks", body)
                except Problem as problem:
                    if problem.status != 404:  # 404: no run yet, and the run will see them
                        raise
                    break
        async with self.units.write() as uow:  # a notice given now: paid in the next round
            await hasten(uow.session, JobRow, kind=RUN, now=self.clock.now())
            await uow.commit()
        return None

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
        if await self._pay_due(policy) == PAY_BATCH:
            return self.clock.now()  # more may be due: the next round at once
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

    async def _pay_due(self, policy: Policy) -> int:
        """Pay the notices due (at most ``PAY_BATCH`` a round); how many there were."""
        path = f"/proactive-runs/{policy.id}/{policy.version}/due?limit={PAY_BATCH}"
        due = [Notice.model_validate(n) for n in await self.peers.subsidy.request("GET", path)]
        gate = asyncio.Semaphore(self.concurrency)

        async def pay(notice: Notice) -> None:
            async with gate:
                await self._pay(policy, notice)

        await asyncio.gather(*(pay(notice) for notice in due))
        return len(due)

    async def _pay(self, policy: Policy, notice: Notice) -> None:
        """Pay one notice through the saga, once: a flow started already is resumed."""
        try:
            if await self.saga.exists(notice.id):
                await self.saga.run(notice.id)
                return
            await self.peers.subsidy.request("POST", f"/notices/{notice.id}/taking")
            enterprise = await self._profile(policy, notice.uscc)
            claim = Claim(CLIENT, f"notice:{notice.id}", notice.id, taken_over=False)
            await self.saga.start(
                claim=claim, applied_on=self.today(), policy=policy, enterprise=enterprise
            )
        except StepFailed as failed:  # recorded on its flow: never retried
            log.warning("proactive payout %s failed: %s", notice.id, failed.problem.detail)
        except StepRetry:  # its flow stays running: the saga's sweep resumes it
            log.info("proactive payout %s resumes later", notice.id)
        except Problem as problem:
            if problem.status >= 500:
                raise  # the job is retried: nothing was lost
            log.info("proactive payout %s not paid now: %s", notice.id, problem.detail)

    async def _profile(self, policy: Policy, uscc: str) -> EnterpriseProfile:
        return await self._read_profile(uscc, f"proactive:{policy.id}@{policy.version}")

    async def _read_profile(self, uscc: str, on_behalf_of: str) -> EnterpriseProfile:
        headers = {"X-On-Behalf-Of": on_behalf_of}
        path = f"/enterprises/{uscc}/profile"
        found = await self.peers.identity.request("GET", path, headers=headers)
        return EnterpriseProfile.model_validate(found)
