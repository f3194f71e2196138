"""Events become deliveries (in the inbox's transaction: once each), deliveries are sent.

``SUBSCRIPTIONS``: the gateway's durable consumers of the subjects an endpoint may
want; each event is written as one delivery per endpoint that wants it (an app's only
for its own applications). ``Dispatcher.deliver_forever``: every round, the first due
delivery of each endpoint and application is leased, sent, and its outcome recorded:
delivered on a 2xx; else tried again after a growing wait, and after the last try
dead-lettered (the next one of its application goes on).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_gateway.models import DeliveryState, WebhookDelivery, WebhookEndpoint
from qinqing_gateway.webhooks import addresses, signing
from qinqing_gateway.webhooks.store import WebhookStore
from qinqing_shared import tracing
from qinqing_shared.contracts.events import (
    APPLICATION_APPROVED,
    APPLICATION_CLAWED_BACK,
    APPLICATION_REJECTED,
    APPLICATION_SUBMITTED,
    BUDGET_EXHAUSTED,
    CLAWBACK_DEMANDED,
    CLAWBACK_REOPENED,
    CLAWBACK_REPAID,
    COMMITMENT_BROKEN,
    COMMITMENT_KEPT,
    COMMITMENT_LAPSED,
    COMMITMENT_MADE,
    CREDIT_CHECK_COMPLETED,
    CREDIT_RECORD_FILED,
    CREDIT_RECORD_LIFTED,
    PAYOUT_COMPLETED,
    PAYOUT_FAILED,
    PAYOUT_REVERSED,
    REFUND_COMPLETED,
    REFUND_FAILED,
)
from qinqing_shared.deadletters import DeadLetterMixin, DeadLetters
from qinqing_shared.events import CloudEvent
from qinqing_shared.inbox import Subscription
from qinqing_shared.uow import UnitOfWork, Units

log = logging.getLogger("gateway.webhooks")
# What an app may have called back: its own applications' events
APP_SUBJECTS = (
    APPLICATION_SUBMITTED,
    APPLICATION_APPROVED,
    APPLICATION_REJECTED,
    CREDIT_CHECK_COMPLETED,
    PAYOUT_COMPLETED,
    PAYOUT_FAILED,
    PAYOUT_REVERSED,
    APPLICATION_CLAWED_BACK,
    CLAWBACK_DEMANDED,
    CLAWBACK_REPAID,
    CLAWBACK_REOPENED,
    REFUND_COMPLETED,
    REFUND_FAILED,
)
# What a department may have delivered: those, of every application, the budgets', and
# the credit records filed and lifted, the commitments made and verified
DEPARTMENT_SUBJECTS = (
    *APP_SUBJECTS,
    BUDGET_EXHAUSTED,
    CREDIT_RECORD_FILED,
    CREDIT_RECORD_LIFTED,
    COMMITMENT_MADE,
    COMMITMENT_KEPT,
    COMMITMENT_BROKEN,
    COMMITMENT_LAPSED,
)
DEAD_LETTER_KIND = "webhook"


async def on_event(uow: UnitOfWork, event: CloudEvent) -> None:
    """One delivery per endpoint that wants the event."""
    store = WebhookStore(uow.session)
    application_id = event.data.get("application_id")
    app = await store.app_of(application_id) if application_id else None
    now = dt.datetime.now(dt.UTC)
    for endpoint in await store.subscribed(event.type):
        if endpoint.owner_kind == "app" and endpoint.client_id != app:
            continue  # an app hears of its own applications only
        await store.add_delivery(_delivery(endpoint, event, application_id, now))


def _delivery(
    endpoint: WebhookEndpoint, event: CloudEvent, application_id: str | None, now: dt.datetime
) -> dict[str, Any]:
    body = {
        "id": event.id,
        "type": event.type,
        "timestamp": event.time.isoformat(),
        "subject": event.subject,
        "data": event.data,
    }
    return {
        "id": str(uuid.uuid4()),
        "endpoint_id": endpoint.id,
        "event_id": event.id,
        "subject": event.type,
        "order_key": application_id or event.id,
        "body": body,
        "attempts": 0,
        "state": DeliveryState.PENDING,
        "next_attempt_at": now,
        "created_at": now,
    }


def _durable(subject: str) -> str:
    """qinqing.payment.payout.completed.v1 -> gateway-webhooks-payment-payout-completed-v1"""
    return "gateway-webhooks-" + subject.removeprefix("qinqing.").replace(".", "-")


class Wanted:
    """The subjects some endpoint wants, kept in memory: an event no endpoint wants is
    acked without a transaction (the instant flow pays nothing for webhooks nobody
    registered). Read again from the database every ``refresh_seconds`` (endpoints
    registered on another gateway), and added to at once on registration here."""

    def __init__(self) -> None:
        self.subjects: set[str] = set()

    def wants(self, subject: str) -> bool:
        return subject in self.subjects

    async def refresh(self, units: Units) -> None:
        async with units.read() as unit:
            endpoints = await WebhookStore(unit.session).all_endpoints()
        self.subjects = {s for e in endpoints for s in e.subjects}

    async def refresh_forever(self, units: Units, every: float) -> None:
        while True:
            try:
                await self.refresh(units)
            except Exception:
                log.warning("webhook subjects not read", exc_info=True)
            await asyncio.sleep(every)


WANTED = Wanted()  # the process's one gateway app
SUBSCRIPTIONS = [
    Subscription(s, _durable(s), on_event, wanted=WANTED.wants) for s in DEPARTMENT_SUBJECTS
]


@dataclass(frozen=True)
class Policy:
    """How deliveries are tried: see the gateway's settings (``webhook_*``)."""

    max_attempts: int
    backoff_seconds: tuple[float, ...]
    timeout_seconds: float
    allow_private: bool
    batch: int = 50

    def retry_at(self, attempts: int, now: dt.datetime) -> dt.datetime | None:
        """When to try again after ``attempts`` failed tries; None: never (dead)."""
        if attempts >= self.max_attempts:
            return None
        wait = self.backoff_seconds[min(attempts, len(self.backoff_seconds)) - 1]
        return now + dt.timedelta(seconds=wait)


