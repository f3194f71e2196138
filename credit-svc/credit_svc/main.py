"""credit-svc app factory."""

from __future__ import annotations

from fastapi import FastAPI

from credit_svc import ingest_nats
from credit_svc.config import Settings
from credit_svc.endpoints import router
from credit_svc.models import DeadLetter, Job, OutboxEvent, ProcessedEvent
from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.auth.scopes import CREDIT_WRITE
from qinqing_shared.contracts.ingest import ingest_prefix
from qinqing_shared.deadletters import DeadLetters, Departments
from qinqing_shared.outbox import Outbox


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # a department's records refused at ingest: it lists and replays its own
    letters = DeadLetters(DeadLetter, Departments(ingest_prefix, CREDIT_WRITE))
    outbox = Outbox(OutboxEvent, "/qinqing/credit-svc", letters)
    runtime = Runtime.build(
        settings,
        "credit",
        outbox=outbox,
        jobs_model=Job,
        inbox_model=ProcessedEvent,
        subscriptions=[ingest_nats.subscription(outbox, letters)],
    )
    runtime.signs()  # its answers carry its signature (JWKS at /.well-known/jwks.json)
    return create_service_app(
        runtime,
        title="Qinqing credit-svc",
        description="Credit records filed by departments, and the check that denies "
        "black-listed enterprises any subsidy.",
        routers=[router],
    )
