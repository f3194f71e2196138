"""Due work, durably: one job mechanism for every service (docs/jobs.md).

A job is a row of the service's ``jobs`` table: a kind, a key (one job per kind and key,
so scheduling twice is scheduling once), a payload and the time it is due. It is written
in the transaction of the change that makes it due (a commitment to verify, a purge
round), so it exists exactly when that change does. Runners poll for due jobs:

- **claimed with a lease**: an atomic update takes a due job whose lease is free or run
  out, so of several instances one runs it; an instance that dies holding a job lets its
  lease run out, and another takes the job over (work is resumed, never lost);
- **at least once**: a handler may run again after a crash, so it is idempotent (it
  checks the state it changes, in its own units of work);
- **retried**: a handler that raises is tried again after a growing delay (capped), its
  error kept on the row; jobs never give up on their own (``qinqing_jobs_overdue`` and
  the row's ``attempts`` and ``last_error`` say one is stuck);
- **recurring**: a handler returns when it is next due, or ``None`` when it is done;
- **on an injectable clock**: every "now" comes from ``clock``, which tests move forward
  (``ManualClock``); no endpoint runs a job.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import (
    JSON,
    DateTime,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from qinqing_shared.cancel import stop_if_cancelled
from qinqing_shared.db import as_utc, insert_ignore
from qinqing_shared.uow import Units

log = logging.getLogger("qinqing.jobs")

PENDING, DONE = "pending", "done"


class Clock(Protocol):
    def now(self) -> dt.datetime: ...


class SystemClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class ManualClock:
    """A clock that moves only when told: tests run due work by moving it forward."""

    def __init__(self, start: dt.datetime) -> None:
        self._now = start

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, by: dt.timedelta) -> dt.datetime:
        self._now += by
        return self._now


class ShiftedClock:
    """The system clock moved forward by the seconds written in a file (none: not
    moved): how a test moves the clock of a running process (``<SERVICE>_CLOCK_SHIFT_FILE``,
    never set in production; the service warns at start when it is). The file is read
    at most once a second."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._shift = dt.timedelta()
        self._read_at = 0.0

    def now(self) -> dt.datetime:
        moment = time.monotonic()
        if moment - self._read_at >= 1.0:
            self._read_at = moment
            try:
                self._shift = dt.timedelta(seconds=float(self.path.read_text().strip() or 0))
            except (OSError, ValueError):
                self._shift = dt.timedelta()
        return dt.datetime.now(dt.UTC) + self._shift


