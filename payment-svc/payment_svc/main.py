"""payment-svc app factory."""

from __future__ import annotations

from fastapi import FastAPI

from payment_svc.config import Settings
from payment_svc.endpoints import router
from payment_svc.models import OutboxEvent
from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.outbox import Outbox


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    runtime = Runtime.build(settings, "payment", outbox=Outbox(OutboxEvent, "/qinqing/payment-svc"))
    return create_service_app(
        runtime,
        title="Qinqing payment-svc",
        description="A double-entry ledger in integer fen, one budget per policy, and "
        "payouts through a bank connector; one payout per application.",
        routers=[router],
    )
