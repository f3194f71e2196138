"""Direct interaction at catalog-svc, on a real database with a clock the test moves:
routing, the steps a department and an enterprise take, limits in working days across
National Day, escalation when a limit runs out, a transfer that buys no time, a low
rating that reopens, and the figures."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from sqlalchemy import select

from catalog_svc import service
from catalog_svc.cli import seed
from catalog_svc.errors import (
    OutcomeMismatch,
    RequestNotFound,
    RequestStateConflict,
    UnknownDepartment,
    UnknownLink,
    UnknownTopic,
)
from catalog_svc.interaction.desk import ACKNOWLEDGE, ANSWER, Desk
from catalog_svc.interaction.figures import figures_of
from catalog_svc.interaction.repository import RequestRepository
from catalog_svc.models import DeadLetter, InteractionRequest, OutboxEvent, Service
from catalog_svc.models import Job as JobRow
from catalog_svc.repository import CatalogRepository
from qinqing_devtools.demo import rental_policy
from qinqing_shared.auth.scopes import REQUESTS_ANSWER, REQUESTS_WRITE
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.interaction import Links, RequestFiling, RequestStatus
from qinqing_shared.db import Database, as_utc
from qinqing_shared.deadletters import DeadLetters
from qinqing_shared.jobs import Jobs, ManualClock
from qinqing_shared.outbox import Outbox
from qinqing_shared.uow import Units
from tests.service.test_policy_versions import dataset

USCC = "91330106MA2H00014Q"
BEIJING = dt.timezone(dt.timedelta(hours=8))
# Tuesday 29 September 2026, 10:00 in Hangzhou: National Day (1-7 October) and its
# make-up Saturday (10 October) fall inside the limits
SUBMITTED = dt.datetime(2026, 9, 29, 10, tzinfo=BEIJING)
ENTERPRISE = Caller("demo-enterprise", "enterprise", frozenset({REQUESTS_WRITE}), uscc=USCC)
HRSS = Caller("hrss-department", "department", frozenset({REQUESTS_ANSWER}), department="HZ-HRSS")
EDU = Caller("edu-department", "department", frozenset({REQUESTS_ANSWER}), department="HZ-EDU")


def exactly(message: str) -> str:
    return f"^{re.escape(message)}$"


def midnight_after(day: dt.date) -> dt.datetime:
    """The end of ``day`` in Beijing, in UTC."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), BEIJING).astimezone(dt.UTC)


@pytest.fixture
async def units(service_db: Callable[[str], str]) -> AsyncIterator[Units]:
    db = Database(service_db("catalog_svc"))
    units = Units(db, Outbox(OutboxEvent, "/qinqing/catalog-svc", DeadLetters(DeadLetter)))
    try:
        async with units.write() as uow:
            await seed(uow.session, dataset())
            await uow.commit()
        yield units
    finally:
        await db.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(SUBMITTED.astimezone(dt.UTC))


@pytest.fixture
def desk(units: Units, clock: ManualClock) -> Desk:
    return Desk(clock, units)


def filing(**links: Any) -> RequestFiling:
    return RequestFiling(
        id=str(uuid.uuid4()),
        uscc=USCC,
        topic=links.pop("topic", "policy-question"),
        title="Does the rental subsidy cover interns?",
        text="Our intern Zhang San (330106200001011234) rents in Xihu district.",
        links=Links(**links),
        client_id="demo-enterprise",
        actor="demo-enterprise",
    )


async def submitted(units: Units, desk: Desk, **links: Any) -> InteractionRequest:
    async with units.write() as uow:
        row = await desk.submit(uow, filing(**links))
        await uow.commit()
    return row


async def step(units: Units, method: Callable[..., Any], *args: Any) -> InteractionRequest:
    async with units.write() as uow:
        row: InteractionRequest = await method(uow, *args)
        await uow.commit()
    return row


async def events(units: Units, request_id: str) -> list[str]:
    async with units.read() as unit:
        rows = await unit.session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.ce_subject == request_id)
            .order_by(OutboxEvent.seq)
        )
        return [r.subject for r in rows if ".interaction." in r.subject]


async def current(units: Units, request_id: str) -> InteractionRequest:
    async with units.read() as unit:
        row = await RequestRepository(unit.session).get(request_id)
        assert row is not None
        return row


