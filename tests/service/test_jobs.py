"""The common job mechanism on a real, migrated database (SQLite and PostgreSQL): due
work runs once, when due, by one runner; a failure is retried later; a runner that dies
holding a job loses it to another when its lease runs out; a recurring job comes back."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from catalog_svc.config import Settings as CatalogSettings
from catalog_svc.main import create_app as catalog_app
from catalog_svc.models import Job as JobRow
from catalog_svc.models import ProcessedEvent
from qinqing_gateway.commitments import VERIFY, CommitmentDesk
from qinqing_gateway.models import Job as GatewayJob
from qinqing_shared.app import RETENTION
from qinqing_shared.contracts.events import FACTS_RECEIVED
from qinqing_shared.db import Database, as_utc
from qinqing_shared.events import CloudEvent
from qinqing_shared.jobs import Backoff, Job, Jobs, ManualClock, SystemClock, hasten, schedule
from qinqing_shared.uow import Units

START = dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC)
SECOND, MINUTE, DAY = dt.timedelta(seconds=1), dt.timedelta(minutes=1), dt.timedelta(days=1)


@pytest.fixture
async def units(service_db: Callable[[str], str]) -> AsyncIterator[Units]:
    db = Database(service_db("catalog_svc"))
    try:
        yield Units(db)
    finally:
        await db.dispose()


async def test_the_system_clock_tells_utc_and_each_runner_has_a_name_of_its_own(
    units: Units,
) -> None:
    assert SystemClock().now().utcoffset() == dt.timedelta(0)
    first, second = (Jobs(units, JobRow, {}) for _ in "ab")
    assert first.worker.startswith("worker-") and first.worker != second.worker


class Ran:
    """A handler that records each run; fails while ``failures`` last."""

    def __init__(self, clock: ManualClock, *, failures: int = 0, every: dt.timedelta | None = None):
        self.clock, self.failures, self.every = clock, failures, every
        self.runs: list[tuple[str, int, dt.datetime]] = []
        self.payloads: list[dict[str, object]] = []

    async def __call__(self, job: Job) -> dt.datetime | None:
        self.runs.append((job.key, job.attempts, self.clock.now()))
        self.payloads.append(job.payload)
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the department's system is away")
        return self.clock.now() + self.every if self.every else None


def runner(units: Units, clock: ManualClock, handler: Ran, name: str = "a") -> Jobs:
    backoff = Backoff(first=10 * SECOND, cap=MINUTE)
    return Jobs(
        units, JobRow, {"verify": handler}, clock=clock, lease=MINUTE, backoff=backoff, worker=name
    )


async def add(units: Units, key: str, due_at: dt.datetime, kind: str = "verify") -> bool:
    async with units.write() as uow:
        made = await schedule(uow.session, JobRow, kind=kind, key=key, due_at=due_at, now=START)
        await uow.commit()
    return made


async def row(units: Units, key: str) -> JobRow:
    async with units.read() as unit:
        found: JobRow = (await unit.session.scalars(select(JobRow).where(JobRow.key == key))).one()
        return found


async def test_a_job_runs_once_when_it_is_due_and_not_before(units: Units) -> None:
    clock = ManualClock(START)
    ran = Ran(clock)
    jobs = runner(units, clock, ran)
    assert await add(units, "commitment-1", START + DAY)
    assert not await add(units, "commitment-1", START)  # the same kind and key: one job
    assert await jobs.run_due() == 0
    clock.advance(DAY - SECOND)
    assert await jobs.run_due() == 0
    clock.advance(SECOND)
    assert await jobs.run_due() == 1
    assert await jobs.run_due() == 0
    assert ran.runs == [("commitment-1", 1, START + DAY)]
    done = await row(units, "commitment-1")
    assert (done.state, as_utc(done.finished_at or START), done.leased_by) == (
        "done",
        START + DAY,
        None,
    )


async def test_hastened_jobs_of_a_kind_are_due_now_and_no_other(units: Units) -> None:
    assert await add(units, "c-later", START + DAY)
    assert await add(units, "c-due", START - SECOND)  # already due: left as it is
    assert await add(units, "other-kind", START + DAY, kind="purge")
    clock = ManualClock(START)
    ran = Ran(clock)
    jobs = runner(units, clock, ran)
    assert await add(units, "c-done", START)
    assert await jobs.run_due() == 2  # c-due and c-done ran and are done
    async with units.write() as uow:
        hastened = await hasten(uow.session, JobRow, kind="verify", now=START + MINUTE)
        await uow.commit()
    assert hastened == 1
    assert as_utc((await row(units, "c-later")).due_at) == START + MINUTE
    assert as_utc((await row(units, "other-kind")).due_at) == START + DAY
    clock.advance(MINUTE)
    assert await jobs.run_due() == 1
    assert [key for key, _, _ in ran.runs] == ["c-due", "c-done", "c-later"]


async def test_a_job_hastened_while_it_runs_runs_again_at_once(units: Units) -> None:
    """What it waited for came while its handler ran (and may have read before it came):
    the handler's "next in a day" does not stand, the job is due again at once."""
    clock = ManualClock(START)

    async def reads_then_data_comes(job: Job) -> dt.datetime:
        async with units.write() as uow:  # a department's record lands meanwhile
            hastened = await hasten(uow.session, JobRow, kind="verify", now=START + SECOND)
            await uow.commit()
        assert hastened == 1
        return START + DAY

    jobs = Jobs(units, JobRow, {"verify": reads_then_data_comes}, clock=clock, lease=MINUTE)
    await add(units, "c-running", START)
    assert await jobs.run_due() == 1
    again = await row(units, "c-running")
    assert (again.state, as_utc(again.due_at), again.leased_by) == ("pending", START, None)


