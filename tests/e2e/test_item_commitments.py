"""A service item granted on a credit commitment (告知承诺制) on the running platform:
human resources' employment licence (qinqing_devtools.demo). An enterprise HRSS has sent
no insurance record of asks for it and goes to the bureau; it commits that it paid in
full, asks again and is granted at once on its commitment. When HRSS's record comes,
the platform verifies the commitment by itself: a record that contradicts it breaks the
commitment, revokes the licence (counted out of the items handled) and files a violation;
one that agrees keeps it and changes nothing (docs/interaction.md)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.demo import EMPLOYMENT_LICENCE_ITEM
from qinqing_devtools.platform import Platform
from qinqing_shared.contracts.ingest import FactKind
from tests.e2e import pilots
from tests.e2e.test_commitments import commitment_when, operator_get
from tests.e2e.test_ingest import AS_OF, send

pytestmark = pytest.mark.e2e

BUSINESS_DAY = "2026-09-01"  # the platform under test applies on this day (conftest)


@pytest.fixture
async def app(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway as the load app, which every pilot enterprise granted."""
    auth = platform.auth(chaos.LOAD_APP)
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60, auth=auth) as client:
        yield client


async def hrss_says(platform: Platform, uscc: str, months_paid: int, record_id: str) -> None:
    data = {
        "uscc": uscc,
        "year": 2025,
        "months_paid": months_paid,
        "paid_fen": 2_400_000,
        "average_insured": 12,
        "new_claimants": 0,
        "size_class": "small",
    }
    record = {"record_id": record_id, "as_of": AS_OF.isoformat(), "data": data}
    sent = await send(platform, "hrss-department", FactKind.UNEMPLOYMENT_INSURANCE, record)
    assert (sent.status_code, sent.json()["outcome"]) == (200, "applied"), sent.text


async def asked(app: httpx.AsyncClient, uscc: str) -> dict[str, Any]:
    body = {
        "uscc": uscc,
        "topic": "service-item",
        "title": "An employment licence",
        "text": "We recruit for other employers and need the licence.",
        "links": {"service_code": EMPLOYMENT_LICENCE_ITEM},
    }
    answer = await app.post(
        "/v1/requests", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
    )
    assert answer.status_code == 201, answer.text
    view: dict[str, Any] = answer.json()
    return view


async def commit(app: httpx.AsyncClient, uscc: str, clause: str = "paid_in_full") -> httpx.Response:
    body = {
        "uscc": uscc,
        "service_code": EMPLOYMENT_LICENCE_ITEM,
        "clause": clause,
        "signed_by": "Zhao Min, general manager",
    }
    return await app.post("/v1/commitments", json=body)


async def committed(app: httpx.AsyncClient, uscc: str) -> dict[str, Any]:
    answer = await commit(app, uscc)
    assert answer.status_code == 200, answer.text
    made: dict[str, Any] = answer.json()
    return made


async def request_when(app: httpx.AsyncClient, request_id: str, outcome: str) -> dict[str, Any]:
    view: dict[str, Any] = {}
    for _ in range(150):
        view = (await app.get(f"/v1/requests/{request_id}")).json()
        if view["outcome"] == outcome:
            return view
        await asyncio.sleep(0.2)
    raise AssertionError(f"request {request_id} is {view.get('outcome')}, not {outcome}")


async def handled(app: httpx.AsyncClient) -> int:
    return int((await app.get("/v1/stats")).json()["service_items_handled"])


async def test_a_licence_granted_on_a_broken_commitment_is_revoked(
    platform: Platform, app: httpx.AsyncClient
) -> None:
    uscc = (await pilots.registered(platform, 8511))["uscc"]
    waiting = await asked(app, uscc)
    assert (waiting["status"], waiting["decision"]["outcome"]) == ("open", "undecided")

    made = await committed(app, uscc)
    assert (made["service_code"], made["policy_id"], made["id_number_masked"]) == (
        EMPLOYMENT_LICENCE_ITEM,
        "",
        "",
    )
    assert (made["department"], made["outcome"], made["verify_by"]) == (
        "HZ-HRSS",
        "open",
        "2026-10-31",
    )
    before = await handled(app)
    granted = await asked(app, uscc)
    assert (granted["status"], granted["outcome"]) == ("answered", "granted")
    assert granted["decision"]["commitments"] == [made["id"]]
    entry = next(e for e in granted["decision"]["trace"] if e["clause"] == "paid_in_full")
    assert (entry["seen"], entry["passed"], entry["commitment"]) == ("committed", True, made["id"])
    assert await handled(app) == before + 1

    await hrss_says(platform, uscc, 7, "U-8511-1")
    broken = await commitment_when(platform, uscc, made["id"], "broken")
    assert broken["evidence"] == (
        "enterprise: unemployment insurance paid in full for 12 months, "
        f"HZ-HRSS record U-8511-1, as of {AS_OF}"
    )
    revoked = await request_when(app, granted["id"], "revoked")
    assert revoked["status"] == "closed"
    assert [(s["action"], s["actor"], s["outcome"]) for s in revoked["steps"][-2:]] == [
        ("answered", "platform", "granted"),
        ("revoked", "platform", "revoked"),
    ]
    assert await handled(app) == before  # counted out: a reversal
    records = await operator_get(platform, "credit-svc", f"/enterprises/{uscc}/records")
    violation = next(r for r in records if r["kind"] == "violation")
    assert violation["reason"].startswith(
        f"Broke credit commitment {made['id']} to service item {EMPLOYMENT_LICENCE_ITEM} "
        "(paid_in_full)"
    )
    waiting_one = await request_when(app, waiting["id"], None)  # never granted: untouched
    assert waiting_one["status"] == "open"


async def test_a_kept_commitment_leaves_the_licence_granted(
    platform: Platform, app: httpx.AsyncClient
) -> None:
    uscc = (await pilots.registered(platform, 8512))["uscc"]
    made = await committed(app, uscc)
    granted = await asked(app, uscc)
    assert (granted["outcome"], granted["decision"]["commitments"]) == ("granted", [made["id"]])

    await hrss_says(platform, uscc, 12, "U-8512-1")
    await commitment_when(platform, uscc, made["id"], "kept")
    after = (await app.get(f"/v1/requests/{granted['id']}")).json()
    assert (after["status"], after["outcome"], len(after["steps"])) == ("answered", "granted", 2)


async def test_a_commitment_is_refused_once_hrss_has_sent_the_fact(
    platform: Platform, app: httpx.AsyncClient
) -> None:
    uscc = (await pilots.registered(platform, 8513))["uscc"]
    await hrss_says(platform, uscc, 5, "U-8513-1")
    known = await commit(app, uscc)
    assert (known.status_code, known.json()["type"]) == (409, "urn:qinqing:problem:fact-known")
    not_open = await commit(app, uscc, "active")
    assert not_open.status_code == 422
    assert not_open.json()["detail"] == (
        f"Service item {EMPLOYMENT_LICENCE_ITEM} is decided on no condition 'active' "
        "open to commitments."
    )
    refused = await asked(app, uscc)
    assert (refused["outcome"], refused["decision"]["commitments"]) == ("refused", [])