async def test_a_request_goes_to_the_department_of_what_it_links_to(
    units: Units, desk: Desk
) -> None:
    policy = await submitted(units, desk, policy_id=rental_policy()["id"])
    service = await submitted(units, desk, service_code=rental_policy()["service_code"])
    neither = await submitted(units, desk)
    help_ = await submitted(units, desk, topic="help-request")
    assert (policy.department_code, service.department_code) == ("HZ-HRSS", "HZ-HRSS")
    assert (neither.department_code, help_.department_code) == ("HZ-GSA", "HZ-EIT")
    assert await events(units, policy.id) == ["qinqing.interaction.request.submitted.v1"]


async def test_limits_count_working_days_across_national_day(units: Units, desk: Desk) -> None:
    row = await submitted(units, desk)
    # taken in hand by the end of Wednesday 30 September; answered by the end of the
    # 5th working day: 30 Sep, 8 Oct, 9 Oct, Saturday 10 Oct (made up), 12 Oct
    assert as_utc(row.acknowledge_by or SUBMITTED) == midnight_after(dt.date(2026, 9, 30))
    assert as_utc(row.answer_by or SUBMITTED) == midnight_after(dt.date(2026, 10, 12))
    complaint = await submitted(units, desk, topic="decision-complaint", application_id="a-1")
    # ten working days: ... 12, 13, 14, 15, 16, 19 October
    assert as_utc(complaint.answer_by or SUBMITTED) == midnight_after(dt.date(2026, 10, 19))


async def test_bad_input_is_refused_by_name(units: Units, desk: Desk) -> None:
    message = "No topic 'gossip'; the topics are: decision-complaint, help-request, " + (
        "permit-problem, policy-question, service-item."
    )
    with pytest.raises(UnknownTopic, match=exactly(message)):
        await submitted(units, desk, topic="gossip")
    with pytest.raises(UnknownLink, match=exactly("No policy 'nope' is in the catalog.")):
        await submitted(units, desk, policy_id="nope")
    with pytest.raises(UnknownLink, match=exactly("No service 'S-0' is in the catalog.")):
        await submitted(units, desk, service_code="S-0")
    needs = exactly("A request of topic 'decision-complaint' names the application.")
    with pytest.raises(UnknownLink, match=needs):
        await submitted(units, desk, topic="decision-complaint")


async def test_filing_the_same_id_twice_files_once(units: Units, desk: Desk) -> None:
    again = filing()
    for _ in range(2):
        async with units.write() as uow:
            await desk.submit(uow, again)
            await uow.commit()
    async with units.read() as unit:
        assert len(await RequestRepository(unit.session).listed(uscc=USCC)) == 1
    assert await events(units, again.id) == ["qinqing.interaction.request.submitted.v1"]