class JobMixin:
    """Columns of a service's ``jobs`` table; mapped on the service's Base."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    key: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(10))
    due_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    leased_by: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:
        return (UniqueConstraint("kind", "key"),)


@dataclass(frozen=True)
class Job:
    """A claimed job, as its handler sees it."""

    id: str
    kind: str
    key: str
    payload: dict[str, Any]
    attempts: int  # this run included
    due_at: dt.datetime


# Runs a job; returns when it is next due (a recurring job), or None when it is done.
Handler = Callable[[Job], Awaitable[dt.datetime | None]]


async def schedule(
    session: Any,
    model: type[JobMixin],
    *,
    kind: str,
    key: str,
    due_at: dt.datetime,
    payload: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> bool:
    """Make a job due at ``due_at``, in the caller's transaction; False if the job (this
    kind and key) already exists, whatever its state: it is not scheduled twice."""
    created = now or due_at
    values = {
        "id": str(uuid.uuid4()),
        "kind": kind,
        "key": key,
        "payload": payload or {},
        "state": PENDING,
        "due_at": due_at,
        "attempts": 0,
        "created_at": created,
    }
    return await insert_ignore(session, model, values)


async def hasten(session: Any, model: type[JobMixin], *, kind: str, now: dt.datetime) -> int:
    """Make the pending jobs of ``kind`` due now, in the caller's transaction (what they
    wait for may have come); how many. A job running meanwhile is marked too (its due
    time moves): its handler may have read before what came, so it runs again at once
    rather than at the time the handler returns (no wake-up is lost)."""
    running = model.lease_until.is_not(None) & (model.lease_until > now)
    result = await session.execute(
        update(model)
        .where(model.kind == kind, model.state == PENDING, or_(model.due_at > now, running))
        .values(due_at=now)
    )
    return int(result.rowcount)


@dataclass(frozen=True)
class Backoff:
    """Delay before a failed job is tried again: doubling from ``first``, at most ``cap``."""

    first: dt.timedelta = dt.timedelta(seconds=5)
    cap: dt.timedelta = dt.timedelta(hours=1)

    def after(self, attempts: int) -> dt.timedelta:
        doubled: dt.timedelta = self.first * 2 ** max(attempts - 1, 0)
        return min(doubled, self.cap)


class Jobs:
    """Runs this service's due jobs, with the handlers it has for their kinds."""

    def __init__(
        self,
        units: Units,
        model: type[JobMixin],
        handlers: Mapping[str, Handler],
        *,
        clock: Clock | None = None,
        lease: dt.timedelta = dt.timedelta(minutes=5),
        backoff: Backoff | None = None,
        batch: int = 20,
        worker: str | None = None,
    ) -> None:
        self.units = units
        self.model = model
        self.handlers = dict(handlers)
        self.clock = clock or SystemClock()
        self.lease = lease
        self.backoff = backoff or Backoff()
        self.batch = batch
        self.worker = worker or f"worker-{uuid.uuid4().hex[:12]}"
        self._tokens: dict[str, str] = {}  # job id -> this runner's lease on it

    async def ensure(self, kind: str, key: str, due_at: dt.datetime | None = None) -> bool:
        """Schedule a job in a transaction of its own (a recurring job's first round, at
        start); nothing if it exists."""
        now = self.clock.now()
        async with self.units.write() as uow:
            made = await schedule(
                uow.session, self.model, kind=kind, key=key, due_at=due_at or now, now=now
            )
            await uow.commit()
        return made

    async def run_due(self) -> int:
        """Claim and run the jobs due now, one after the other; how many ran."""
        ran = 0
        for job_id in await self._due_ids():
            job = await self._claim(job_id)
            if job is not None:
                await self._run(job)
                ran += 1
        return ran

    async def forever(self, poll_seconds: float) -> None:
        while True:
            stop_if_cancelled()
            try:
                # a round that ran a job looks again at once: more may be due, and a job
                # whose handler asked to come back now (a proactive run with enterprises
                # left) runs again without waiting for the next poll
                while await self.run_due() > 0:
                    stop_if_cancelled()
            except Exception:  # the database was away: the next poll tries again
                log.exception("jobs: could not poll for due work")
            await asyncio.sleep(poll_seconds)

    async def stuck(self, late: dt.timedelta) -> dict[str, float]:
        """Jobs due longer than ``late`` ago and not done (no runner, or failing), and
        jobs whose last run failed: read by /metrics."""
        now, m = self.clock.now(), self.model
        pending = m.state == PENDING
        async with self.units.read() as unit:
            overdue = await unit.session.scalar(
                select(func.count()).where(pending, m.due_at < now - late)
            )
            failing = await unit.session.scalar(
                select(func.count()).where(pending, m.last_error.is_not(None))
            )
        return {"overdue": float(overdue or 0), "failing": float(failing or 0)}

    def _free(self, now: dt.datetime) -> Any:
        m = self.model
        return (
            (m.state == PENDING)
            & (m.due_at <= now)
            & or_(m.lease_until.is_(None), m.lease_until <= now)
        )

    async def _due_ids(self) -> list[str]:
        now = self.clock.now()
        wanted = list(self.handlers)
        chosen = (
            select(self.model.id)
            .where(self._free(now), self.model.kind.in_(wanted))
            .order_by(self.model.due_at)
            .limit(self.batch)
        )
        async with self.units.read() as unit:
            return list(await unit.session.scalars(chosen))

    async def _claim(self, job_id: str) -> Job | None:
        """Take the job's lease: an atomic update of a job still free, so of several
        runners exactly one takes it. None if another runner was first."""
        now, m = self.clock.now(), self.model
        token = f"{self.worker}:{uuid.uuid4().hex[:8]}"
        async with self.units.write() as uow:
            taken = await uow.session.execute(
                update(m)
                .where(m.id == job_id, self._free(now))
                .values(lease_until=now + self.lease, leased_by=token, attempts=m.attempts + 1)
                .execution_options(synchronize_session=False)
            )
            if getattr(taken, "rowcount", 0) != 1:
                await uow.commit()
                return None
            row = (await uow.session.execute(select(m).where(m.id == job_id))).scalar_one()
            job = Job(
                row.id, row.kind, row.key, dict(row.payload), row.attempts, as_utc(row.due_at)
            )
            await uow.commit()
        self._tokens[job.id] = token
        return job

    async def _run(self, job: Job) -> None:
        handler = self.handlers[job.kind]
        try:
            next_due = await handler(job)
        except Exception as exc:  # noqa: BLE001 - any failure: kept on the row, retried
            log.warning("job %s %s failed (attempt %d): %r", job.kind, job.key, job.attempts, exc)
            await self._settle(job, error=repr(exc)[:2000])
        else:
            await self._settle(job, next_due=next_due)

    async def _settle(
        self, job: Job, *, next_due: dt.datetime | None = None, error: str | None = None
    ) -> None:
        """Record the run, if the lease is still this runner's (a runner that overran its
        lease lost the job to another, whose outcome counts)."""
        now, m = self.clock.now(), self.model
        token = self._tokens.pop(job.id)
        values: dict[str, Any] = {"lease_until": None, "leased_by": None}
        if error is not None:
            values |= {"due_at": now + self.backoff.after(job.attempts), "last_error": error}
        elif next_due is not None:
            values |= {"due_at": next_due, "attempts": 0, "last_error": None}
        else:
            values |= {"state": DONE, "finished_at": now, "last_error": None}
        async with self.units.write() as uow:
            if next_due is not None and await self._hastened(uow.session, job):
                values["due_at"] = now  # what it waited for came while it ran: again now
            result = await uow.session.execute(
                update(m)
                .where(m.id == job.id, m.leased_by == token)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            await uow.commit()
        if getattr(result, "rowcount", 0) != 1:
            log.warning("job %s %s: its lease ran out before it finished", job.kind, job.key)

    async def _hastened(self, session: Any, job: Job) -> bool:
        """Whether ``hasten`` moved the job's due time while this runner held it."""
        locked = select(self.model.due_at).where(self.model.id == job.id).with_for_update()
        due = await session.scalar(locked)  # held until the settle commits: none slips by
        return due is not None and as_utc(due) != job.due_at