async def test_a_job_not_hastened_comes_back_when_its_handler_says(units: Units) -> None:
    clock = ManualClock(START)
    ran = Ran(clock, every=DAY)
    await add(units, "c-quiet", START)
    assert await runner(units, clock, ran).run_due() == 1
    assert as_utc((await row(units, "c-quiet")).due_at) == START + DAY


async def test_a_failing_job_is_retried_later_with_a_growing_delay(units: Units) -> None:
    clock = ManualClock(START)
    ran = Ran(clock, failures=2)
    jobs = runner(units, clock, ran)
    await add(units, "commitment-2", START)
    assert await jobs.run_due() == 1
    failed = await row(units, "commitment-2")
    assert (failed.state, failed.attempts, as_utc(failed.due_at)) == (
        "pending",
        1,
        START + 10 * SECOND,
    )
    assert failed.last_error == 'RuntimeError("the department\'s system is away")'
    clock.advance(9 * SECOND)
    assert await jobs.run_due() == 0
    clock.advance(SECOND)
    assert await jobs.run_due() == 1  # fails again: 20 s now
    assert as_utc((await row(units, "commitment-2")).due_at) == START + 30 * SECOND
    clock.advance(20 * SECOND)
    assert await jobs.run_due() == 1
    assert [(attempt, at - START) for _, attempt, at in ran.runs] == [
        (1, dt.timedelta(0)),
        (2, 10 * SECOND),
        (3, 30 * SECOND),
    ]
    settled = await row(units, "commitment-2")
    assert (settled.state, settled.last_error) == ("done", None)


def test_the_delay_doubles_up_to_its_cap() -> None:
    backoff = Backoff(first=5 * SECOND, cap=MINUTE)
    assert [backoff.after(n).seconds for n in range(1, 7)] == [5, 10, 20, 40, 60, 60]


async def test_a_recurring_job_comes_back_when_its_handler_says(units: Units) -> None:
    clock = ManualClock(START)
    ran = Ran(clock, every=dt.timedelta(hours=1))
    jobs = runner(units, clock, ran)
    await add(units, "hourly", START)
    assert await jobs.run_due() == 1
    again = await row(units, "hourly")
    assert (again.state, again.attempts, as_utc(again.due_at)) == (
        "pending",
        0,
        START + dt.timedelta(hours=1),
    )
    assert (again.lease_until, again.leased_by, again.last_error) == (None, None, None)
    clock.advance(dt.timedelta(hours=1))
    assert await jobs.run_due() == 1
    assert len(ran.runs) == 2


async def test_of_two_runners_at_once_each_job_runs_exactly_once(units: Units) -> None:
    clock = ManualClock(START)
    ran = Ran(clock)
    first, second = runner(units, clock, ran, "a"), runner(units, clock, ran, "b")
    for n in range(12):
        await add(units, f"c-{n:02}", START)
    counts = await asyncio.gather(first.run_due(), second.run_due())
    assert sum(counts) == 12
    assert sorted(key for key, _, _ in ran.runs) == [f"c-{n:02}" for n in range(12)]


