"""gateway app factory."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from sqlalchemy import ColumnElement, and_, select

from qinqing_gateway import aftermath, commitment_routes, interaction, web
from qinqing_gateway.bulk import BulkPayer
from qinqing_gateway.commitments import VERIFY, CommitmentDesk
from qinqing_gateway.config import Settings
from qinqing_gateway.endpoints import router
from qinqing_gateway.events_docs import router as events_router
from qinqing_gateway.flows import SqlFlowUnits
from qinqing_gateway.grants import router as grants_router
from qinqing_gateway.holdings import router as holdings_router
from qinqing_gateway.listing import router as listing_router
from qinqing_gateway.models import (
    AuthorizationCode,
    DeadLetter,
    DeliveryState,
    Flow,
    FlowStep,
    IdempotencyRecord,
    Job,
    ProcessedEvent,
    WebhookDelivery,
    WebSession,
)
from qinqing_gateway.oauth.authorize import router as authorize_router
from qinqing_gateway.oauth.endpoints import router as oauth_router
from qinqing_gateway.oauth.issuer import Issuer, ServiceTokens
from qinqing_gateway.oauth.state import AuthServer
from qinqing_gateway.peers import Peers
from qinqing_gateway.policies import PolicyCache
from qinqing_gateway.proactive import CLIENT as PROACTIVE_CLIENT
from qinqing_gateway.proactive import RECHECK as PROACTIVE_RECHECK
from qinqing_gateway.proactive import RUN as PROACTIVE_RUN
from qinqing_gateway.proactive import ProactiveDesk
from qinqing_gateway.proactive_routes import router as proactive_router
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.saga import FINAL, Saga
from qinqing_gateway.steps import HttpSteps
from qinqing_gateway.webhooks import dispatch as webhooks
from qinqing_gateway.webhooks import routes as webhook_routes
from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.deadletters import DeadLetters, dead_letter_router
from qinqing_shared.idempotency import IdempotencyStore
from qinqing_shared.retention import Purge, expired


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    dead_letters = DeadLetters(DeadLetter)
    receipts = ReceiptDesk(
        KeyRing(settings.key_folder / "receipts", "EdDSA"), settings.oauth_issuer
    )
    runtime = Runtime.build(
        settings,
        None,
        inbox_model=ProcessedEvent,
        subscriptions=[
            *webhooks.SUBSCRIPTIONS,
            *aftermath.Aftermath(receipts).subscriptions(),
        ],
        jobs_model=Job,
    )
    ring = KeyRing(settings.key_folder / "oauth", "RS256")
    issuer = Issuer(settings.oauth_issuer, ring)
    assert runtime.verifier is not None
    runtime.verifier.issuers[settings.oauth_issuer].follow(ring)  # its own keys
    auth_server = AuthServer(issuer, runtime.units)
    runtime.background.append(auth_server.refresh_forever)
    peers = Peers(settings, ServiceTokens(issuer, settings.service_name))
    policies = PolicyCache(peers.catalog, settings.policy_cache_seconds)
    runtime.background.append(lambda: policies.listen_forever(runtime.messaging))
    keys = IdempotencyStore(
        IdempotencyRecord,
        runtime.units,
        ttl=dt.timedelta(hours=settings.idempotency_ttl_hours),
        lease=dt.timedelta(seconds=settings.idempotency_lease_seconds),
    )
    commitments = CommitmentDesk(
        peers,
        policies,
        runtime.units,
        clock=runtime.clock,
        today=settings.today,
        recheck=dt.timedelta(seconds=settings.commitment_recheck_seconds),
    )
    runtime.handlers[VERIFY] = commitments.verify
    runtime.subscriptions = [*runtime.subscriptions, *commitments.subscriptions()]
    saga = Saga(SqlFlowUnits(runtime.units), HttpSteps(peers), runtime.metrics, receipts)
    runtime.background.append(
        lambda: saga.sweep_forever(settings.sweep_seconds, settings.stale_seconds)
    )
    bulk = BulkPayer(
        peers, saga, runtime.units, receipts, settings.today, client_id=PROACTIVE_CLIENT
    )
    proactive = ProactiveDesk(
        peers,
        saga,
        bulk,
        runtime.clock,
        settings.today,
        units=runtime.units,
        policies=policies,
        page_size=settings.proactive_page_size,
        batches_per_round=settings.proactive_batches_per_round,
        concurrency=settings.proactive_pay_concurrency,
        recheck=dt.timedelta(seconds=settings.proactive_recheck_seconds),
    )
    runtime.handlers[PROACTIVE_RUN] = proactive.run
    runtime.handlers[PROACTIVE_RECHECK] = proactive.recheck
    runtime.subscriptions = [*runtime.subscriptions, *proactive.subscriptions()]
    dispatcher = webhooks.Dispatcher(runtime.units, dead_letters, webhook_policy(settings))
    runtime.background += [
        lambda: dispatcher.deliver_forever(settings.webhook_poll_seconds),
        lambda: webhooks.WANTED.refresh_forever(runtime.units, settings.webhook_refresh_seconds),
    ]
    runtime.closers += [peers.aclose, dispatcher.aclose]
    runtime.purges += purges(settings)
    app = create_service_app(
        runtime,
        title="Qinqing API",
        description="Zero materials, zero approvals, instant cash-out: the public API of "
        "the Qinqing platform for government services to enterprises.",
        routers=[
            oauth_router,
            authorize_router,
            grants_router,
            listing_router,
            holdings_router,
            router,
            commitment_routes.router,
            proactive_router,
            interaction.router,
            events_router,
            webhook_routes.router,
            dead_letter_router(dead_letters, runtime.units),
            *web.ROUTERS,
        ],
        public_docs=True,
    )
    app.state.peers, app.state.keys, app.state.saga = peers, keys, saga
    app.state.receipts, app.state.policies = receipts, policies
    app.state.auth_server, app.state.revoked = auth_server, auth_server.is_revoked
    app.state.settings, app.state.commitments = settings, commitments
    web.install(app, runtime, settings)
    return app


def webhook_policy(settings: Settings) -> webhooks.Policy:
    return webhooks.Policy(
        max_attempts=settings.webhook_max_attempts,
        backoff_seconds=settings.webhook_backoff_seconds,
        timeout_seconds=settings.webhook_timeout_seconds,
        allow_private=settings.webhooks_allow_private,
    )


def purges(settings: Settings) -> list[Purge]:
    """What the gateway keeps only for a time (docs/security.md, retention)."""
    keep_steps = dt.timedelta(days=settings.flow_steps_retention_days)

    def finished_flows(now: dt.datetime) -> ColumnElement[bool]:
        done = select(Flow.application_id).where(
            Flow.status.in_(FINAL), Flow.updated_at < now - keep_steps
        )
        return FlowStep.application_id.in_(done)

    keep_deliveries = dt.timedelta(days=settings.webhook_retention_days)

    def delivered(now: dt.datetime) -> ColumnElement[bool]:
        return and_(
            WebhookDelivery.state == DeliveryState.DELIVERED,
            WebhookDelivery.delivered_at < now - keep_deliveries,
        )

    return [
        expired("idempotency keys expired", IdempotencyRecord),
        expired("authorization codes expired", AuthorizationCode),
        expired("portal sessions expired", WebSession),
        Purge("steps of finished flows", FlowStep, finished_flows),
        Purge("webhook deliveries delivered", WebhookDelivery, delivered),
    ]
