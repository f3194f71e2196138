"""Working days, as the State Council's holiday notices make them (chinese-calendar).

A time limit of N working days counts from the first working day after the day a
request reached its holder, and ends at midnight (Beijing time) after the Nth: a
request submitted on Tuesday 29 September 2026 with 5 working days to answer is due by
the end of Monday 12 October (30 September; 8, 9 and 10 October, 10 October being a
make-up Saturday; 12 October). The package knows the years the State Council has
announced; for a later year the calendar falls back to Monday to Friday and says so in
the log (update the package when the next notice is out).
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

import chinese_calendar

log = logging.getLogger("catalog.workdays")
BEIJING = ZoneInfo("Asia/Shanghai")
_warned: set[int] = set()


def is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:  # a year the package does not know yet
        if day.year not in _warned:
            _warned.add(day.year)
            log.warning("no holiday calendar for %s: counting Monday to Friday", day.year)
        return day.weekday() < 5


def deadline(start: dt.datetime, working_days: int) -> dt.datetime:
    """The end (midnight, Beijing time) of the ``working_days``-th working day after
    the day of ``start``, as an aware UTC time."""
    day = start.astimezone(BEIJING).date()
    counted = 0
    while counted < working_days:
        day += dt.timedelta(days=1)
        if is_workday(day):
            counted += 1
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), BEIJING)
    return end.astimezone(dt.UTC)