async def test_only_the_holder_acts_and_only_the_enterprise_follows(
    units: Units, desk: Desk
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    with pytest.raises(
        RequestNotFound, match=exactly(f"No request '{row.id}' is with your department.")
    ):
        await step(units, desk.accept, EDU, row.id)
    other = Caller("other-enterprise", "enterprise", frozenset({REQUESTS_WRITE}), uscc="X" * 18)
    with pytest.raises(RequestNotFound, match=exactly(f"No request '{row.id}' of yours.")):
        await step(units, desk.reopen, other, row.id, "Please look again.")
    app = Caller("other-app", "app", frozenset({REQUESTS_WRITE}))
    with pytest.raises(RequestNotFound, match=exactly(f"No request '{row.id}' of yours.")):
        await step(units, desk.reopen, app, row.id, "Please look again.")


async def test_an_unanswered_request_is_escalated_when_its_limit_runs_out(
    units: Units, desk: Desk, clock: ManualClock
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    jobs = Jobs(
        units, JobRow, {ACKNOWLEDGE: desk.limit_ran_out, ANSWER: desk.limit_ran_out}, clock=clock
    )
    clock.advance(dt.timedelta(hours=29))  # 15:00 on 30 September: still in time
    assert await jobs.run_due() == 0
    clock.advance(dt.timedelta(hours=12))  # 03:00 on 1 October: not taken in hand in time
    assert await jobs.run_due() == 1
    late = await current(units, row.id)
    assert (late.escalated, late.late, late.status) == (True, True, RequestStatus.OPEN)
    await step(units, desk.accept, HRSS, row.id)
    clock.advance(dt.timedelta(days=12))  # 13 October: not answered by 12 October
    assert await jobs.run_due() == 1
    async with units.read() as unit:
        steps = await RequestRepository(unit.session).steps(row.id)
    escalations = [(s.action, s.text, s.escalated_to) for s in steps if s.action == "escalated"]
    to = ["HZ-HRSS supervisor", "oversight desk"]
    assert escalations == [
        ("escalated", "not taken in hand within its time limit", to),
        ("escalated", "not answered within its time limit", to),
    ]
    assert (await events(units, row.id)).count("qinqing.interaction.request.escalated.v1") == 2


async def test_a_request_answered_in_time_is_not_escalated(
    units: Units, desk: Desk, clock: ManualClock
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    jobs = Jobs(
        units, JobRow, {ACKNOWLEDGE: desk.limit_ran_out, ANSWER: desk.limit_ran_out}, clock=clock
    )
    await step(units, desk.accept, HRSS, row.id)
    await step(units, desk.answer, HRSS, row.id, "Yes, interns count as employees.")
    clock.advance(dt.timedelta(days=30))
    assert await jobs.run_due() == 2  # both limits' jobs ran, and found nothing to do
    done = await current(units, row.id)
    assert (done.escalated, done.late, done.first_answer_in_time) == (False, False, True)


async def test_a_transfer_is_recorded_and_buys_no_time(
    units: Units, desk: Desk, clock: ManualClock
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    answer_by = row.answer_by
    clock.advance(dt.timedelta(hours=3))
    with pytest.raises(
        UnknownDepartment, match=exactly("No department 'HZ-XYZ' is in the catalog.")
    ):
        await step(units, desk.transfer, HRSS, row.id, "HZ-XYZ", "Not ours at all.")
    with pytest.raises(UnknownDepartment, match=exactly("The request is with HZ-HRSS already.")):
        await step(units, desk.transfer, HRSS, row.id, "HZ-HRSS", "Not ours at all.")
    moved = await step(units, desk.transfer, HRSS, row.id, "HZ-EDU", "Interns are students.")
    assert (moved.department_code, moved.status) == ("HZ-EDU", RequestStatus.OPEN)
    assert as_utc(moved.answer_by or SUBMITTED) == as_utc(answer_by or SUBMITTED)
    # the receiver's own time to take it: the end of the next working day
    assert as_utc(moved.acknowledge_by or SUBMITTED) == midnight_after(dt.date(2026, 9, 30))
    with pytest.raises(RequestNotFound):
        await step(units, desk.answer, HRSS, row.id, "Too late, it moved.")
    await step(units, desk.accept, EDU, row.id)
    async with units.read() as unit:
        steps = await RequestRepository(unit.session).steps(row.id)
    moves = [
        (s.department_code, s.to_department, s.text) for s in steps if s.action == "transferred"
    ]
    assert moves == [("HZ-HRSS", "HZ-EDU", "Interns are students.")]


async def test_a_low_rating_reopens_and_a_rating_counts_once_per_answer(
    units: Units, desk: Desk, clock: ManualClock
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    with pytest.raises(
        RequestStateConflict,
        match=exactly("The request is open: it can rate only when answered or closed."),
    ):
        await step(units, desk.rate, ENTERPRISE, row.id, 5, None)
    await step(units, desk.answer, HRSS, row.id, "No.")
    reopened = await step(units, desk.rate, ENTERPRISE, row.id, 2, "No reason given.")
    assert (reopened.status, reopened.rating) == (RequestStatus.ACCEPTED, 2)
    with pytest.raises(RequestStateConflict):
        await step(units, desk.rate, ENTERPRISE, row.id, 1, None)
    await step(units, desk.answer, HRSS, row.id, "Interns count: clause 3 of the policy.")
    kept = await step(units, desk.rate, ENTERPRISE, row.id, 4, None)
    assert (kept.status, kept.rating) == (RequestStatus.ANSWERED, 4)
    with pytest.raises(
        RequestStateConflict, match=exactly("This answer is rated already; a new answer may be.")
    ):
        await step(units, desk.rate, ENTERPRISE, row.id, 5, None)
    closed = await step(units, desk.close, HRSS, row.id)
    assert closed.status == RequestStatus.CLOSED
    assert await events(units, row.id) == [
        f"qinqing.interaction.request.{a}.v1"
        for a in ("submitted", "answered", "rated", "reopened", "answered", "rated", "closed")
    ]


async def test_a_question_stops_the_clock_until_the_reply(
    units: Units, desk: Desk, clock: ManualClock
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    asked = await step(units, desk.ask, HRSS, row.id, "Which intern, and since when?")
    assert (asked.status, asked.answer_by) == (RequestStatus.AWAITING_ENTERPRISE, None)
    clock.advance(dt.timedelta(days=20))  # Monday 19 October, 10:00 in Beijing
    replied = await step(units, desk.clarify, ENTERPRISE, row.id, "Since 1 September.")
    assert replied.status == RequestStatus.ACCEPTED
    assert as_utc(replied.answer_by or SUBMITTED) == midnight_after(dt.date(2026, 10, 26))


async def test_figures_count_in_time_escalated_and_satisfaction(
    units: Units, desk: Desk, clock: ManualClock
) -> None:
    fast = await submitted(units, desk, policy_id=rental_policy()["id"])
    slow = await submitted(units, desk, policy_id=rental_policy()["id"])
    clock.advance(dt.timedelta(hours=2))
    await step(units, desk.answer, HRSS, fast.id, "Yes.")
    await step(units, desk.rate, ENTERPRISE, fast.id, 5, None)
    await step(units, desk.close, HRSS, fast.id)
    clock.advance(dt.timedelta(days=20))
    await step(units, desk.answer, HRSS, slow.id, "Sorry, yes.")
    await step(units, desk.rate, ENTERPRISE, slow.id, 3, None)
    async with units.read() as unit:
        repo = RequestRepository(unit.session)
        since = SUBMITTED - dt.timedelta(days=1)
        made = figures_of(await repo.for_figures(since), await repo.ratings(since))
    hrss = made.by_department[0]
    assert (hrss.key, hrss.requests, hrss.answered, hrss.answered_in_time) == ("HZ-HRSS", 2, 2, 1)
    assert (hrss.share_answered_in_time, hrss.satisfaction, hrss.ratings) == (0.5, 4.0, 2)
    assert (hrss.first_answer_hours_p50, hrss.first_answer_hours_p90) == (2.0, 482.0)
    assert (hrss.close_hours_p50, hrss.close_hours_p90) == (2.0, 2.0)
    assert made.by_topic[0].key == "policy-question"
    assert made.all.requests == 2


async def published(units: Units, request_id: str, kind: str) -> list[dict[str, Any]]:
    """The data of each event of ``kind`` (``interaction`` or ``audit``) about it."""
    async with units.read() as unit:
        rows = await unit.session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.ce_subject == request_id)
            .order_by(OutboxEvent.seq)
        )
        return [r.data for r in rows if f".{kind}." in r.subject]


async def test_every_step_is_on_the_record_with_its_round(
    units: Units, desk: Desk, clock: ManualClock
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    rounds = [row.round]
    hour = dt.timedelta(hours=1)
    for method, *args in (
        (desk.ask, HRSS, row.id, "Which intern?"),
        (desk.clarify, ENTERPRISE, row.id, "Zhang San, since July."),
        (desk.transfer, HRSS, row.id, "HZ-EDU", "Interns are students."),
        (desk.accept, EDU, row.id),
        (desk.answer, EDU, row.id, "No: students are not employees."),
        (desk.reopen, ENTERPRISE, row.id, "He graduated in June."),
        (desk.answer, EDU, row.id, "Then yes."),
        (desk.rate, ENTERPRISE, row.id, 4, "Slow, but right."),
        (desk.close, EDU, row.id),
    ):
        clock.advance(hour)
        rounds.append((await step(units, method, *args)).round)
    assert rounds == [1, 2, 3, 4, 4, 5, 6, 7, 7, 7]
    async with units.read() as unit:
        steps = await RequestRepository(unit.session).steps(row.id)
    ent, hrss, edu = "demo-enterprise", "hrss-department", "edu-department"
    assert [
        (s.seq, s.action, s.actor, s.department_code, s.to_department, s.text, s.rating)
        for s in steps
    ] == [
        (1, "submitted", ent, "HZ-HRSS", None, None, None),
        (2, "clarification-requested", hrss, "HZ-HRSS", None, "Which intern?", None),
        (3, "clarified", ent, "HZ-HRSS", None, "Zhang San, since July.", None),
        (4, "transferred", hrss, "HZ-HRSS", "HZ-EDU", "Interns are students.", None),
        (5, "accepted", edu, "HZ-EDU", None, None, None),
        (6, "answered", edu, "HZ-EDU", None, "No: students are not employees.", None),
        (7, "reopened", ent, "HZ-EDU", None, "He graduated in June.", None),
        (8, "answered", edu, "HZ-EDU", None, "Then yes.", None),
        (9, "rated", ent, "HZ-EDU", None, "Slow, but right.", 4),
        (10, "closed", edu, "HZ-EDU", None, None, None),
    ]
    sent = await published(units, row.id, "interaction")
    assert [
        (e["action"], e["department"], e["from_department"], e["status"], e["rating"]) for e in sent
    ] == [
        ("submitted", "HZ-HRSS", None, "open", None),
        ("clarification-requested", "HZ-HRSS", None, "awaiting-enterprise", None),
        ("clarified", "HZ-HRSS", None, "accepted", None),
        ("transferred", "HZ-EDU", "HZ-HRSS", "open", None),
        ("accepted", "HZ-EDU", None, "accepted", None),
        ("answered", "HZ-EDU", None, "answered", None),
        ("reopened", "HZ-EDU", None, "accepted", None),
        ("answered", "HZ-EDU", None, "answered", None),
        ("rated", "HZ-EDU", None, "answered", 4),
        ("closed", "HZ-EDU", None, "closed", None),
    ]
    # the time to answer, as each event told it: stopped while the enterprise was asked,
    # the same through the transfer, anew after the reply and the reopening, none after
    reply, reopening = SUBMITTED + 2 * hour, SUBMITTED + 6 * hour
    assert [e["answer_by"] for e in sent] == [
        midnight_after(dt.date(2026, 10, 12)).isoformat(),
        None,
        midnight_after(dt.date(2026, 10, 12)).isoformat(),  # 5 working days from the reply
        midnight_after(dt.date(2026, 10, 12)).isoformat(),
        midnight_after(dt.date(2026, 10, 12)).isoformat(),
        None,
        midnight_after(dt.date(2026, 10, 12)).isoformat(),
        None,
        None,
        None,
    ]
    assert (reply.date(), reopening.date()) == (SUBMITTED.date(), SUBMITTED.date())
    audited = await published(units, row.id, "audit")
    assert [(a["actor"], a["action"], a["object_type"], a["uscc"]) for a in audited] == [
        (hrss, "request.clarification-requested", "request", USCC),
        (hrss, "request.transferred", "request", USCC),
        (edu, "request.accepted", "request", USCC),
        (edu, "request.answered", "request", USCC),
        (edu, "request.answered", "request", USCC),
        (edu, "request.closed", "request", USCC),
    ]


@pytest.mark.parametrize(
    ("method", "caller", "args", "message"),
    [
        ("clarify", "enterprise", ("Hello.",), "it can clarify only when awaiting-enterprise."),
        ("close", "hrss", (), "it can close only when answered."),
        ("reopen", "enterprise", ("Again.",), "it can reopen only when answered or closed."),
        ("rate", "enterprise", (3, None), "it can rate only when answered or closed."),
    ],
)
async def test_a_step_out_of_turn_says_what_it_waits_for(
    units: Units, desk: Desk, method: str, caller: str, args: tuple[Any, ...], message: str
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    who = {"enterprise": ENTERPRISE, "hrss": HRSS}[caller]
    with pytest.raises(RequestStateConflict, match=exactly(f"The request is open: {message}")):
        await step(units, getattr(desk, method), who, row.id, *args)


async def test_an_answered_request_is_neither_taken_asked_nor_transferred(
    units: Units, desk: Desk
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    await step(units, desk.answer, HRSS, row.id, "Yes.")
    for method, args, verb, allowed in (
        (desk.accept, (), "accept", "open"),
        (desk.ask, ("Why?",), "ask", "open or accepted"),
        (desk.transfer, ("HZ-EDU", "Not ours."), "transfer", "open or accepted"),
        (desk.answer, ("Again.",), "answer", "open or accepted or awaiting-enterprise"),
    ):
        message = f"The request is answered: it can {verb} only when {allowed}."
        with pytest.raises(RequestStateConflict, match=exactly(message)):
            await step(units, method, HRSS, row.id, *args)


async def test_a_limit_of_an_earlier_round_escalates_nothing(
    units: Units, desk: Desk, clock: ManualClock
) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    handlers = {ACKNOWLEDGE: desk.limit_ran_out, ANSWER: desk.limit_ran_out}
    jobs = Jobs(units, JobRow, handlers, clock=clock)
    await step(units, desk.accept, HRSS, row.id)
    clock.advance(dt.timedelta(days=1))  # Wednesday 30 September: passed on to education
    await step(units, desk.transfer, HRSS, row.id, "HZ-EDU", "Interns are students.")
    clock.advance(dt.timedelta(hours=18))  # 1 October: the first round's limit passed
    assert await jobs.run_due() == 1  # it ran, and found a later round
    assert (await current(units, row.id)).escalated is False
    clock.advance(dt.timedelta(days=8))  # 9 October: education never took it (8 October)
    assert await jobs.run_due() == 1
    late = await current(units, row.id)
    assert (late.escalated, late.department_code) == (True, "HZ-EDU")
    async with units.read() as unit:
        steps = await RequestRepository(unit.session).steps(row.id)
    assert steps[-1].escalated_to == ["HZ-EDU supervisor", "oversight desk"]


ITEM = "HZ-EDU-ITEM-1"  # a service item of education's, asked for in any district


@pytest.fixture
async def with_item(units: Units) -> str:
    async with units.write() as uow:
        uow.session.add(
            Service(
                code=ITEM,
                name="Private school licence",
                kind="service_item",
                department_code="HZ-EDU",
                district_code="330100",
            )
        )
        await uow.commit()
    return ITEM


async def test_a_service_item_is_granted_once_and_counted_handled_once(
    units: Units, desk: Desk, with_item: str
) -> None:
    needs = "A request of topic 'service-item' names the service item."
    with pytest.raises(UnknownLink, match=exactly(needs)):
        await submitted(units, desk, topic="service-item")
    subsidy = rental_policy()["service_code"]
    no_item = f"{subsidy} is a subsidy: apply for it, it is no service item."
    with pytest.raises(UnknownLink, match=exactly(no_item)):
        await submitted(units, desk, topic="service-item", service_code=subsidy)
    row = await submitted(units, desk, topic="service-item", service_code=with_item)
    assert row.department_code == "HZ-EDU"  # the item's department, whatever the district
    plain = "A service item's answer grants or refuses it: send its outcome."
    with pytest.raises(OutcomeMismatch, match=exactly(plain)):
        await step(units, desk.answer, EDU, row.id, "Done.")
    granted = await step(units, desk.answer, EDU, row.id, "Licence issued.", "granted")
    assert (granted.status, granted.outcome) == (RequestStatus.ANSWERED, "granted")
    await step(units, desk.reopen, ENTERPRISE, row.id, "The licence has a typo.")
    again = await step(units, desk.answer, EDU, row.id, "Reissued.", "granted")
    assert again.outcome == "granted"
    async with units.read() as unit:
        stats = await service.stats(CatalogRepository(unit.session))
        steps = await RequestRepository(unit.session).steps(row.id)
    assert stats.service_items_handled == 1  # one request, however often answered
    assert [(f.code, f.service_items_handled) for f in stats.by_department] == [("HZ-EDU", 1)]
    assert [(f.code, f.service_items_handled) for f in stats.by_district] == [("unknown", 1)]
    assert [s.outcome for s in steps if s.action == "answered"] == ["granted", "granted"]
    sent = await published(units, row.id, "interaction")
    assert [e["outcome"] for e in sent if e["action"] == "answered"] == ["granted", "granted"]


async def test_only_a_service_items_answer_has_an_outcome(units: Units, desk: Desk) -> None:
    row = await submitted(units, desk, policy_id=rental_policy()["id"])
    message = "A request of topic 'policy-question' is answered without an outcome."
    with pytest.raises(OutcomeMismatch, match=exactly(message)):
        await step(units, desk.answer, HRSS, row.id, "Yes.", "granted")
    assert (await current(units, row.id)).status == RequestStatus.OPEN
