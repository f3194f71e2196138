"""Retention: rows kept only as long as they serve, then purged by a periodic job.

Each service lists what it purges (``Runtime.purges``); a recurring job of the common
mechanism (``qinqing_shared.jobs``, kind ``retention``) runs the round, one instance of
the service at a time. It deletes in batches of ``batch`` rows, each batch its own short
transaction, so a purge never holds a table for long. Every purge is idempotent (a
delete of rows past a horizon): a round run again after a crash does no harm.
docs/security.md lists what is kept how long.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, select, tuple_

from qinqing_shared.uow import Units

Horizon = Callable[[dt.datetime], ColumnElement[bool]]


@dataclass(frozen=True)
class Purge:
    """Rows of ``model`` for which ``past(now)`` holds are no longer kept."""

    name: str
    model: Any  # a mapped class
    past: Horizon


def published_outbox(model: Any, keep: dt.timedelta) -> Purge:
    """Outbox rows on NATS for longer than ``keep`` (unpublished rows are never purged)."""
    return Purge(
        "outbox published",
        model,
        lambda now: model.published_at.is_not(None) & (model.published_at < now - keep),
    )


def processed_events(model: Any, keep: dt.timedelta) -> Purge:
    """Inbox ids of events handled longer than ``keep`` ago: ``keep`` must outlast any
    redelivery of the event (see docs/security.md)."""
    return Purge("processed events", model, lambda now: model.processed_at < now - keep)


def finished_jobs(model: Any, keep: dt.timedelta) -> Purge:
    """Jobs done longer than ``keep`` ago (pending ones are never purged)."""
    return Purge(
        "jobs finished",
        model,
        lambda now: (model.state == "done") & (model.finished_at < now - keep),
    )


def expired(name: str, model: Any) -> Purge:
    """Rows whose own ``expires_at`` has passed (idempotency keys, codes, revocations)."""
    return Purge(name, model, lambda now: model.expires_at < now)


class Retention:
    def __init__(
        self,
        units: Units,
        purges: list[Purge],
        *,
        batch: int = 1_000,
    ) -> None:
        self.units = units
        self.purges = purges
        self.batch = batch

    async def run_once(self, now: dt.datetime | None = None) -> dict[str, int]:
        """Purge everything past its horizon; how many rows each purge removed."""
        now = now or dt.datetime.now(dt.UTC)
        return {purge.name: await self._purge(purge, now) for purge in self.purges}

    async def _purge(self, purge: Purge, now: dt.datetime) -> int:
        keys = list(purge.model.__table__.primary_key.columns)
        key = keys[0] if len(keys) == 1 else tuple_(*keys)
        total = 0
        while True:
            chosen = select(*keys).where(purge.past(now)).limit(self.batch)
            async with self.units.write() as uow:
                result = await uow.session.execute(
                    delete(purge.model)
                    .where(key.in_(chosen))
                    .execution_options(synchronize_session=False)
                )
                await uow.commit()
            removed = int(getattr(result, "rowcount", 0) or 0)
            total += removed
            if removed < self.batch:
                return total
