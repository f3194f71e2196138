"""A proactive run in subsidy-svc, on real databases: batches recorded once and in
order, notices given to the eligible only, the notice period kept, a declined notice
never taken and a taken one never declined, a payment cut off resumed."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import delete, func, select

from qinqing_devtools.demo import golden, rental_policy
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.events import NOTICE_DECLINED, NOTICE_ISSUED
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.subsidy import RunBatch, RunRecheck, RunState
from qinqing_shared.db import Database
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem
from qinqing_shared.uow import Units
from subsidy_svc import proactive
from subsidy_svc.models import ApplicationRow, NoticeRow
from subsidy_svc.models import OutboxEvent as SubsidyOutbox
from subsidy_svc.proactive_repository import ProactiveRepository

ON = dt.date(2026, 9, 1)
NOW = dt.datetime(2026, 9, 1, 2, 0, tzinfo=dt.UTC)
PAID = "91330106MA2H00014Q"  # a bachelor and a master: eligible
DOCTOR = "91330105MA2H00057P"  # eligible
RULES_FAIL = "91330108MA2H00022G"  # its employees fail the rules


def policy(notice_days: int = 7, proactive_: bool = True) -> Policy:
    raw = rental_policy() | {"proactive": proactive_, "notice_days": notice_days}
    return Policy.model_validate(raw)


def profiles(*usccs: str) -> list[EnterpriseProfile]:
    found = {e["uscc"]: e for e in golden()["enterprises"]}
    return [EnterpriseProfile.model_validate(found[u]) for u in usccs]


@pytest.fixture
async def units(service_db: Callable[[str], str]) -> AsyncIterator[Units]:
    db = Database(service_db("subsidy_svc"))
    try:
        yield Units(db, Outbox(SubsidyOutbox, "/qinqing/subsidy-svc"))
    finally:
        await db.dispose()


async def started(units: Units, on_policy: Policy) -> None:
    async with units.write() as uow:
        await proactive.start(ProactiveRepository(uow.session), on_policy, NOW)
        await uow.commit()


async def batch(
    units: Units, on_policy: Policy, after: str | None, usccs: list[str], last: bool
) -> proactive.ProactiveRun:
    body = RunBatch(policy=on_policy, on=ON, after=after, enterprises=profiles(*usccs), last=last)
    async with units.write() as uow:
        run = await proactive.record_batch(ProactiveRepository(uow.session), uow.outbox, body, NOW)
        await uow.commit()
    return run


async def events(units: Units, subject: str) -> int:
    async with units.read() as unit:
        query = select(func.count()).where(SubsidyOutbox.subject == subject)
        return int(await unit.session.scalar(query) or 0)


async def test_a_run_gives_the_eligible_a_notice_once_batch_by_batch(units: Units) -> None:
    on_policy = policy()
    await started(units, on_policy)
    await started(units, on_policy)  # started twice: one run
    first = await batch(units, on_policy, None, [DOCTOR, PAID], last=False)
    replayed = await batch(units, on_policy, None, [DOCTOR, PAID], last=False)  # a retry
    with pytest.raises(Problem) as skipped:  # would skip enterprises after the cursor
        await batch(units, on_policy, "91330109MA2H00065C", [], last=True)
    done = await batch(units, on_policy, PAID, [RULES_FAIL], last=True)

    assert (first.state, first.cursor, first.evaluated, first.eligible) == (
        RunState.EVALUATING,
        PAID,
        2,
        2,
    )
    assert replayed == first
    assert (skipped.value.status, skipped.value.slug) == (409, "proactive-run-out-of-order")
    assert (done.state, done.evaluated, done.eligible) == (RunState.PAYING, 3, 2)
    assert done.notices == {"noticed": 2}
    assert await events(units, NOTICE_ISSUED) == 2
    async with units.read() as unit:
        mine = await proactive.notices_of(ProactiveRepository(unit.session), PAID)
    assert [(n.amount_fen, n.status, n.pay_after) for n in mine] == [
        (3_000_000, "noticed", NOW + dt.timedelta(days=7))
    ]


async def test_a_batch_out_of_order_or_a_policy_paid_on_application_is_refused(
    units: Units,
) -> None:
    with pytest.raises(Problem) as not_proactive:
        await started(units, policy(proactive_=False))
    await started(units, policy())
    with pytest.raises(Problem) as unordered:
        await batch(units, policy(), None, [PAID, DOCTOR], last=False)
    assert not_proactive.value.slug == "policy-not-proactive"
    assert (unordered.value.status, unordered.value.slug) == (422, "batch-not-in-order")


async def paying(units: Units, notice_days: int) -> Policy:
    on_policy = policy(notice_days)
    await started(units, on_policy)
    await batch(units, on_policy, None, [DOCTOR, PAID], last=True)
    return on_policy


async def take(units: Units, notice_id: str, at: dt.datetime) -> proactive.Notice:
    async with units.write() as uow:
        notice = await proactive.take(ProactiveRepository(uow.session), notice_id, at)
        await uow.commit()
    return notice


async def decline(units: Units, notice_id: str) -> proactive.Notice:
    async with units.write() as uow:
        notice = await proactive.decline(
            ProactiveRepository(uow.session), uow.outbox, notice_id, NOW
        )
        await uow.commit()
    return notice


async def due(units: Units, on_policy: Policy, at: dt.datetime) -> list[str]:
    async with units.read() as unit:
        repo = ProactiveRepository(unit.session)
        found = await proactive.due(repo, on_policy.id, on_policy.version, at, 100)
    return [n.uscc for n in found]


async def test_the_notice_period_is_kept_and_a_declined_notice_is_never_paid(
    units: Units,
) -> None:
    on_policy = await paying(units, notice_days=3)
    async with units.read() as unit:
        doctor = (await proactive.notices_of(ProactiveRepository(unit.session), DOCTOR))[0]
        paid = (await proactive.notices_of(ProactiveRepository(unit.session), PAID))[0]
    end = NOW + dt.timedelta(days=3)

    assert await due(units, on_policy, end - dt.timedelta(seconds=1)) == []
    with pytest.raises(Problem) as early:
        await take(units, paid.id, end - dt.timedelta(seconds=1))
    assert (early.value.status, early.value.slug) == (409, "notice-not-due")
    declined = await decline(units, doctor.id)
    again = await decline(units, doctor.id)
    assert (declined.status, again.status, declined.declined_at) == ("declined", "declined", NOW)
    assert await events(units, NOTICE_DECLINED) == 1
    assert await due(units, on_policy, end) == [PAID]
    with pytest.raises(Problem) as refused:
        await take(units, doctor.id, end)
    assert (refused.value.status, refused.value.slug) == (409, "notice-declined")

    taken = await take(units, paid.id, end)
    twice = await take(units, paid.id, end + dt.timedelta(hours=1))
    assert (taken.status, taken.taken_at, twice.taken_at) == ("taken", end, end)
    with pytest.raises(Problem) as late:
        await decline(units, paid.id)
    assert (late.value.status, late.value.slug) == (409, "notice-taken")


async def test_a_taken_notice_without_its_application_is_due_again_until_decided(
    units: Units,
) -> None:
    on_policy = await paying(units, notice_days=0)
    async with units.read() as unit:
        paid = (await proactive.notices_of(ProactiveRepository(unit.session), PAID))[0]
    await take(units, paid.id, NOW)  # then the gateway stopped before its flow began
    assert await due(units, on_policy, NOW) == [DOCTOR, PAID]
    async with units.write() as uow:
        uow.session.add(
            ApplicationRow(
                id=paid.id,
                policy_id=on_policy.id,
                policy_version=1,
                uscc=PAID,
                status="paid",
                amount_fen=3_000_000,
                currency="CNY",
                applied_on=ON,
                decision={"reasons": []},
                beneficiaries=[],
                created_at=NOW,
                updated_at=NOW,
            )
        )
        await uow.commit()
    assert await due(units, on_policy, NOW) == [DOCTOR]
    async with units.read() as unit:
        run = await proactive.run(ProactiveRepository(unit.session), on_policy.id, 1)
        shown = await proactive.notice(ProactiveRepository(unit.session), paid.id)
    assert (run.state, run.notices, run.applications) == (
        RunState.PAYING,
        {"noticed": 1, "taken": 1},
        {"paid": 1},
    )
    assert shown.application_status == "paid"
    await decline(units, (await notices(units, DOCTOR))[0])
    async with units.read() as unit:
        finished = await proactive.run(ProactiveRepository(unit.session), on_policy.id, 1)
    assert finished.state == RunState.DONE


async def notices(units: Units, uscc: str) -> list[str]:
    async with units.read() as unit:
        return [n.id for n in await proactive.notices_of(ProactiveRepository(unit.session), uscc)]


async def recheck(units: Units, on_policy: Policy, usccs: list[str]) -> proactive.ProactiveRun:
    body = RunRecheck(policy=on_policy, on=ON, enterprises=profiles(*usccs))
    async with units.write() as uow:
        run = await proactive.recheck(ProactiveRepository(uow.session), uow.outbox, body, NOW)
        await uow.commit()
    return run


async def test_new_facts_give_a_notice_to_an_enterprise_the_run_passed_once(units: Units) -> None:
    on_policy = policy()
    await started(units, on_policy)
    await batch(units, on_policy, None, [DOCTOR], last=False)
    # PAID is past the cursor: the run reaches it itself; DOCTOR has its notice
    early = await recheck(units, on_policy, [DOCTOR, PAID])
    await batch(units, on_policy, DOCTOR, [PAID, RULES_FAIL], last=True)
    async with units.write() as uow:  # the run passed PAID without a notice
        await uow.session.execute(delete(NoticeRow).where(NoticeRow.uscc == PAID))
        await uow.commit()
    late = await recheck(units, on_policy, [DOCTOR, PAID, RULES_FAIL])
    again = await recheck(units, on_policy, [PAID])

    assert (early.eligible, early.notices) == (1, {"noticed": 1})
    assert late.notices == {"noticed": 2}  # PAID noticed again; RULES_FAIL still not
    assert again.notices == {"noticed": 2}, "evaluating again gives no second notice"
    assert await events(units, NOTICE_ISSUED) == 3  # DOCTOR, PAID (deleted since), PAID again
