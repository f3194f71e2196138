"""Direct interaction's pure parts: who may see, follow and answer a request; working
days from the State Council's calendar; the figures' percentiles."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from catalog_svc.interaction import workdays
from catalog_svc.interaction.figures import RequestFigures, figures_of, percentile
from catalog_svc.interaction.rights import may_answer, may_follow, may_read, oversees
from catalog_svc.models import InteractionRequest
from qinqing_shared.auth import scopes as s
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.jobs import ManualClock

USCC, OTHER = "91330106MA2H00014Q", "91330108MA2H00022G"
BEIJING = dt.timezone(dt.timedelta(hours=8))
ROW = InteractionRequest(uscc=USCC, client_id="demo-app", department_code="HZ-HRSS")


def caller(kind: str, *scopes: str, **extra: str) -> Caller:
    return Caller(f"{kind}-client", kind, frozenset(scopes), **extra)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("who", "follow", "answer", "read"),
    [
        (caller("enterprise", s.REQUESTS_WRITE, uscc=USCC), True, False, True),
        (caller("enterprise", s.REQUESTS_WRITE, uscc=OTHER), False, False, False),
        (caller("enterprise", s.APPLICATIONS_READ, uscc=USCC), False, False, False),
        (Caller("demo-app", "app", frozenset({s.REQUESTS_WRITE})), True, False, True),
        (Caller("other-app", "app", frozenset({s.REQUESTS_WRITE})), False, False, False),
        (Caller("demo-app", "app", frozenset({s.APPLICATIONS_WRITE})), False, False, False),
        (caller("department", s.REQUESTS_ANSWER, department="HZ-HRSS"), False, True, True),
        (caller("department", s.REQUESTS_SUPERVISE, department="HZ-HRSS"), False, True, True),
        (caller("department", s.POLICIES_WRITE, department="HZ-HRSS"), False, False, False),
        (caller("department", s.REQUESTS_ANSWER, department="HZ-MSA"), False, False, False),
        (caller("operator", s.REQUESTS_OVERSEE), False, False, True),
        (caller("operator", s.OPERATIONS_READ), False, False, True),
        (caller("operator", s.PAYOUTS_REVERSE), False, False, False),
        (Caller("gateway", "service", frozenset()), False, False, False),
    ],
)
def test_who_may_follow_answer_and_read_a_request(
    who: Caller, follow: bool, answer: bool, read: bool
) -> None:
    assert (may_follow(who, ROW), may_answer(who, ROW), may_read(who, ROW)) == (
        follow,
        answer,
        read,
    )


def test_only_operators_oversee() -> None:
    # a department holding the oversight scope's name is no overseer
    assert oversees(caller("department", s.REQUESTS_OVERSEE, department="HZ-HRSS")) is False
    assert oversees(caller("operator", s.REQUESTS_OVERSEE)) is True


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), BEIJING).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        # a Friday afternoon: the first working day after is Monday
        (dt.datetime(2026, 11, 27, 15, tzinfo=BEIJING), 1, dt.date(2026, 11, 30)),
        # half past midnight on Friday in Beijing is still Thursday in UTC: the day
        # counted from is Beijing's
        (dt.datetime(2026, 11, 27, 0, 30, tzinfo=BEIJING), 1, dt.date(2026, 11, 30)),
        # National Day 2026 (1-7 October) is no working day; Saturday 10 October is
        (dt.datetime(2026, 9, 30, 9, tzinfo=BEIJING), 1, dt.date(2026, 10, 8)),
        (dt.datetime(2026, 10, 9, 9, tzinfo=BEIJING), 1, dt.date(2026, 10, 10)),
        # the Spring Festival 2026 (15-23 February); Saturday 14 February is made up
        (dt.datetime(2026, 2, 13, 9, tzinfo=BEIJING), 1, dt.date(2026, 2, 14)),
        (dt.datetime(2026, 2, 14, 9, tzinfo=BEIJING), 1, dt.date(2026, 2, 24)),
        (dt.datetime(2026, 9, 29, 10, tzinfo=BEIJING), 0, dt.date(2026, 9, 29)),
    ],
)
def test_a_limit_ends_at_midnight_after_its_last_working_day(
    start: dt.datetime, days: int, due: dt.date
) -> None:
    assert workdays.deadline(start, days) == end_of(due)


def test_a_year_without_a_published_calendar_counts_monday_to_friday() -> None:
    # 2099: no State Council notice yet. Friday 2 January 2099 + 1 working day = Monday
    assert workdays.is_workday(dt.date(2099, 1, 3)) is False  # a Saturday
    assert workdays.deadline(dt.datetime(2099, 1, 2, 9, tzinfo=BEIJING), 1) == end_of(
        dt.date(2099, 1, 5)
    )


@pytest.mark.parametrize(
    ("values", "p", "found"),
    [
        ([], 50, None),
        ([3.0], 90, 3.0),
        ([4.0, 1.0, 3.0, 2.0], 50, 2.0),  # nearest rank: the 2nd of 4
        ([4.0, 1.0, 3.0, 2.0], 90, 4.0),
        ([1.0] * 9 + [100.0], 90, 1.0),  # the 9th of 10
        ([1.0] * 9 + [100.0], 91, 100.0),
        ([1.234567], 50, 1.23),  # hours to two decimals
    ],
)
def test_percentiles_take_the_nearest_rank(
    values: list[float], p: int, found: float | None
) -> None:
    assert percentile(values, p) == found


def test_a_year_without_a_calendar_is_warned_of_once(caplog: pytest.LogCaptureFixture) -> None:
    workdays._warned.discard(2098)
    with caplog.at_level("WARNING", logger="catalog.workdays"):
        for day in (1, 2, 3):
            workdays.is_workday(dt.date(2098, 3, day))
    assert [r.getMessage() for r in caplog.records] == [
        "no holiday calendar for 2098: counting Monday to Friday"
    ]


def row(**values: object) -> SimpleNamespace:
    at = dt.datetime(2026, 9, 29, 2, tzinfo=dt.UTC)
    base: dict[str, object] = {
        "department_code": "HZ-HRSS",
        "topic": "policy-question",
        "submitted_at": at,
        "first_answered_at": None,
        "first_answer_in_time": None,
        "closed_at": None,
        "escalated": False,
    }
    for key in ("first_answered_at", "closed_at"):
        if isinstance(values.get(key), int | float):
            values[key] = at + dt.timedelta(hours=float(values[key]))  # type: ignore[arg-type]
    return SimpleNamespace(**(base | values))


def test_the_figures_count_each_request_where_it_is() -> None:
    rows = [
        row(first_answered_at=2, first_answer_in_time=True, closed_at=3),
        row(first_answered_at=50, first_answer_in_time=False, escalated=True),
        row(escalated=True),  # not answered yet
        row(
            department_code="HZ-EDU",
            topic="help-request",
            first_answered_at=1,
            first_answer_in_time=True,
        ),
    ]
    made = figures_of(rows, [("HZ-HRSS", "policy-question", 2), ("HZ-EDU", "help-request", 5)])
    hrss = made.by_department[1]
    assert hrss.model_dump() == {
        "key": "HZ-HRSS",
        "requests": 3,
        "answered": 2,
        "answered_in_time": 1,
        "share_answered_in_time": 0.5,
        "escalated": 2,
        "first_answer_hours_p50": 2.0,
        "first_answer_hours_p90": 50.0,
        "close_hours_p50": 3.0,
        "close_hours_p90": 3.0,
        "satisfaction": 2.0,
        "ratings": 1,
    }
    assert [t.key for t in made.by_topic] == ["help-request", "policy-question"]
    assert (made.all.requests, made.all.answered, made.all.escalated) == (4, 3, 2)
    assert (made.all.satisfaction, made.all.ratings) == (3.5, 2)
    assert made.by_department[0].share_answered_in_time == 1.0


async def test_the_figures_are_worked_out_at_most_every_ten_seconds() -> None:
    clock = ManualClock(dt.datetime(2026, 9, 29, tzinfo=dt.UTC))
    calls: list[int] = []

    class Repo:
        async def for_figures(self, since: dt.datetime) -> list[SimpleNamespace]:
            calls.append(1)
            assert since == clock.now() - dt.timedelta(days=365)
            return [row()] * len(calls)

        async def ratings(self, since: dt.datetime) -> list[tuple[str, str, int]]:
            return []

    figures = RequestFigures(clock)
    first = await figures.get(Repo())  # type: ignore[arg-type]
    clock.advance(dt.timedelta(seconds=9.9))
    assert await figures.get(Repo()) is first  # type: ignore[arg-type]
    clock.advance(dt.timedelta(seconds=0.1))
    assert (await figures.get(Repo())).all.requests == 2  # type: ignore[arg-type]
    assert len(calls) == 2
