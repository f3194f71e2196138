"""Retention on a real, migrated database: each purge removes exactly the rows past its
horizon, in batches, and nothing else."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from catalog_svc.config import Settings as CatalogSettings
from catalog_svc.main import create_app as catalog_app
from catalog_svc.models import ProcessedEvent, RecentPayout
from payment_svc.config import Settings as PaymentSettings
from payment_svc.main import create_app as payment_app
from payment_svc.models import IdempotencyKey, OutboxEvent
from qinqing_gateway.config import Settings as GatewaySettings
from qinqing_gateway.main import purges
from qinqing_gateway.models import (
    AuthorizationCode,
    DeliveryState,
    Flow,
    FlowStep,
    IdempotencyRecord,
    WebhookDelivery,
    WebhookEndpoint,
    WebSession,
)
from qinqing_shared.db import Database
from qinqing_shared.retention import Retention
from qinqing_shared.uow import Units

NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def flow(application_id: str, status: str, updated_at: dt.datetime) -> Flow:
    return Flow(
        application_id=application_id,
        policy_id="hz-rental-subsidy-2026",
        uscc="91330105MA2H00057P",
        client_id="demo-app",
        idempotency_key=application_id,
        applied_on=updated_at.date(),
        status=status,
        result={"status": status},
        created_at=updated_at,
        updated_at=updated_at,
    )


def steps(application_id: str, at: dt.datetime) -> list[FlowStep]:
    return [
        FlowStep(application_id=application_id, step=name, result={}, completed_at=at)
        for name in ("enterprise", "decision", "payout")
    ]


def key(name: str, expires_at: dt.datetime) -> dict[str, Any]:
    return {
        "client_id": "demo-app",
        "key": name,
        "fingerprint": "f" * 64,
        "status": "done",
        "created_at": expires_at - DAY,
        "expires_at": expires_at,
    }


def code(name: str, expires_at: dt.datetime) -> AuthorizationCode:
    return AuthorizationCode(
        code_sha256=name.ljust(64, "0"),
        client_id="demo-app",
        username="chen.yu",
        uscc="91330105MA2H00057P",
        redirect_uri="http://127.0.0.1/cb",
        code_challenge="c" * 43,
        scope="applications:read",
        expires_at=expires_at,
    )


async def remaining(db: Database, column: Any) -> list[Any]:
    async with db.sessionmaker() as session:
        return sorted(await session.scalars(select(column)))


async def test_the_gateway_purges_old_finished_flows_steps_and_expired_keys_and_codes(
    service_db: Callable[[str], str],
) -> None:
    db = Database(service_db("qinqing_gateway"))
    old, recent = NOW - 31 * DAY, NOW - 29 * DAY
    async with db.sessionmaker() as session, session.begin():
        session.add_all(
            [
                flow("old-paid", "paid", old),
                flow("old-failed", "failed", old),
                flow("recent-paid", "paid", recent),
                flow("old-processing", "processing", old),
            ]
        )
        await session.flush()
        for application_id in ("old-paid", "old-failed", "recent-paid", "old-processing"):
            session.add_all(steps(application_id, old))
        session.add_all(
            [IdempotencyRecord(**key(n, NOW - dt.timedelta(seconds=1))) for n in "abc"]
            + [IdempotencyRecord(**key("live", NOW + dt.timedelta(seconds=1)))]
            + [code("spent", NOW - dt.timedelta(seconds=1)), code("fresh", NOW + DAY)]
            + [web_session("gone", NOW - dt.timedelta(seconds=1)), web_session("on", NOW + DAY)]
        )
        session.add(endpoint())
        await session.flush()
        session.add_all(
            [
                delivery("delivered-long-ago", DeliveryState.DELIVERED, NOW - 31 * DAY),
                delivery("delivered-lately", DeliveryState.DELIVERED, NOW - 29 * DAY),
                delivery("dead-long-ago", DeliveryState.DEAD, None),  # its letter is kept
                delivery("pending", DeliveryState.PENDING, None),
            ]
        )
    try:
        retention = Retention(Units(db), purges(GatewaySettings()), batch=2)
        removed = await retention.run_once(NOW)
        assert removed == {
            "idempotency keys expired": 3,
            "authorization codes expired": 1,
            "portal sessions expired": 1,
            "steps of finished flows": 6,
            "webhook deliveries delivered": 1,
        }
        assert set(await remaining(db, FlowStep.application_id)) == {
            "recent-paid",
            "old-processing",
        }
        assert len(await remaining(db, Flow.application_id)) == 4  # the answers stay
        assert await remaining(db, IdempotencyRecord.key) == ["live"]
        assert await remaining(db, AuthorizationCode.code_sha256) == ["fresh".ljust(64, "0")]
        assert await remaining(db, WebSession.id_sha256) == ["on".ljust(64, "0")]
        assert sorted(await remaining(db, WebhookDelivery.id)) == [
            "dead-long-ago",
            "delivered-lately",
            "pending",
        ]
        assert await retention.run_once(NOW) == dict.fromkeys(removed, 0)
    finally:
        await db.dispose()


def web_session(name: str, expires_at: dt.datetime) -> WebSession:
    return WebSession(
        id_sha256=name.ljust(64, "0"),
        csrf="x",
        username="chen.yu",
        uscc="91330106MA2H00014Q",
        access_token="token",
        created_at=NOW - DAY,
        expires_at=expires_at,
    )


def endpoint() -> WebhookEndpoint:
    return WebhookEndpoint(
        id="endpoint",
        client_id="demo-app",
        owner_kind="app",
        url="https://hooks.example.com/qinqing",
        subjects=["qinqing.payment.payout.completed.v1"],
        secret="whsec_x",
        created_at=NOW - 40 * DAY,
    )


def delivery(
    delivery_id: str, state: DeliveryState, delivered_at: dt.datetime | None
) -> WebhookDelivery:
    return WebhookDelivery(
        id=delivery_id,
        endpoint_id="endpoint",
        event_id=str(uuid.uuid4()),
        subject="qinqing.payment.payout.completed.v1",
        order_key=delivery_id,
        body={},
        attempts=1,
        state=state,
        next_attempt_at=NOW - 40 * DAY,
        delivered_at=delivered_at,
        created_at=NOW - 40 * DAY,
    )


def outbox_row(published_at: dt.datetime | None) -> OutboxEvent:
    return OutboxEvent(
        event_id=str(uuid.uuid4()),
        subject="qinqing.payment.payout.completed.v1",
        source="/qinqing/payment-svc",
        occurred_at=NOW - 10 * DAY,
        data={},
        published_at=published_at,
    )


async def test_payment_svc_purges_published_outbox_rows_and_expired_keys(
    service_db: Callable[[str], str], tmp_path: Path
) -> None:
    url = service_db("payment_svc")
    runtime = payment_app(PaymentSettings(database_url=url, keys_dir=tmp_path)).state.runtime
    db: Database = runtime.db
    async with db.sessionmaker() as session, session.begin():
        session.add_all(
            [
                outbox_row(NOW - 8 * DAY),
                outbox_row(NOW - 8 * DAY),
                outbox_row(NOW - 6 * DAY),
                outbox_row(None),  # never sent: never purged, however old
                IdempotencyKey(**key("spent", NOW - DAY)),
                IdempotencyKey(**key("live", NOW + DAY)),
            ]
        )
    try:
        removed = await runtime.retention().run_once(NOW)
        assert removed == {
            "idempotency keys expired": 1,
            "outbox published": 2,
            "processed events": 0,
            "jobs finished": 0,
        }
        async with db.sessionmaker() as session:
            left = (await session.scalars(select(OutboxEvent.published_at))).all()
        assert sorted(p is None for p in left) == [False, True]
        assert await remaining(db, IdempotencyKey.key) == ["live"]
    finally:
        await db.dispose()


async def test_a_consuming_service_purges_the_ids_of_events_handled_30_days_ago(
    service_db: Callable[[str], str], tmp_path: Path
) -> None:
    url = service_db("catalog_svc")
    runtime = catalog_app(CatalogSettings(database_url=url, keys_dir=tmp_path)).state.runtime
    db: Database = runtime.db
    async with db.sessionmaker() as session, session.begin():
        session.add_all(
            [
                ProcessedEvent(event_id="old", consumer="c", processed_at=NOW - 31 * DAY),
                ProcessedEvent(event_id="new", consumer="c", processed_at=NOW - 29 * DAY),
                recent_payout("yesterday", NOW - DAY - dt.timedelta(seconds=1)),
                recent_payout("today", NOW - DAY + dt.timedelta(seconds=1)),
            ]
        )
    try:
        removed = await runtime.retention().run_once(NOW)
        assert removed == {
            "recent payouts": 1,
            "outbox published": 0,
            "processed events": 1,
            "jobs finished": 0,
        }
        assert await remaining(db, ProcessedEvent.event_id) == ["new"]
        assert await remaining(db, RecentPayout.payout_id) == ["today"]
    finally:
        await db.dispose()


def recent_payout(payout_id: str, paid_at: dt.datetime) -> RecentPayout:
    return RecentPayout(
        payout_id=payout_id,
        paid_at=paid_at,
        minute=int(paid_at.timestamp()) // 60,
        department_code="HZ-HRSS",
        district_code="330106",
        amount_fen=100,
    )