@dataclass(frozen=True)
class Outcome:
    delivery: WebhookDelivery
    error: str | None  # None: delivered


class Dispatcher:
    def __init__(self, units: Units, dead_letters: DeadLetters, policy: Policy) -> None:
        self.units = units
        self.dead_letters = dead_letters
        self.policy = policy
        self.http = httpx.AsyncClient(
            timeout=policy.timeout_seconds,
            follow_redirects=False,  # a redirect could lead anywhere: a failed attempt
            event_hooks=tracing.httpx_hooks(),
        )
        dead_letters.requeue[DEAD_LETTER_KIND] = self.requeue

    async def deliver_forever(self, every: float) -> None:
        while True:
            try:
                sent = await self.deliver_once()
            except Exception:
                log.warning("webhook round failed", exc_info=True)
                sent = 0
            if not sent:
                await asyncio.sleep(every)

    async def deliver_once(self) -> int:
        """One round: lease the due heads, send them at once, record each outcome."""
        now = dt.datetime.now(dt.UTC)
        lease_until = now + dt.timedelta(seconds=self.policy.timeout_seconds * 2 + 5)
        async with self.units.write(autocommit=True) as unit:
            store = WebhookStore(unit.session)
            heads = await store.heads(now, self.policy.batch)
            mine = [d for d in heads if await store.lease(d.id, now, lease_until)]
            endpoints = await store.endpoints({d.endpoint_id for d in mine})
            await unit.commit()
        sending = [d for d in mine if d.endpoint_id in endpoints]
        outcomes = await asyncio.gather(*(self._send(d, endpoints[d.endpoint_id]) for d in sending))
        async with self.units.write() as unit:
            for outcome in outcomes:
                await self._record(unit.session, outcome)
            await unit.commit()
        return len(outcomes)

    async def _send(self, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> Outcome:
        body = json.dumps(delivery.body, separators=(",", ":"), ensure_ascii=False).encode()
        timestamp = int(dt.datetime.now(dt.UTC).timestamp())
        headers = signing.headers(endpoint.secret, delivery.id, timestamp, body)
        try:
            await addresses.check(endpoint.url, self.policy.allow_private)
            answer = await self.http.post(endpoint.url, content=body, headers=headers)
        except addresses.AddressRefused as refused:
            return Outcome(delivery, str(refused))
        except httpx.HTTPError as exc:
            return Outcome(delivery, f"{type(exc).__name__}: no answer")
        if answer.is_success:
            return Outcome(delivery, None)
        return Outcome(delivery, f"answered {answer.status_code}")

    async def _record(self, session: AsyncSession, outcome: Outcome) -> None:
        store, delivery = WebhookStore(session), outcome.delivery
        attempts, now = delivery.attempts + 1, dt.datetime.now(dt.UTC)
        if outcome.error is None:
            await store.delivered(delivery.id, attempts, now)
            return
        retry_at = self.policy.retry_at(attempts, now)
        await store.failed(delivery.id, attempts, outcome.error, retry_at)
        if retry_at is None:
            payload = {"endpoint_id": delivery.endpoint_id, "body": delivery.body}
            self.dead_letters.add(
                session,
                kind=DEAD_LETTER_KIND,
                ref=delivery.id,
                subject=delivery.subject,
                payload=payload,
                error=f"{attempts} attempts; the last: {outcome.error}",
            )

    async def requeue(
        self, session: AsyncSession, letter: DeadLetterMixin, payload: dict[str, Any]
    ) -> None:
        """A dead delivery replayed by an operator: sent again, from its first try."""
        body = payload.get("body", letter.payload["body"])
        if not await WebhookStore(session).revive(letter.ref, body, dt.datetime.now(dt.UTC)):
            log.warning("dead letter %s: its delivery is gone or not dead", letter.id)

    async def aclose(self) -> None:
        await self.http.aclose()