async def test_a_dead_runners_job_is_taken_over_when_its_lease_runs_out(units: Units) -> None:
    clock = ManualClock(START)
    ran = Ran(clock)
    dead, alive = runner(units, clock, ran, "dead"), runner(units, clock, ran, "alive")
    await add(units, "commitment-3", START)
    taken = await dead._claim((await row(units, "commitment-3")).id)  # then it dies
    assert taken is not None and taken.attempts == 1
    assert await alive.run_due() == 0  # leased
    clock.advance(MINUTE)
    assert await alive.run_due() == 1
    assert ran.runs == [("commitment-3", 2, START + MINUTE)]
    await dead._settle(taken, error="late")  # the dead runner's outcome no longer counts
    after = await row(units, "commitment-3")
    assert (after.state, after.last_error, after.attempts) == ("done", None, 2)


async def test_the_handler_is_given_the_jobs_payload(units: Units) -> None:
    clock = ManualClock(START)
    ran = Ran(clock)
    async with units.write() as uow:
        payload = {"commitment": "C-1", "rule": "no_home"}
        await schedule(uow.session, JobRow, kind="verify", key="c", due_at=START, payload=payload)
        await uow.commit()
    await runner(units, clock, ran).run_due()
    assert ran.payloads == [{"commitment": "C-1", "rule": "no_home"}]


async def test_a_job_is_made_when_scheduled_whatever_its_due_time(units: Units) -> None:
    clock = ManualClock(START)
    jobs = runner(units, clock, Ran(clock))
    assert await jobs.ensure("verify", "in-a-month", START + 30 * DAY)
    made = await row(units, "in-a-month")
    assert (as_utc(made.created_at), as_utc(made.due_at), made.attempts) == (
        START,
        START + 30 * DAY,
        0,
    )
    async with units.write() as uow:  # without a time of making: made when it is due
        await schedule(uow.session, JobRow, kind="verify", key="k", due_at=START + DAY)
        await uow.commit()
    assert as_utc((await row(units, "k")).created_at) == START + DAY


async def test_one_round_takes_at_most_a_batch_and_the_loop_takes_the_rest(units: Units) -> None:
    clock = ManualClock(START)
    ran = Ran(clock)
    jobs = Jobs(units, JobRow, {"verify": ran}, clock=clock, batch=3)
    for n in reversed(range(7)):  # made in the reverse order of their due times
        await add(units, f"b-{n}", START - (7 - n) * SECOND)
    assert await jobs.run_due() == 3
    assert [key for key, _, _ in ran.runs] == ["b-0", "b-1", "b-2"]  # the longest due first
    looping = asyncio.create_task(jobs.forever(0.01))
    try:
        for _ in range(200):
            if len(ran.runs) == 7:
                break
            await asyncio.sleep(0.01)
    finally:  # the loop ends here, while its database is open: never at the loop's close
        looping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await looping
    assert len(ran.runs) == 7


async def test_a_job_that_asks_to_come_back_now_runs_again_without_waiting_for_a_poll(
    units: Units,
) -> None:
    clock = ManualClock(START)
    rounds: list[int] = []

    async def more_left(job: Job) -> dt.datetime | None:
        rounds.append(job.attempts)
        return clock.now() if len(rounds) < 3 else None  # twice more, then done

    jobs = Jobs(units, JobRow, {"verify": more_left}, clock=clock)
    await add(units, "run", START)
    looping = asyncio.create_task(jobs.forever(3600))  # the next poll: in an hour
    try:  # the third round's commit may land after its handler returns: wait for it
        for _ in range(500):
            if (await row(units, "run")).state == "done":
                break
            await asyncio.sleep(0.01)
    finally:
        looping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await looping
    assert (await row(units, "run")).state == "done"
    assert len(rounds) == 3


async def test_a_failure_is_logged_with_the_job_and_its_attempt(
    units: Units, caplog: pytest.LogCaptureFixture
) -> None:
    clock = ManualClock(START)
    jobs = runner(units, clock, Ran(clock, failures=1))
    await add(units, "logged", START)
    with caplog.at_level("WARNING", logger="qinqing.jobs"):
        await jobs.run_due()
    assert [r.getMessage() for r in caplog.records if r.name == "qinqing.jobs"] == [
        'job verify logged failed (attempt 1): RuntimeError("the department\'s system is away")'
    ]


async def test_a_runner_leaves_jobs_it_has_no_handler_for(units: Units) -> None:
    clock = ManualClock(START)
    jobs = runner(units, clock, Ran(clock))
    await add(units, "someone-elses", START, kind="proactive")
    assert await jobs.run_due() == 0
    assert (await row(units, "someone-elses")).attempts == 0


