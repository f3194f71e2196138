"""Proactive payouts a batch at a time: the bulk path of 免申即享.

A proactive run's round takes its due notices at once (subsidy-svc), then pays them in
batches, each step one call for the whole batch:

1. the enterprises' profiles, signed, in one read (identity-svc, each read audited);
2. the saga's flows of the batch, recorded in one transaction with what a flow keeps
   (the policy, the payee), as ``Saga.start`` records one;
3. a credit check of each application (credit-svc), recorded as each flow's step;
4. each application decided on its profile and verdict (subsidy-svc, one transaction),
   recorded as each flow's step;
5. the approved ones paid (payment-svc: reserved in one transaction, one bank
   instruction for the batch, the bank's answers applied in one transaction);
6. the flows that reached their end (paid, or rejected on their decision) ended in one
   transaction, each with its signed receipt, as the saga ends one.

The flows and their steps are the saga's own, keyed by the notice's id, and each
service's part is idempotent per application id: a batch cut off anywhere is finished by
the saga, flow by flow, as an instant application is. So is every notice the batch
could not finish: its enterprise is not registered any more, it had a flow already
(a batch cut off before), a service refused it, or the bank has not settled it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from qinqing_gateway import flows
from qinqing_gateway.models import Flow, FlowStatus
from qinqing_gateway.peers import Peers
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.saga import Saga, application_view
from qinqing_gateway.steps import Paid, Payee
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.identity import EnterpriseProfile, ProfileLookupResult
from qinqing_shared.contracts.payment import Payout, PayoutBatchItem, PayoutStatus
from qinqing_shared.contracts.subsidy import (
    Application,
    ApplicationBatchItem,
    ApplicationStatus,
    Notice,
)
from qinqing_shared.uow import Units

log = logging.getLogger("gateway.bulk")
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


class BulkPayer:
    """Pays a batch of a proactive run's taken notices (see the module's docstring)."""

    def __init__(
        self,
        peers: Peers,
        saga: Saga,
        units: Units,
        receipts: ReceiptDesk,
        today: Callable[[], dt.date],
        *,
        client_id: str,
    ) -> None:
        self.peers, self.saga, self.units, self.receipts = peers, saga, units, receipts
        self.today, self.client_id = today, client_id

    async def pay(self, policy: Policy, notices: Sequence[Notice]) -> list[Notice]:
        """Pay these taken notices as one batch; the notices it left to the saga, to be
        paid one at a time (see the module's docstring)."""
        by_id = {n.id: n for n in notices}
        profiles = await self._profiles(policy, notices)
        fresh = await self._start(policy, [n for n in notices if n.uscc in profiles], profiles)
        if fresh:
            credit = await self._check_credit(fresh)
            decided = await self._decide(policy, fresh, profiles, credit)
            paid = await self._pay_approved(policy, decided, profiles)
            done = await self._end(decided, paid)
        else:
            done = set()
        return [by_id[i] for i in by_id if i not in done]

    async def _profiles(
        self, policy: Policy, notices: Sequence[Notice]
    ) -> dict[str, EnterpriseProfile]:
        body = {"usccs": sorted({n.uscc for n in notices})}
        headers = {"X-On-Behalf-Of": f"proactive:{policy.id}@{policy.version}"}
        answer = await self.peers.identity.request("POST", "/profiles/lookup", body, headers)
        found = ProfileLookupResult.model_validate(answer)
        return {p.uscc: p for p in found.items}

    async def _start(
        self, policy: Policy, notices: Sequence[Notice], profiles: dict[str, EnterpriseProfile]
    ) -> list[Flow]:
        """The batch's flows recorded in one transaction, each keeping what a resumed flow
        needs (as ``Saga.start`` keeps it: the payee, no employees); a notice that has a
        flow already (a batch cut off before) is left to the saga."""
        now, kept_policy = dt.datetime.now(dt.UTC), policy.model_dump(mode="json")
        async with self.units.write() as uow:
            repo = flows.SqlFlows(uow.session)
            started = await repo.existing([n.id for n in notices])
            new = [
                _flow(n, self.client_id, self.today(), now) for n in notices if n.id not in started
            ]
            kept = {
                f.application_id: {"policy": kept_policy, "enterprise": _payee(profiles[f.uscc])}
                for f in new
            }
            await repo.add_many(new, kept)
            await uow.commit()
        return new

    async def _check_credit(self, batch: Sequence[Flow]) -> dict[str, CreditCheck]:
        body = {
            "checks": [
                {"application_id": f.application_id, "uscc": f.uscc, "on": f.applied_on.isoformat()}
                for f in batch
            ]
        }
        answer = await self.peers.credit.request("POST", "/checks/batch", body)
        checks = {c.application_id: c for c in map(CreditCheck.model_validate, answer)}
        await self._record("credit", checks)
        return checks

    async def _decide(
        self,
        policy: Policy,
        batch: Sequence[Flow],
        profiles: dict[str, EnterpriseProfile],
        credit: dict[str, CreditCheck],
    ) -> dict[str, Application]:
        """The batch's applications decided; one subsidy-svc refused is left to the saga."""
        items = [
            {
                "application_id": f.application_id,
                "enterprise": profiles[f.uscc].model_dump(mode="json"),
                "credit": credit[f.application_id].model_dump(mode="json"),
            }
            for f in batch
        ]
        answer = []
        for part in chunks(items):
            body = {
                "policy": policy.model_dump(mode="json"),
                "applied_on": self.today().isoformat(),
                "items": part,
            }
            answer += await self.peers.subsidy.request("POST", "/applications/batch", body)
        decided = {}
        for item in map(ApplicationBatchItem.model_validate, answer):
            if item.application is None:
                log.info(
                    "proactive payout %s left to its flow: %s", item.application_id, item.problem
                )
                continue
            decided[item.application_id] = item.application
        await self._record("decision", decided)
        return decided

    async def _pay_approved(
        self,
        policy: Policy,
        decided: dict[str, Application],
        profiles: dict[str, EnterpriseProfile],
    ) -> dict[str, Payout]:
        """The approved applications paid; those completed (the rest are left to the saga:
        the bank has not settled, refused, or the budget could not cover them)."""
        approved = [a for a in decided.values() if a.status == ApplicationStatus.APPROVED]
        if not approved:
            return {}
        body = {
            "payouts": [
                {
                    "application_id": a.id,
                    "policy_id": policy.id,
                    "uscc": a.uscc,
                    "amount_fen": a.amount_fen,
                    "currency": a.currency,
                    "payee": profiles[a.uscc].bank_account.model_dump(mode="json"),
                    "order": a.payout_order,
                }
                for a in approved
            ]
        }
        answer = await self.peers.payment.request("POST", "/payouts/batch", body)
        items = [PayoutBatchItem.model_validate(item) for item in answer]
        return {
            i.application_id: i.payout
            for i in items
            if i.payout is not None and i.payout.status == PayoutStatus.COMPLETED
        }

    async def _record(self, step: str, results: dict[str, Any]) -> None:
        """Each flow's result of a step, kept in one transaction before the batch goes on."""
        if not results:
            return
        kept = {i: r.model_dump(mode="json") for i, r in results.items()}
        async with self.units.write() as uow:
            await flows.SqlFlows(uow.session).record_many(step, kept)
            await uow.commit()
        self.saga.steps_done.labels(step).inc(len(kept))

    async def _end(self, decided: dict[str, Application], paid: dict[str, Payout]) -> set[str]:
        """The flows at their end (paid, or rejected on their decision) ended in one
        transaction, each with its receipt, as the saga ends one; which they were."""
        views = {}
        for app in decided.values():
            if app.status == ApplicationStatus.REJECTED:
                views[app.id] = application_view(app.id, app)
            elif app.id in paid:
                views[app.id] = application_view(app.id, app, paid[app.id])
        if not views:
            return set()
        ended = {}
        for application_id, view in views.items():
            receipt = self.receipts.receipt(view.model_dump(mode="json"))
            ended[application_id] = view.model_copy(update={"receipt": receipt})
        payouts = {i: Paid(payout=p).model_dump(mode="json") for i, p in paid.items()}
        async with self.units.write() as uow:
            repo = flows.SqlFlows(uow.session)
            await repo.record_many("payout", payouts)
            await repo.end_many(
                {i: (FlowStatus(v.status), v.model_dump(mode="json")) for i, v in ended.items()}
            )
            await uow.commit()
        self.saga.steps_done.labels("payout").inc(len(payouts))
        for view in ended.values():
            self.saga.answers.labels(str(view.status)).inc()
        return set(ended)


def _flow(notice: Notice, client_id: str, applied_on: dt.date, now: dt.datetime) -> Flow:
    return Flow(
        application_id=notice.id,
        policy_id=notice.policy_id,
        uscc=notice.uscc,
        client_id=client_id,
        idempotency_key=f"notice:{notice.id}",
        applied_on=applied_on,
        status=FlowStatus.RUNNING,
        created_at=now,
        updated_at=now,
    )


def _payee(enterprise: EnterpriseProfile) -> dict[str, Any]:
    return Payee(uscc=enterprise.uscc, bank_account=enterprise.bank_account).model_dump(mode="json")
