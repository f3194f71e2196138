"""catalog-svc app factory."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI

from catalog_svc.config import Settings
from catalog_svc.consumers import SUBSCRIPTIONS
from catalog_svc.endpoints import router
from catalog_svc.interaction import endpoints as requests
from catalog_svc.interaction.desk import ACKNOWLEDGE, ANSWER, Desk
from catalog_svc.interaction.figures import RequestFigures
from catalog_svc.models import DeadLetter, Job, OutboxEvent, ProcessedEvent, RecentPayout
from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.deadletters import DeadLetters
from qinqing_shared.outbox import Outbox
from qinqing_shared.retention import Purge

RECENT_PAYOUTS_KEPT = dt.timedelta(days=1)  # the dashboard shows the last 30 minutes


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime.build(
        settings,
        "catalog",
        outbox=Outbox(OutboxEvent, "/qinqing/catalog-svc", DeadLetters(DeadLetter)),
        inbox_model=ProcessedEvent,
        subscriptions=SUBSCRIPTIONS,
        jobs_model=Job,
        more_domains=("interaction",),
    )
    runtime.purges.append(
        Purge(
            "recent payouts",
            RecentPayout,
            lambda now: RecentPayout.paid_at < now - RECENT_PAYOUTS_KEPT,
        )
    )
    runtime.signs()  # its answers carry its signature (JWKS at /.well-known/jwks.json)
    runtime.verifies("subsidy-svc")  # a service item decided at once: subsidy-svc's decision
    desk = Desk(runtime.clock, runtime.units)
    runtime.subscriptions = [*runtime.subscriptions, *desk.subscriptions()]
    runtime.handlers[ACKNOWLEDGE] = runtime.handlers[ANSWER] = desk.limit_ran_out
    app = create_service_app(
        runtime,
        title="Qinqing catalog-svc",
        description="The 14 districts, 53 departments and 300+ services of the city, "
        "subsidy policies as data, and enterprises' requests to departments.",
        routers=[router, requests.router],
    )
    app.state.requests = desk
    app.state.request_figures = RequestFigures(runtime.clock)
    return app
