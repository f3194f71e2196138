"""catalog-svc's policies as versioned data, over HTTP on a real database: a department
drafts, publishes and amends its own policies; a published version never changes; the
version in effect on a day decides that day; the history stays readable."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from catalog_svc.cli import seed
from catalog_svc.config import Settings as CatalogSettings
from catalog_svc.main import create_app as catalog_app
from catalog_svc.models import OutboxEvent
from qinqing_devtools.demo import rental_policy
from qinqing_shared.contracts.events import POLICY_PUBLISHED
from tests.service.auth_support import as_department
from tests.service.conftest import running


def hrss() -> dict[str, str]:  # a token made when it is sent (tokens expire)
    return as_department("HZ-HRSS")


def edu() -> dict[str, str]:
    return as_department("HZ-EDU")


POLICY_ID = "hz-graduate-hiring-2026"


@pytest.fixture
async def catalog(
    service_db: Callable[[str], str], nats_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    settings = CatalogSettings(database_url=service_db("catalog_svc"), nats_url=nats_url)
    app = catalog_app(settings)
    async with running(app) as client:
        async with app.state.runtime.db.sessionmaker() as session:
            await seed(session, dataset())
            await session.commit()
        yield client, app


def dataset() -> dict[str, Any]:
    rental = rental_policy()
    return {
        "districts": [{"code": "330100", "name": "Hangzhou", "kind": "city"}],
        "departments": [
            {"code": "HZ-HRSS", "name": "Human resources", "district_code": "330100"},
            {"code": "HZ-EDU", "name": "Education", "district_code": "330100"},
        ],
        "services": [
            {
                "code": rental["service_code"],
                "name": "Rental subsidy",
                "kind": "subsidy",
                "department_code": "HZ-HRSS",
                "district_code": "330100",
            }
        ],
        "policies": [rental],
    }


def version(number: int, valid_from: str, **changes: Any) -> dict[str, Any]:
    return rental_policy() | {
        "id": POLICY_ID,
        "name": "Graduate hiring subsidy",
        "version": number,
        "valid_from": valid_from,
        **changes,
    }


async def published_events(app: Any) -> list[dict[str, Any]]:
    async with app.state.runtime.db.sessionmaker() as session:
        query = select(OutboxEvent).where(OutboxEvent.subject == POLICY_PUBLISHED)
        return [e.data for e in await session.scalars(query.order_by(OutboxEvent.seq))]


async def test_a_draft_is_the_department_s_own_until_it_is_published(
    catalog: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = catalog
    first = version(1, "2026-01-01", budget_fen=1_000_000)
    drafted = await client.post(f"/policies/{POLICY_ID}/drafts", json=first, headers=hrss())
    rewritten = await client.post(
        f"/policies/{POLICY_ID}/drafts", json=first | {"budget_fen": 2_000_000}, headers=hrss()
    )
    unseen = await client.get(f"/policies/{POLICY_ID}")
    others = await client.get(f"/policies/{POLICY_ID}/drafts", headers=edu())
    own = await client.get(f"/policies/{POLICY_ID}/drafts", headers=hrss())
    events_before = await published_events(app)
    by_other = await client.post(f"/policies/{POLICY_ID}/drafts/1/publish", headers=edu())
    published = await client.post(f"/policies/{POLICY_ID}/drafts/1/publish", headers=hrss())
    again = await client.post(f"/policies/{POLICY_ID}/drafts/1/publish", headers=hrss())
    current = await client.get(f"/policies/{POLICY_ID}")

    assert (drafted.status_code, drafted.json()["state"]) == (201, "draft")
    assert (rewritten.status_code, rewritten.json()["policy"]["budget_fen"]) == (201, 2_000_000)
    assert unseen.status_code == 404, "a draft decides nothing"
    assert (others.json(), [d["policy"]["version"] for d in own.json()]) == ([], [1])
    assert events_before == []
    assert by_other.status_code == 403
    assert (published.status_code, published.json()["budget_fen"]) == (200, 2_000_000)
    assert again.json()["type"] == "urn:qinqing:problem:policy-version-not-found"
    assert current.json()["version"] == 1
    assert current.json()["attestation"], "signed by catalog-svc"
    assert [e["budget_fen"] for e in await published_events(app)] == [2_000_000]


async def test_a_published_version_never_changes_and_an_amendment_takes_effect_on_its_day(
    catalog: tuple[httpx.AsyncClient, Any],
) -> None:
    client, _app = catalog
    base = f"/policies/{POLICY_ID}"
    first = await client.put(base, json=version(1, "2026-01-01"), headers=hrss())
    changed = await client.put(base, json=version(1, "2026-01-01", name="Changed"), headers=hrss())
    redrafted = await client.post(f"{base}/drafts", json=version(1, "2026-01-01"), headers=hrss())
    amended = await client.put(
        base, json=version(2, "2026-07-01", budget_fen=9_000_000), headers=hrss()
    )
    taken_over = await client.put(
        base, json=version(3, "2026-08-01", department_code="HZ-EDU"), headers=edu()
    )
    in_june = (await client.get(base, params={"on": "2026-06-30"})).json()
    in_july = (await client.get(base, params={"on": "2026-07-01"})).json()
    before_all = (await client.get(base, params={"on": "2025-12-31"})).json()
    newest = (await client.get(base)).json()
    history = (await client.get(f"{base}/versions")).json()
    old = await client.get(f"{base}/versions/1")
    missing = await client.get(f"{base}/versions/7")
    listed = (await client.get("/policies", params={"q": "Graduate"})).json()

    assert first.status_code == 200
    assert (changed.status_code, changed.json()["type"]) == (
        409,
        "urn:qinqing:problem:policy-version-conflict",
    )
    assert redrafted.status_code == 409, "no draft over a published version"
    assert amended.status_code == 200
    assert taken_over.status_code == 403, "a policy belongs to its department"
    assert (in_june["version"], in_july["version"]) == (1, 2)
    assert before_all["version"] == 1, "before any version: the first (not yet in force)"
    assert newest["version"] == 2
    assert [(v["policy"]["version"], v["state"]) for v in history] == [
        (1, "published"),
        (2, "published"),
    ]
    assert history[0]["policy"]["name"] == "Graduate hiring subsidy", "never changed"
    assert (old.status_code, old.json()["version"], old.json()["budget_fen"]) == (
        200,
        1,
        rental_policy()["budget_fen"],
    )
    assert old.json()["attestation"]
    assert missing.status_code == 404
    assert [(p["id"], p["version"]) for p in listed["items"]] == [(POLICY_ID, 2)]


async def test_the_seeded_policies_are_their_first_published_version(
    catalog: tuple[httpx.AsyncClient, Any],
) -> None:
    client, _app = catalog
    rental = rental_policy()
    history = (await client.get(f"/policies/{rental['id']}/versions")).json()
    today = (await client.get(f"/policies/{rental['id']}", params={"on": "2026-09-01"})).json()
    assert [(v["policy"]["version"], v["published_by"]) for v in history] == [
        (rental["version"], "seed")
    ]
    assert today["version"] == rental["version"]
    assert dt.date.fromisoformat(today["valid_from"]) == dt.date.fromisoformat(rental["valid_from"])


def detail(answer: httpx.Response) -> tuple[int, str, str]:
    return answer.status_code, answer.json()["title"], answer.json()["detail"]


async def test_each_refusal_says_what_and_why(catalog: tuple[httpx.AsyncClient, Any]) -> None:
    client, _app = catalog
    base = f"/policies/{POLICY_ID}"
    no_service = await client.put(
        base, json=version(1, "2026-01-01", service_code="NO-SUCH-SERVICE"), headers=hrss()
    )
    assert (await client.put(base, json=version(1, "2026-01-01"), headers=hrss())).is_success
    older = await client.put(base, json=version(1, "2026-01-01", name="Again"), headers=hrss())
    taken = await client.post(
        f"{base}/drafts", json=version(2, "2026-01-01", department_code="HZ-EDU"), headers=edu()
    )
    no_draft = await client.post(f"{base}/drafts/2/publish", headers=hrss())
    no_version = await client.get(f"{base}/versions/2")
    unknown = "no-such-policy"
    unknowns = [
        await client.get(f"/policies/{unknown}"),
        await client.get(f"/policies/{unknown}/versions"),
    ]

    assert detail(no_service) == (
        404,
        "Service not found",
        "No service 'NO-SUCH-SERVICE' is registered.",
    )
    assert detail(older) == (
        409,
        "Policy version is not newer",
        f"Policy {POLICY_ID} is at version 1, and a published version never changes: "
        "amend it with version 2 or later.",
    )
    assert detail(taken) == (
        403,
        "Not allowed",
        f"Policy {POLICY_ID} belongs to department HZ-HRSS.",
    )
    not_found = "Policy version not found"
    assert detail(no_draft) == (404, not_found, f"Policy {POLICY_ID} has no draft version 2.")
    assert detail(no_version) == (
        404,
        not_found,
        f"Policy {POLICY_ID} has no published version 2.",
    )
    assert [detail(a) for a in unknowns] == [
        (404, "Policy not found", f"No policy '{unknown}' is registered.")
    ] * 2


async def test_a_publication_is_told_under_its_policy_and_kept_with_who_and_when(
    catalog: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = catalog
    base = f"/policies/{POLICY_ID}"
    assert await client.post(f"{base}/drafts", json=version(1, "2026-01-01"), headers=hrss())
    assert (await client.post(f"{base}/drafts/1/publish", headers=hrss())).is_success
    (kept,) = (await client.get(f"{base}/versions")).json()
    async with app.state.runtime.db.sessionmaker() as session:
        query = select(OutboxEvent).where(OutboxEvent.subject == POLICY_PUBLISHED)
        (told,) = (await session.scalars(query)).all()
    assert told.ce_subject == POLICY_ID
    assert (kept["author"], kept["published_by"]) == ("test-HZ-HRSS", "test-HZ-HRSS")
    published_at = dt.datetime.fromisoformat(kept["published_at"])
    assert published_at.tzinfo is not None
    assert abs(dt.datetime.now(dt.UTC) - published_at) < dt.timedelta(minutes=5)
