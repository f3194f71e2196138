"""identity-svc app factory."""

from __future__ import annotations

from fastapi import FastAPI

from identity_svc import ingest_api, ingest_nats
from identity_svc.audit import SUBSCRIPTIONS as AUDIT_SUBSCRIPTIONS
from identity_svc.bank import AccountHolders
from identity_svc.config import Settings
from identity_svc.endpoints import router
from identity_svc.models import DeadLetter, Job, OutboxEvent, ProcessedEvent
from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.auth.scopes import FACTS_WRITE
from qinqing_shared.contracts.ingest import ingest_prefix
from qinqing_shared.deadletters import DeadLetters, Departments
from qinqing_shared.outbox import Outbox


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    # a department's records refused at ingest: it lists and replays its own
    letters = DeadLetters(DeadLetter, Departments(ingest_prefix, FACTS_WRITE))
    outbox = Outbox(OutboxEvent, "/qinqing/identity-svc", letters)
    # the departments' facts over NATS; the audit chain: every service's records
    subscriptions = [ingest_nats.subscription(outbox, letters)]
    subscriptions += AUDIT_SUBSCRIPTIONS if settings.audit_chain else []
    runtime = Runtime.build(
        settings,
        "identity",
        outbox=outbox,
        inbox_model=ProcessedEvent,
        subscriptions=subscriptions,
        jobs_model=Job,
    )
    runtime.signs()  # its answers carry its signature (JWKS at /.well-known/jwks.json)
    holders = AccountHolders(settings.bank_url, settings.bank_api_key)
    runtime.closers.append(holders.aclose)
    app = create_service_app(
        runtime,
        title="Qinqing identity-svc",
        description="Enterprises, persons, employment and the department facts that "
        "replace uploaded materials.",
        routers=[router, ingest_api.router],
    )
    app.state.account_holders = holders
    return app
