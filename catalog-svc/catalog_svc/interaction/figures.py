"""The figures of direct interaction: requests by department and by topic, the share
answered in time, the time to a first answer and to closing (p50, p90, in hours), how
many were escalated, and the enterprises' satisfaction (mean rating of 5)."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from catalog_svc.interaction.repository import RequestRepository
from qinqing_shared.contracts.interaction import InteractionFigures, TopicFigures
from qinqing_shared.db import as_utc
from qinqing_shared.jobs import Clock

WINDOW = dt.timedelta(days=365)  # the figures count the requests of the last year
FRESH = dt.timedelta(seconds=10)  # /stats is public: worked out at most this often


@dataclass
class _Tally:
    requests: int = 0
    answered: int = 0
    in_time: int = 0
    escalated: int = 0
    to_answer: list[float] = field(default_factory=list)
    to_close: list[float] = field(default_factory=list)
    ratings: list[int] = field(default_factory=list)

    def add(self, row: Any) -> None:
        self.requests += 1
        self.escalated += bool(row.escalated)
        submitted = as_utc(row.submitted_at)
        if row.first_answered_at is not None:
            self.answered += 1
            self.in_time += bool(row.first_answer_in_time)
            self.to_answer.append(_hours(submitted, row.first_answered_at))
        if row.closed_at is not None:
            self.to_close.append(_hours(submitted, row.closed_at))

    def figures(self, key: str) -> TopicFigures:
        return TopicFigures(
            key=key,
            requests=self.requests,
            answered=self.answered,
            answered_in_time=self.in_time,
            share_answered_in_time=round(self.in_time / self.answered, 4)
            if self.answered
            else None,
            escalated=self.escalated,
            first_answer_hours_p50=percentile(self.to_answer, 50),
            first_answer_hours_p90=percentile(self.to_answer, 90),
            close_hours_p50=percentile(self.to_close, 50),
            close_hours_p90=percentile(self.to_close, 90),
            satisfaction=round(sum(self.ratings) / len(self.ratings), 2) if self.ratings else None,
            ratings=len(self.ratings),
        )


def _hours(start: dt.datetime, end: dt.datetime) -> float:
    return (as_utc(end) - start).total_seconds() / 3600


def percentile(values: Sequence[float], p: int) -> float | None:
    """Nearest rank: the smallest value with at least p% of them at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return round(ordered[rank - 1], 2)


def figures_of(
    requests: Iterable[Any], ratings: Iterable[tuple[str, str, int]]
) -> InteractionFigures:
    """``requests``: rows of RequestRepository.for_figures; ``ratings``: (department
    that answered, topic, rating) of every rating given."""
    every = _Tally()
    by_department: defaultdict[str, _Tally] = defaultdict(_Tally)
    by_topic: defaultdict[str, _Tally] = defaultdict(_Tally)
    for row in requests:
        for tally in (every, by_department[row.department_code], by_topic[row.topic]):
            tally.add(row)
    for department, topic, rating in ratings:
        for tally in (every, by_department[department], by_topic[topic]):
            tally.ratings.append(rating)
    return InteractionFigures(
        all=every.figures("all"),
        by_department=[t.figures(k) for k, t in sorted(by_department.items())],
        by_topic=[t.figures(k) for k, t in sorted(by_topic.items())],
    )


class RequestFigures:
    """The figures, worked out at most every ``FRESH`` whoever asks (the public
    dashboard and /v1/stats are anonymous)."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._made: tuple[dt.datetime, InteractionFigures] | None = None

    async def get(self, repo: RequestRepository) -> InteractionFigures:
        now = self.clock.now()
        if self._made is not None and abs(now - self._made[0]) < FRESH:
            return self._made[1]
        since = now - WINDOW
        made = figures_of(await repo.for_figures(since), await repo.ratings(since))
        self._made = (now, made)
        return made