async def test_stuck_jobs_are_counted_for_the_metrics(units: Units) -> None:
    clock = ManualClock(START)
    jobs = runner(units, clock, Ran(clock, failures=1))
    assert await jobs.stuck(5 * MINUTE) == {"overdue": 0.0, "failing": 0.0}
    await add(units, "fails", START - 2 * DAY)  # runs first: fails, due again in 10 s
    await add(units, "never-run", START, kind="proactive")
    await add(units, "later", START + DAY)
    await add(units, "done-long-ago", START - DAY)
    await jobs.run_due()
    clock.advance(10 * MINUTE)
    assert await jobs.stuck(5 * MINUTE) == {"overdue": 2.0, "failing": 1.0}
    # 11 minutes late: neither of those; nor the job done long ago, which is not pending
    assert await jobs.stuck(11 * MINUTE) == {"overdue": 0.0, "failing": 1.0}


async def test_the_retention_round_is_a_recurring_job_once_for_all_instances(
    service_db: Callable[[str], str], tmp_path: Path
) -> None:
    settings = CatalogSettings(database_url=service_db("catalog_svc"), keys_dir=tmp_path)
    runtime = catalog_app(settings).state.runtime
    runtime.clock = clock = ManualClock(START)
    db: Database = runtime.db
    async with db.sessionmaker() as session, session.begin():
        session.add_all(
            [
                ProcessedEvent(event_id="old", consumer="c", processed_at=START - 31 * DAY),
                ProcessedEvent(event_id="new", consumer="c", processed_at=START - 29 * DAY),
            ]
        )
    try:
        jobs = runtime.jobs()
        assert await jobs.ensure(RETENTION, RETENTION)
        assert not await jobs.ensure(RETENTION, RETENTION)  # a second instance starting
        assert await jobs.run_due() == 1
        async with db.sessionmaker() as session:
            assert list(await session.scalars(select(ProcessedEvent.event_id))) == ["new"]
            job = (await session.scalars(select(JobRow))).one()
        every = dt.timedelta(seconds=settings.retention_every_seconds)
        assert (job.kind, job.state, as_utc(job.due_at)) == (RETENTION, "pending", START + every)
        clock.advance(2 * DAY)
        assert await jobs.run_due() == 1
        async with db.sessionmaker() as session:
            assert list(await session.scalars(select(ProcessedEvent.event_id))) == []
    finally:
        await db.dispose()


async def test_jobs_done_30_days_ago_are_purged_and_pending_ones_never(
    service_db: Callable[[str], str], tmp_path: Path
) -> None:
    settings = CatalogSettings(database_url=service_db("catalog_svc"), keys_dir=tmp_path)
    runtime = catalog_app(settings).state.runtime
    units: Units = runtime.units
    clock = ManualClock(START - 40 * DAY)
    jobs = runner(units, clock, Ran(clock))
    for key, due in [("old", START - 31 * DAY), ("recent", START - 29 * DAY)]:
        await add(units, key, due)
        clock.advance(due - clock.now())
        await jobs.run_due()
    await add(units, "waiting-long", START - 40 * DAY, kind="proactive")  # no runner
    try:
        removed = await runtime.retention().run_once(START)
        assert removed["jobs finished"] == 1
        async with units.read() as unit:
            left = sorted(await unit.session.scalars(select(JobRow.key)))
        assert left == ["recent", "waiting-long"]
    finally:
        await runtime.db.dispose()


async def test_the_commitment_desk_hastens_on_its_own_clock(
    service_db: Callable[[str], str],
) -> None:
    """A department's data came: the waiting verifications are due at the desk's (the job
    runner's) now, which tests move, not at the machine's."""
    db = Database(service_db("qinqing_gateway"))
    units = Units(db)
    try:
        async with units.write() as uow:
            await schedule(
                uow.session, GatewayJob, kind=VERIFY, key="C-1", due_at=START + DAY, now=START
            )
            await uow.commit()
        desk = CommitmentDesk(
            None,  # type: ignore[arg-type]
            None,  # type: ignore[arg-type]
            units,
            clock=ManualClock(START + MINUTE),
            today=lambda: START.date(),
            recheck=DAY,
        )
        told = CloudEvent(type=FACTS_RECEIVED, source="/qinqing/identity-svc", data={})
        async with units.write() as uow:
            await desk.data_came(uow, told)
            await uow.commit()
        async with units.read() as unit:
            job = (await unit.session.scalars(select(GatewayJob))).one()
        assert as_utc(job.due_at) == START + MINUTE
    finally:
        await db.dispose()
