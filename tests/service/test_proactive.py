"""A proactive run in subsidy-svc, on real databases: batches recorded once and in
order, notices given to the eligible only, the notice period kept, a declined notice
never taken and a taken one never declined, a payment cut off resumed."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from qinqing_devtools.demo import golden, rental_policy
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.events import (
    NOTICE_DECLINED,
    NOTICE_FAILED,
    NOTICE_ISSUED,
    PROACTIVE_RUN_PROGRESSED,
)
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.subsidy import BatchApplication, RunBatch, RunRecheck, RunState
from qinqing_shared.db import Database
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem
from qinqing_shared.uow import Units
from subsidy_svc import batches, proactive
from subsidy_svc.models import ApplicationRow, Claim, NoticeRow
from subsidy_svc.models import OutboxEvent as SubsidyOutbox
from subsidy_svc.proactive_repository import ProactiveRepository
from subsidy_svc.repository import SubsidyRepository
from tests.service.auth_support import SIGNERS

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


async def started(units: Units, on_policy: Policy) -> proactive.ProactiveRun:
    async with units.write() as uow:
        run = await proactive.start(ProactiveRepository(uow.session), on_policy, NOW)
        await uow.commit()
    return run


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


async def told(units: Units, subject: str) -> list[tuple[str | None, dict[str, object]]]:
    """Each event of ``subject`` in the outbox: its key (the CloudEvent's subject), data."""
    async with units.read() as unit:
        query = select(SubsidyOutbox).where(SubsidyOutbox.subject == subject)
        rows = (await unit.session.scalars(query.order_by(SubsidyOutbox.seq))).all()
    return [(row.ce_subject, row.data) for row in rows]


async def test_a_run_gives_the_eligible_a_notice_once_batch_by_batch(units: Units) -> None:
    on_policy = policy()
    fresh = await started(units, on_policy)
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
    assert (fresh.state, fresh.cursor, fresh.evaluated, fresh.eligible, fresh.notices) == (
        RunState.EVALUATING,
        None,
        0,
        0,
        {},
    )
    assert (skipped.value.status, skipped.value.slug) == (409, "proactive-run-out-of-order")
    assert skipped.value.detail == (
        f"The run has evaluated up to {PAID}; this batch starts after 91330109MA2H00065C."
    )
    assert (done.state, done.evaluated, done.eligible) == (RunState.PAYING, 3, 2)
    assert (done.notices, done.evaluated_at, first.evaluated_at) == ({}, NOW, None)  # uncounted
    async with units.read() as unit:
        read = await proactive.run(ProactiveRepository(unit.session), on_policy.id, 1)
    assert (read.state, read.notices, read.applications) == (RunState.PAYING, {"noticed": 2}, {})
    async with units.read() as unit:
        mine = await proactive.notices_of(ProactiveRepository(unit.session), PAID)
    assert [(n.amount_fen, n.status, n.pay_after) for n in mine] == [
        (3_000_000, "noticed", NOW + dt.timedelta(days=7))
    ]
    issued = await told(units, NOTICE_ISSUED)
    assert issued[1] == (
        mine[0].id,
        {
            "notice_id": mine[0].id,
            "policy_id": on_policy.id,
            "policy_version": 1,
            "uscc": PAID,
            "amount_fen": 3_000_000,
            "currency": "CNY",
            "pay_after": "2026-09-08T02:00:00Z",  # pydantic's JSON form
        },
    )
    assert len(issued) == 2
    progressed = await told(units, PROACTIVE_RUN_PROGRESSED)
    assert progressed == [
        (
            f"{on_policy.id}@1",
            {"policy_id": on_policy.id, "policy_version": 1}
            | {"state": state, "evaluated": n, "eligible": 2},
        )
        for state, n in (("evaluating", 2), ("paying", 3))
    ]


async def test_a_batch_out_of_order_or_a_policy_paid_on_application_is_refused(
    units: Units,
) -> None:
    with pytest.raises(Problem) as not_proactive:
        await started(units, policy(proactive_=False))
    with pytest.raises(Problem) as no_run:
        await batch(units, policy(), None, [DOCTOR], last=False)
    await started(units, policy())
    with pytest.raises(Problem) as unordered:
        await batch(units, policy(), None, [PAID, DOCTOR], last=False)
    await batch(units, policy(), None, [PAID], last=False)
    with pytest.raises(Problem) as behind:  # not after the batch it says it follows
        await batch(units, policy(), PAID, [PAID], last=False)
    with pytest.raises(Problem) as unknown:
        async with units.read() as unit:
            await proactive.run(ProactiveRepository(unit.session), "no-such-policy", 1)

    rental = policy().id
    assert (not_proactive.value.slug, not_proactive.value.detail) == (
        "policy-not-proactive",
        f"Policy {rental} version 1 is paid on application.",
    )
    assert (no_run.value.status, no_run.value.detail) == (
        404,
        f"Policy {rental} version 1 has no run.",
    )
    assert (unordered.value.status, unordered.value.slug) == (422, "batch-not-in-order")
    assert unordered.value.detail == "A batch lists enterprises in USCC order, each after None."
    assert behind.value.detail == f"A batch lists enterprises in USCC order, each after {PAID}."
    assert unknown.value.detail == "Policy no-such-policy version 1 has no run."


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


async def due(units: Units, on_policy: Policy, at: dt.datetime, limit: int = 100) -> list[str]:
    async with units.read() as unit:
        repo = ProactiveRepository(unit.session)
        found = await proactive.due(repo, on_policy.id, on_policy.version, at, limit)
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
    assert early.value.detail == f"Notice {paid.id} is paid after {end.isoformat()}."
    declined = await decline(units, doctor.id)
    again = await decline(units, doctor.id)
    assert (declined.status, again.status, declined.declined_at) == ("declined", "declined", NOW)
    assert await told(units, NOTICE_DECLINED) == [
        (
            doctor.id,
            {
                "notice_id": doctor.id,
                "policy_id": on_policy.id,
                "policy_version": 1,
                "uscc": DOCTOR,
                "amount_fen": doctor.amount_fen,
                "currency": "CNY",
                "pay_after": "2026-09-04T02:00:00Z",
            },
        )
    ]
    assert await due(units, on_policy, end) == [PAID]
    with pytest.raises(Problem) as refused:
        await take(units, doctor.id, end)
    assert (refused.value.status, refused.value.slug) == (409, "notice-declined")
    assert refused.value.detail == f"Notice {doctor.id} was declined by the enterprise."

    taken = await take(units, paid.id, end)
    twice = await take(units, paid.id, end + dt.timedelta(hours=1))
    assert (taken.status, taken.taken_at, twice.taken_at) == ("taken", end, end)
    with pytest.raises(Problem) as late:
        await decline(units, paid.id)
    assert (late.value.status, late.value.slug) == (409, "notice-taken")
    assert late.value.detail == (
        f"The payment of notice {paid.id} has started: it cannot be declined."
    )
    with pytest.raises(Problem) as unknown:
        await decline(units, "no-such-notice")
    assert (unknown.value.status, unknown.value.detail) == (
        404,
        "There is no notice no-such-notice.",
    )


async def test_a_taken_notice_without_its_application_is_due_again_until_decided(
    units: Units,
) -> None:
    on_policy = await paying(units, notice_days=0)
    async with units.read() as unit:
        paid = (await proactive.notices_of(ProactiveRepository(unit.session), PAID))[0]
    await take(units, paid.id, NOW)  # then the gateway stopped before its flow began
    assert await due(units, on_policy, NOW) == [DOCTOR, PAID]
    assert await due(units, on_policy, NOW, limit=1) == [DOCTOR]
    async with units.read() as unit:
        cut_off = await proactive.run(ProactiveRepository(unit.session), on_policy.id, 1)
    assert cut_off.state == RunState.PAYING  # one noticed, one taken and not yet decided
    async with units.write() as uow:
        uow.session.add(application_row(paid.id, on_policy.id, PAID))
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
    async with units.read() as unit:
        listed = await proactive.notices_of(ProactiveRepository(unit.session), PAID)
    assert [(n.id, n.application_status) for n in listed] == [(paid.id, "paid")]
    await decline(units, (await notices(units, DOCTOR))[0])
    async with units.read() as unit:
        finished = await proactive.run(ProactiveRepository(unit.session), on_policy.id, 1)
    assert finished.state == RunState.DONE


async def fail(units: Units, notice_id: str, reason: str) -> proactive.Notice:
    async with units.write() as uow:
        repo = ProactiveRepository(uow.session)
        notice = await proactive.fail(repo, uow.outbox, notice_id, reason, NOW)
        await uow.commit()
    return notice


async def test_a_notice_whose_payment_cannot_start_is_failed_once_and_never_due_again(
    units: Units,
) -> None:
    on_policy = await paying(units, notice_days=0)
    doctor, paid = (await notices(units, DOCTOR))[0], (await notices(units, PAID))[0]
    with pytest.raises(Problem) as untaken:  # the gateway takes a notice before paying it
        await fail(units, doctor, "not registered")
    assert (untaken.value.status, untaken.value.slug, untaken.value.detail) == (
        409,
        "notice-not-taken",
        f"Notice {doctor} was not taken for payment.",
    )
    await take(units, doctor, NOW)
    failed = await fail(units, doctor, "Enterprise not found: no enterprise 9133…")
    again = await fail(units, doctor, "another reason")
    assert (failed.status, failed.failed_at, failed.failure) == (
        "failed",
        NOW,
        "Enterprise not found: no enterprise 9133…",
    )
    assert again == failed, "failing twice is once: the first reason stands"
    assert await due(units, on_policy, NOW) == [PAID]
    assert await told(units, NOTICE_FAILED) == [
        (
            doctor,
            {
                "notice_id": doctor,
                "policy_id": on_policy.id,
                "policy_version": 1,
                "uscc": DOCTOR,
                "amount_fen": failed.amount_fen,
                "currency": "CNY",
                "pay_after": "2026-09-01T02:00:00Z",
                "reason": "Enterprise not found: no enterprise 9133…",
            },
        )
    ]
    declined = await decline(units, doctor)  # nothing is paid either way: it stays failed
    assert (declined.status, declined.declined_at) == ("failed", None)

    await take(units, paid, NOW)  # its application was decided, then its flow failed
    async with units.write() as uow:
        uow.session.add(application_row(paid, on_policy.id, PAID))
        await uow.commit()
    left = await fail(units, paid, "the bank is gone")
    assert (left.status, left.failure, left.application_status) == ("taken", None, "paid")
    assert await events(units, NOTICE_FAILED) == 1
    async with units.read() as unit:
        run = await proactive.run(ProactiveRepository(unit.session), on_policy.id, 1)
    assert (run.state, run.notices) == (RunState.DONE, {"failed": 1, "taken": 1})


async def test_a_declined_notice_cannot_be_failed(units: Units) -> None:
    await paying(units, notice_days=3)
    paid = (await notices(units, PAID))[0]
    await decline(units, paid)
    with pytest.raises(Problem) as declined:
        await fail(units, paid, "not registered")
    assert (declined.value.status, declined.value.slug, declined.value.detail) == (
        409,
        "notice-declined",
        f"Notice {paid} was declined by the enterprise.",
    )
    assert await events(units, NOTICE_FAILED) == 0


async def notices(units: Units, uscc: str) -> list[str]:
    async with units.read() as unit:
        return [n.id for n in await proactive.notices_of(ProactiveRepository(unit.session), uscc)]


async def recheck(units: Units, on_policy: Policy, usccs: list[str]) -> proactive.ProactiveRun:
    body = RunRecheck(policy=on_policy, on=ON, enterprises=profiles(*usccs))
    async with units.write() as uow:
        await proactive.recheck(ProactiveRepository(uow.session), uow.outbox, body, NOW)
        await uow.commit()
    async with units.read() as unit:  # the run read, its notices counted
        return await proactive.run(ProactiveRepository(unit.session), on_policy.id, 1)


async def test_new_facts_give_a_notice_to_an_enterprise_the_run_passed_once(units: Units) -> None:
    on_policy = policy()
    with pytest.raises(Problem) as no_run:
        await recheck(units, on_policy, [DOCTOR])
    await started(units, on_policy)
    await batch(units, on_policy, None, [DOCTOR], last=False)
    await forget_notice(units, DOCTOR)  # the run passed DOCTOR (the cursor) without one
    # PAID is past the cursor: the run reaches it itself
    early = await recheck(units, on_policy, [DOCTOR, PAID])
    await batch(units, on_policy, DOCTOR, [PAID, RULES_FAIL], last=True)
    await forget_notice(units, PAID)  # evaluated all: any enterprise may be looked at again
    late = await recheck(units, on_policy, [DOCTOR, PAID, RULES_FAIL])
    again = await recheck(units, on_policy, [PAID])

    assert no_run.value.detail == f"Policy {on_policy.id} version 1 has no run."
    assert (early.eligible, early.notices) == (2, {"noticed": 1})
    assert (late.eligible, late.notices) == (4, {"noticed": 2})  # RULES_FAIL still not
    assert again.notices == {"noticed": 2}, "evaluating again gives no second notice"
    assert await events(units, NOTICE_ISSUED) == 4


async def forget_notice(units: Units, uscc: str) -> None:
    async with units.write() as uow:
        await uow.session.execute(delete(NoticeRow).where(NoticeRow.uscc == uscc))
        await uow.commit()


async def test_claims_held_and_an_earlier_versions_notice_keep_an_enterprise_out(
    units: Units,
) -> None:
    first = policy()
    await started(units, first)
    await batch(units, first, None, [DOCTOR], last=True)  # DOCTOR told under version 1
    second = Policy.model_validate(first.model_dump() | {"version": 2})
    master = next(
        e for e in profiles(PAID)[0].employees if e.education and e.education.degree == "master"
    )
    await paid_already(units, master.id_number, first.id)  # this year, by an application
    await started(units, second)
    run = await batch(units, second, None, [DOCTOR, PAID], last=True)
    async with units.read() as unit:
        paid = await proactive.notices_of(ProactiveRepository(unit.session), PAID)

    assert (run.evaluated, run.eligible) == (2, 1)  # DOCTOR waits on its first notice
    assert [(n.policy_version, n.amount_fen) for n in paid] == [(2, 1_000_000)]  # the bachelor


async def paid_already(units: Units, id_number: str, policy_id: str) -> None:
    async with units.write() as uow:
        uow.session.add(application_row("earlier", policy_id, "91330102MA2H00049H"))
        await uow.session.flush()
        uow.session.add(
            Claim(
                application_id="earlier",
                policy_id=policy_id,
                id_number=id_number,
                year=2026,
                amount_fen=2_000_000,
            )
        )
        await uow.commit()


def application_row(application_id: str, policy_id: str, uscc: str) -> ApplicationRow:
    return ApplicationRow(
        id=application_id,
        policy_id=policy_id,
        policy_version=1,
        uscc=uscc,
        status="paid",
        amount_fen=3_000_000,
        currency="CNY",
        applied_on=ON,
        decision={"reasons": []},
        beneficiaries=[],
        created_at=NOW,
        updated_at=NOW,
    )


async def take_due(units: Units, on_policy: Policy, at: dt.datetime, limit: int) -> list[str]:
    async with units.write() as uow:
        repo = ProactiveRepository(uow.session)
        taken = await proactive.take_due(repo, on_policy.id, on_policy.version, at, limit)
        await uow.commit()
    return [n.uscc for n in taken if n.status == "taken" and n.taken_at == at]


async def test_due_notices_are_taken_at_once_and_a_batch_cut_off_comes_again(
    units: Units,
) -> None:
    on_policy = await paying(units, notice_days=0)
    assert await take_due(units, on_policy, NOW, limit=1) == [DOCTOR]
    with pytest.raises(Problem) as late:
        await decline(units, (await notices(units, DOCTOR))[0])
    assert late.value.slug == "notice-taken"
    await decline(units, (await notices(units, PAID))[0])
    # the first batch was cut off before its application was decided: it comes again,
    # still taken when it was first; the declined one never
    async with units.write() as uow:
        repo = ProactiveRepository(uow.session)
        again = await proactive.take_due(repo, on_policy.id, 1, NOW + dt.timedelta(hours=1), 10)
        await uow.commit()
    assert [(n.uscc, n.status, n.taken_at) for n in again] == [(DOCTOR, "taken", NOW)]


def check(application_id: str, uscc: str, allowed: bool = True) -> CreditCheck:
    reasons = [] if allowed else ["On the black list: forged documents."]
    return CreditCheck(
        id=f"check-{application_id}",
        application_id=application_id,
        uscc=uscc,
        allowed=allowed,
        fast_track=False,
        reasons=reasons,
        reasons_zh=reasons,
        records=[],
    )


def item(application_id: str, uscc: str, allowed: bool = True) -> BatchApplication:
    [enterprise] = profiles(uscc)
    return BatchApplication(
        application_id=application_id,
        enterprise=enterprise,
        credit=check(application_id, uscc, allowed),
    )


async def decide_many(units: Units, *items: BatchApplication) -> dict[str, Any]:
    async with units.write() as uow:
        decided = await batches.decide_many(
            SubsidyRepository(uow.session),
            uow.outbox,
            policy=policy(),
            applied_on=ON,
            items=items,
            signer=SIGNERS["subsidy-svc"],
        )
        await uow.commit()
    return decided


async def test_applications_decided_at_once_are_each_decided_as_alone_and_once(
    units: Units,
) -> None:
    first = await decide_many(
        units,
        item("a-paid", PAID),
        item("a-rules", RULES_FAIL),
        item("a-listed", DOCTOR, allowed=False),
        item("a-twice", PAID),  # the same employees again this year: their claims are taken
    )
    assert {i: (a.status, a.amount_fen) for i, a in first.items()} == {
        "a-paid": ("approved", 3_000_000),
        "a-rules": ("rejected", 0),
        "a-listed": ("rejected", 0),
        "a-twice": ("rejected", 0),
    }
    assert first["a-paid"].payout_order is not None
    assert [first[i].payout_order for i in ("a-rules", "a-listed", "a-twice")] == [None] * 3
    assert first["a-listed"].decision.reasons[-1] == "On the black list: forged documents."
    again = await decide_many(units, item("a-paid", PAID), item("a-new", DOCTOR))
    assert again["a-paid"].decision == first["a-paid"].decision  # decided once
    assert (again["a-new"].status, again["a-new"].amount_fen) == ("approved", 3_000_000)
    async with units.read() as unit:
        claimed = await unit.session.scalar(
            select(func.count()).select_from(Claim).where(Claim.application_id == "a-paid")
        )
    assert claimed == 2  # a bachelor and a master, claimed once


async def test_a_credit_check_of_another_application_is_refused_before_anything_is_written(
    units: Units,
) -> None:
    wrong = item("a-1", PAID).model_copy(update={"credit": check("a-2", PAID)})
    other = item("a-3", PAID).model_copy(update={"credit": check("a-3", DOCTOR)})
    found = await decide_many(units, wrong, other, item("a-4", DOCTOR))
    assert [(p.slug, p.detail) for p in (found["a-1"], found["a-3"]) if isinstance(p, Problem)] == [
        ("credit-check-mismatch", f"The credit check is for a-2 of {PAID}."),
        ("credit-check-mismatch", f"The credit check is for a-3 of {DOCTOR}."),
    ]
    assert found["a-4"].status == "approved"
    async with units.read() as unit:
        written = (await unit.session.scalars(select(ApplicationRow.id))).all()
    assert written == ["a-4"]
