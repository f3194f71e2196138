"""gateway app factory."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI

from qinqing_gateway.config import Settings
from qinqing_gateway.endpoints import router
from qinqing_gateway.models import IdempotencyRecord
from qinqing_gateway.peers import Peers
from qinqing_gateway.saga import Saga
from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.idempotency import IdempotencyStore


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime.build(settings, None)
    peers = Peers(settings)
    keys = IdempotencyStore(
        IdempotencyRecord,
        runtime.db.sessionmaker,
        ttl=dt.timedelta(hours=settings.idempotency_ttl_hours),
        lease=dt.timedelta(seconds=settings.idempotency_lease_seconds),
    )
    saga = Saga(runtime.db, peers, keys)
    runtime.background.append(
        lambda: saga.sweep_forever(settings.sweep_seconds, settings.stale_seconds)
    )
    runtime.closers.append(peers.aclose)
    app = create_service_app(
        runtime,
        title="Qinqing API",
        description="Zero materials, zero approvals, instant cash-out: the public API of "
        "the Qinqing platform for government services to enterprises.",
        routers=[router],
    )
    app.state.peers, app.state.keys, app.state.saga = peers, keys, saga
    app.state.settings = settings
    return app
