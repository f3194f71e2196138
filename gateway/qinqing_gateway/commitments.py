"""Credit commitments (信用承诺) through the gateway.

An enterprise (or an app it granted) commits for a clause its policy opens to
commitments, for one employee whose fact no department has sent; or for a condition a
service item decided at once opens to commitments, for itself (告知承诺制: the item is
then granted on it). The gateway composes
it as it composes an application: the policy (catalog), the profile (identity), what the
data tells (subsidy-svc's rules), the record (credit-svc). A job verifies it: when the
department's data tells, kept or broken; when the time to verify runs out, lapsed. No
endpoint triggers a verification (docs/credit.md)."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable

from qinqing_gateway.errors import FactKnown, NotCommittable
from qinqing_gateway.models import Job as JobRow
from qinqing_gateway.peers import Peers
from qinqing_gateway.policies import PolicyCache
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.catalog import Policy, ServiceHandling
from qinqing_shared.contracts.credit import (
    Commitment,
    CommitmentFiling,
    CommitmentIn,
    CommitmentToVerify,
)
from qinqing_shared.contracts.events import FACTS_RECEIVED
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.subsidy import FactCheck
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.jobs import Clock, Job, hasten, schedule
from qinqing_shared.problems import Problem
from qinqing_shared.uow import UnitOfWork, Units

log = logging.getLogger("gateway.commitments")
VERIFY = "verify-commitment"
VERIFIER = "commitment-verifier"  # who reads the profile, in the enterprise's records of use
VERDICTS = {"holds": "kept", "contradicts": "broken"}


class CommitmentDesk:
    def __init__(
        self,
        peers: Peers,
        policies: PolicyCache,
        units: Units,
        *,
        clock: Clock,
        today: Callable[[], dt.date],
        recheck: dt.timedelta,
    ) -> None:
        self.peers, self.policies, self.units = peers, policies, units
        self.clock, self.today, self.recheck = clock, today, recheck

    async def data_came(self, uow: UnitOfWork, _event: CloudEvent) -> None:
        """A department's records became current: the commitments waiting for data are
        asked again now (the desk's clock, the job runner's), not on their recheck period."""
        await hasten(uow.session, JobRow, kind=VERIFY, now=self.clock.now())

    def subscriptions(self) -> list[Subscription]:
        return [Subscription(FACTS_RECEIVED, "gateway-commitment-verifier", self.data_came)]

    async def make(self, caller: Caller, body: CommitmentIn) -> Commitment:
        """File the commitment; its verification is scheduled first, so that no
        commitment is ever left unverified (a job whose commitment was never filed ends)."""
        on = self.today()
        # what it is to first: nothing of the enterprise is read for an unknown one
        item = await self._item(body.service_code) if body.service_code is not None else None
        policy = await self.policies.get(body.policy_id, on) if body.policy_id else None
        addressee: ServiceHandling | Policy | None = item or policy
        assert addressee is not None  # one of the two, by the contract
        department = addressee.department_code
        profile = await self._profile(body.uscc, caller.client_id)
        found = await self._fact(
            profile, on, body.clause, policy=policy, item=item, id_number=body.id_number
        )
        _ensure_open(found, body)
        assert found.fact and found.statement and found.verify_within_days
        commitment_id = str(uuid.uuid4())
        now = self.clock.now()
        async with self.units.write() as uow:
            await schedule(
                uow.session, JobRow, kind=VERIFY, key=commitment_id, due_at=now + self.recheck
            )
            await uow.commit()
        filing = CommitmentFiling(
            commitment_id=commitment_id,
            uscc=body.uscc,
            policy_id=body.policy_id,
            service_code=body.service_code,
            clause=body.clause,
            fact=found.fact,
            id_number=body.id_number,
            statement=found.statement,
            department=department,
            made_on=on,
            verify_by=on + dt.timedelta(days=found.verify_within_days),
            redlist_only=found.redlist_only,
            signed_by=body.signed_by,
            signed_via=caller.client_id,
        )
        answer = await self.peers.credit.request(
            "POST", "/commitments", filing.model_dump(mode="json")
        )
        return Commitment.model_validate(answer)

    async def of(self, uscc: str) -> list[Commitment]:
        answer = await self.peers.credit.request("GET", f"/enterprises/{uscc}/commitments")
        return [Commitment.model_validate(c) for c in answer]

    async def verify(self, job: Job) -> dt.datetime | None:
        """The job: ask the data again; a verdict closes the commitment (broken: credit-svc
        files a violation and subsidy-svc claws back what was paid on it)."""
        commitment = await self._commitment(job.key)
        if commitment is None or commitment.outcome != "open":
            return None
        on = self.today()
        profile = await self._profile(commitment.uscc, VERIFIER)
        found = await self._verified_fact(commitment, profile, on)
        verdict = VERDICTS.get(found.state)
        if verdict is None and on < commitment.verify_by:
            return self.clock.now() + self.recheck  # still unknown: asked again later
        entry = found.entry
        if verdict is None or entry is None:
            verdict = "lapsed"
            evidence = f"No department's data by {commitment.verify_by}: closed unverified."
        else:
            evidence = f"{entry.subject}: {entry.requirement}, {entry.source or 'data'}"
        body = {"verdict": verdict, "on": on.isoformat(), "evidence": evidence[:500]}
        await self.peers.credit.request("POST", f"/commitments/{commitment.id}/verdict", body)
        log.info("commitment %s found %s", commitment.id, verdict)
        return None

    async def _commitment(self, commitment_id: str) -> CommitmentToVerify | None:
        try:
            answer = await self.peers.credit.request("GET", f"/commitments/{commitment_id}")
        except Problem as problem:
            if problem.status == 404:  # never filed (the gateway stopped before): nothing
                return None
            raise
        return CommitmentToVerify.model_validate(answer)

    async def _profile(self, uscc: str, on_behalf_of: str) -> EnterpriseProfile:
        headers = {"X-On-Behalf-Of": on_behalf_of}
        path = f"/enterprises/{uscc}/profile"
        answer = await self.peers.identity.request("GET", path, headers=headers)
        return EnterpriseProfile.model_validate(answer)

    async def _verified_fact(
        self, commitment: CommitmentToVerify, profile: EnterpriseProfile, on: dt.date
    ) -> FactCheck:
        """What the data tells now of the fact the commitment stands for, on the item's
        handling as it stands, or the policy's version in force."""
        if commitment.service_code is not None:
            item = await self._item(commitment.service_code)
            return await self._fact(profile, on, commitment.clause, item=item)
        assert commitment.id_number is not None  # a policy's commitment names the person
        policy = await self.policies.get(commitment.policy_id, on)
        return await self._fact(
            profile, on, commitment.clause, policy=policy, id_number=commitment.id_number
        )

    async def _item(self, code: str) -> ServiceHandling:
        """The item's handling, as catalog-svc signed it (404 for no such item)."""
        answer = await self.peers.catalog.request("GET", f"/services/{code}/handling")
        return ServiceHandling.model_validate(answer)

    async def _fact(
        self,
        profile: EnterpriseProfile,
        on: dt.date,
        clause: str,
        *,
        policy: Policy | None = None,
        item: ServiceHandling | None = None,
        id_number: str | None = None,
    ) -> FactCheck:
        body = {
            "policy": policy.model_dump(mode="json") if policy else None,
            "item": item.model_dump(mode="json") if item else None,
            "clause": clause,
            "id_number": id_number,
            "enterprise": profile.model_dump(mode="json"),
            "on": on.isoformat(),
        }
        return FactCheck.model_validate(
            await self.peers.subsidy.request("POST", "/fact-checks", body)
        )


def _ensure_open(found: FactCheck, body: CommitmentIn) -> None:
    if found.state == "not-committable" and body.service_code is not None:
        raise NotCommittable(
            f"Service item {body.service_code} is decided on no condition {body.clause!r} "
            "open to commitments."
        )
    if found.state == "not-committable":
        raise NotCommittable(
            f"Policy {body.policy_id} opens no clause {body.clause!r} to commitments."
        )
    if found.state == "not-an-employee":
        raise NotCommittable(
            f"The person is not an employee of {body.uscc} in the market regulator's register."
        )
    if found.state != "unknown":
        source = found.entry.source if found.entry and found.entry.source else "a department"
        raise FactKnown(
            f"{source} has sent this fact: a commitment stands only for a fact no "
            "department has sent."
        )
