"""payment-svc app factory."""

from __future__ import annotations

import datetime as dt

from fastapi import FastAPI

from payment_svc import refunds
from payment_svc.bank.connector import HttpBankConnector
from payment_svc.config import Settings
from payment_svc.consumers import SUBSCRIPTIONS
from payment_svc.desk import PayoutDesk
from payment_svc.endpoints import router
from payment_svc.models import DeadLetter, IdempotencyKey, Job, OutboxEvent, ProcessedEvent
from payment_svc.refunds import RefundDesk
from payment_svc.repository import PaymentRepository
from qinqing_shared.app import Runtime, create_service_app
from qinqing_shared.deadletters import DeadLetters
from qinqing_shared.idempotency import IdempotencyStore
from qinqing_shared.outbox import Outbox
from qinqing_shared.retention import expired


def create_app(settings: Settings | None = None, bank: HttpBankConnector | None = None) -> FastAPI:
    settings = settings or Settings()
    outbox = Outbox(OutboxEvent, "/qinqing/payment-svc", DeadLetters(DeadLetter))
    runtime = Runtime.build(
        settings,
        "payment",
        outbox=outbox,
        jobs_model=Job,
        inbox_model=ProcessedEvent,
        subscriptions=SUBSCRIPTIONS,
    )
    runtime.verifies("subsidy-svc", "identity-svc")  # payout orders and payee accounts
    bank = bank or HttpBankConnector.to(
        settings.bank_url, settings.bank_timeout_seconds, settings.bank_api_key
    )
    desk = PayoutDesk(runtime.units, bank, runtime.metrics)
    refund_desk = RefundDesk(runtime.units, bank, runtime.clock)
    runtime.handlers[refunds.KIND] = refund_desk.handle
    runtime.background.append(
        lambda: desk.resolve_forever(settings.resolve_every_seconds, settings.resolve_after_seconds)
    )
    runtime.closers.append(bank.aclose)
    runtime.purges.append(expired("idempotency keys expired", IdempotencyKey))

    async def remaining() -> float:
        async with runtime.units.read() as unit:
            return float(await PaymentRepository(unit.session).budgets_remaining())

    runtime.metrics.reading("qinqing_budgets_remaining_fen", "Fen left in all budgets", remaining)
    app = create_service_app(
        runtime,
        title="Qinqing payment-svc",
        description="A double-entry ledger in integer fen, one budget per policy, and "
        "payouts through a bank connector; one payout per application.",
        routers=[router],
    )
    ttl = dt.timedelta(hours=settings.idempotency_ttl_hours)
    app.state.desk = desk
    app.state.refunds = refund_desk
    app.state.reconciliation_gauges = (
        runtime.metrics.gauge(
            "qinqing_reconciliation_differences", "Differences the last reconciliation found"
        ),
        runtime.metrics.gauge(
            "qinqing_reconciliation_last_run_timestamp_seconds",
            "When the last reconciliation ran (0: not since this process started)",
        ),
    )
    lease = dt.timedelta(seconds=settings.idempotency_lease_seconds)
    app.state.keys = IdempotencyStore(IdempotencyKey, runtime.units, ttl, lease)
    return app
