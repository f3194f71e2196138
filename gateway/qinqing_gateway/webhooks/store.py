"""Webhook endpoints and deliveries in the gateway's database (every query here).

Updates run without synchronizing the session (the rows they change are not used
after them in the same unit; SQLite hands times back without their zone, which the
ORM's in-Python evaluation cannot compare)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_gateway.models import DeliveryState, Flow, WebhookDelivery, WebhookEndpoint
from qinqing_shared.db import insert_ignore

HEADS_SCANNED = 1000  # pending deliveries read per round, oldest first


class WebhookStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- endpoints ------------------------------------------------------------------

    async def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self.session.add(endpoint)

    async def endpoints_of(self, client_id: str) -> list[WebhookEndpoint]:
        query = (
            select(WebhookEndpoint)
            .where(WebhookEndpoint.client_id == client_id)
            .order_by(WebhookEndpoint.created_at)
        )
        return list((await self.session.scalars(query)).all())

    async def endpoint(self, endpoint_id: str) -> WebhookEndpoint | None:
        return await self.session.get(WebhookEndpoint, endpoint_id)

    async def endpoints(self, ids: set[str]) -> dict[str, WebhookEndpoint]:
        query = select(WebhookEndpoint).where(WebhookEndpoint.id.in_(ids))
        return {e.id: e for e in (await self.session.scalars(query)).all()}

    async def remove_endpoint(self, endpoint: WebhookEndpoint) -> None:
        """The endpoint and what was still to be sent to it."""
        await self.session.execute(
            delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id)
        )
        await self.session.delete(endpoint)

    async def all_endpoints(self) -> list[WebhookEndpoint]:
        return list((await self.session.scalars(select(WebhookEndpoint))).all())

    async def subscribed(self, subject: str) -> list[WebhookEndpoint]:
        """The endpoints registered for ``subject`` (few: read whole, filtered here)."""
        return [e for e in await self.all_endpoints() if subject in e.subjects]

    async def app_of(self, application_id: str) -> str | None:
        """The app whose request made this application (None if none did here)."""
        query = select(Flow.client_id).where(Flow.application_id == application_id)
        found: str | None = await self.session.scalar(query)
        return found

    # --- deliveries -----------------------------------------------------------------

    async def add_delivery(self, values: dict[str, Any]) -> bool:
        """A delivery of one event to one endpoint; False if it was there already."""
        return await insert_ignore(self.session, WebhookDelivery, values)

    async def heads(self, now: dt.datetime, limit: int) -> list[WebhookDelivery]:
        """The first pending delivery of each endpoint and application, if it is due:
        a later one waits until the one before it is delivered or dead (in order)."""
        query = (
            select(WebhookDelivery)
            .where(WebhookDelivery.state == DeliveryState.PENDING)
            .order_by(WebhookDelivery.seq)
            .limit(HEADS_SCANNED)
        )
        seen: set[tuple[str, str]] = set()
        due = []
        for delivery in (await self.session.scalars(query)).all():
            key = (delivery.endpoint_id, delivery.order_key)
            if key in seen:
                continue
            seen.add(key)
            if _aware(delivery.next_attempt_at) <= now:
                due.append(delivery)
        return due[:limit]

    async def lease(self, delivery_id: str, now: dt.datetime, until: dt.datetime) -> bool:
        """This instance sends it: its next attempt moved to ``until`` if it is still
        due, so of several gateways one sends each attempt."""
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.id == delivery_id,
                WebhookDelivery.state == DeliveryState.PENDING,
                WebhookDelivery.next_attempt_at <= now,
            )
            .values(next_attempt_at=until)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    async def delivered(self, delivery_id: str, attempts: int, at: dt.datetime) -> None:
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .values(state=DeliveryState.DELIVERED, attempts=attempts, delivered_at=at)
            .execution_options(synchronize_session=False)
        )

    async def failed(
        self, delivery_id: str, attempts: int, error: str, retry_at: dt.datetime | None
    ) -> None:
        """An attempt failed: tried again at ``retry_at``, or dead (None)."""
        values: dict[str, Any] = {"attempts": attempts, "last_error": error[:2000]}
        if retry_at is None:
            values["state"] = DeliveryState.DEAD
        else:
            values["next_attempt_at"] = retry_at
        await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def revive(self, delivery_id: str, body: dict[str, Any], at: dt.datetime) -> bool:
        """A dead delivery sent again (a dead letter replayed), from its first try."""
        result = await self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.state == DeliveryState.DEAD)
            .values(state=DeliveryState.PENDING, attempts=0, next_attempt_at=at, body=body)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0) == 1)


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite hands a time back without its zone (stored as UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
