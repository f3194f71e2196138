"""The gateway's copy of a policy: kept at most its age, dropped on catalog's notice."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from qinqing_devtools.demo import rental_policy
from qinqing_gateway.policies import PolicyCache
from qinqing_shared.contracts.events import POLICY_PUBLISHED
from qinqing_shared.events import CloudEvent

POLICY = rental_policy()
ON = dt.date(2026, 11, 27)


class Catalog:
    """catalog-svc's answers, counted."""

    def __init__(self) -> None:
        self.version = 1
        self.asked = 0

    async def request(self, method: str, path: str) -> dict[str, Any]:
        assert (method, path) == ("GET", f"/policies/{POLICY['id']}?on={ON.isoformat()}")
        self.asked += 1
        return POLICY | {"version": self.version}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cache(max_age: float = 30) -> tuple[PolicyCache, Catalog, Clock]:
    catalog, clock = Catalog(), Clock()
    return PolicyCache(catalog, max_age, clock), catalog, clock  # type: ignore[arg-type]


def notice(source: str = "/qinqing/catalog-svc", subject: str | None = POLICY["id"]) -> Any:
    event = CloudEvent(type=POLICY_PUBLISHED, source=source, subject=subject, data={})
    return SimpleNamespace(headers=event.headers(), data=event.body())


async def test_a_policy_is_asked_once_while_it_is_younger_than_its_age() -> None:
    policies, catalog, clock = cache()
    await policies.get(POLICY["id"], ON)
    clock.now += 29.9
    await policies.get(POLICY["id"], ON)
    assert catalog.asked == 1
    clock.now += 0.1
    catalog.version = 2
    assert (await policies.get(POLICY["id"], ON)).version == 2
    assert catalog.asked == 2


async def test_catalog_s_notice_drops_the_policy_at_once() -> None:
    policies, catalog, _clock = cache()
    await policies.get(POLICY["id"], ON)
    catalog.version = 2
    await policies.on_published(notice())
    assert (await policies.get(POLICY["id"], ON)).version == 2
    assert catalog.asked == 2


async def test_a_notice_from_anyone_but_catalog_drops_nothing() -> None:
    policies, catalog, _clock = cache()
    await policies.get(POLICY["id"], ON)
    await policies.on_published(notice(source="/qinqing/payment-svc"))
    await policies.get(POLICY["id"], ON)
    assert catalog.asked == 1


async def test_an_unreadable_notice_drops_everything() -> None:
    policies, catalog, _clock = cache()
    await policies.get(POLICY["id"], ON)
    await policies.on_published(SimpleNamespace(headers={}, data=b"not an event"))
    await policies.get(POLICY["id"], ON)
    assert catalog.asked == 2


async def test_an_age_of_zero_keeps_nothing() -> None:
    policies, catalog, _clock = cache(max_age=0)
    await policies.get(POLICY["id"], ON)
    await policies.get(POLICY["id"], ON)
    assert catalog.asked == 2
