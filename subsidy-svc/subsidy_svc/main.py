"""subsidy-svc app factory."""

from __future__ import annotations

from fastapi import FastAPI

from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.deadletters import DeadLetters
from qinqing_shared.outbox import Outbox
from subsidy_svc.config import Settings
from subsidy_svc.consumers import SUBSCRIPTIONS
from subsidy_svc.endpoints import router
from subsidy_svc.models import DeadLetter, Job, OutboxEvent, ProcessedEvent
from subsidy_svc.proactive_routes import router as proactive_router


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime.build(
        settings,
        "subsidy",
        outbox=Outbox(OutboxEvent, "/qinqing/subsidy-svc", DeadLetters(DeadLetter)),
        inbox_model=ProcessedEvent,
        subscriptions=SUBSCRIPTIONS,
        jobs_model=Job,
    )
    runtime.signs()  # its payout orders carry its signature (JWKS at /.well-known/jwks.json)
    runtime.verifies("identity-svc", "catalog-svc", "credit-svc")
    return create_service_app(
        runtime,
        title="Qinqing subsidy-svc",
        description="Applications and their eligibility decisions, each with a "
        "rule-by-rule trace and the policy version.",
        routers=[router, proactive_router],
    )
