"""gateway app factory."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI
from sqlalchemy import ColumnElement, select

from qinqing_gateway.config import Settings
from qinqing_gateway.endpoints import router
from qinqing_gateway.events_docs import router as events_router
from qinqing_gateway.flows import SqlFlowUnits
from qinqing_gateway.grants import router as grants_router
from qinqing_gateway.models import AuthorizationCode, Flow, FlowStep, IdempotencyRecord
from qinqing_gateway.oauth.authorize import router as authorize_router
from qinqing_gateway.oauth.endpoints import router as oauth_router
from qinqing_gateway.oauth.issuer import Issuer, ServiceTokens
from qinqing_gateway.oauth.state import AuthServer
from qinqing_gateway.peers import Peers
from qinqing_gateway.policies import PolicyCache
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.saga import FINAL, Saga
from qinqing_gateway.steps import HttpSteps
from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.idempotency import IdempotencyStore
from qinqing_shared.retention import Purge, expired


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime.build(settings, None)
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
    receipts = ReceiptDesk(
        KeyRing(settings.key_folder / "receipts", "EdDSA"), settings.oauth_issuer
    )
    saga = Saga(SqlFlowUnits(runtime.units), HttpSteps(peers), runtime.metrics, receipts)
    runtime.background.append(
        lambda: saga.sweep_forever(settings.sweep_seconds, settings.stale_seconds)
    )
    runtime.closers.append(peers.aclose)
    runtime.purges += purges(settings)
    app = create_service_app(
        runtime,
        title="Qinqing API",
        description="Zero materials, zero approvals, instant cash-out: the public API of "
        "the Qinqing platform for government services to enterprises.",
        routers=[oauth_router, authorize_router, grants_router, router, events_router],
        public_docs=True,
    )
    app.state.peers, app.state.keys, app.state.saga = peers, keys, saga
    app.state.receipts, app.state.policies = receipts, policies
    app.state.auth_server, app.state.revoked = auth_server, auth_server.is_revoked
    app.state.settings = settings
    return app


def purges(settings: Settings) -> list[Purge]:
    """What the gateway keeps only for a time (docs/security.md, retention)."""
    keep_steps = dt.timedelta(days=settings.flow_steps_retention_days)

    def finished_flows(now: dt.datetime) -> ColumnElement[bool]:
        done = select(Flow.application_id).where(
            Flow.status.in_(FINAL), Flow.updated_at < now - keep_steps
        )
        return FlowStep.application_id.in_(done)

    return [
        expired("idempotency keys expired", IdempotencyRecord),
        expired("authorization codes expired", AuthorizationCode),
        Purge("steps of finished flows", FlowStep, finished_flows),
    ]
