"""A service item decided at once from department data (秒批) on the running platform:
the tax bureau's certificate renewal (qinqing_devtools.demo) asked for by an app for
three enterprises. The one the bureau rated A is granted as the request is filed, the
one it rated C refused at once saying why, and the one it holds no return of goes to
the bureau; the two decided are counted handled (docs/interaction.md)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.demo import TAX_CERTIFICATE_ITEM
from qinqing_devtools.platform import Platform
from qinqing_shared.contracts.ingest import FactKind
from tests.e2e import pilots
from tests.e2e.test_ingest import AS_OF, send
from tests.e2e.test_tax import holdings

pytestmark = pytest.mark.e2e


@pytest.fixture
async def app(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway's /v1 as the load app, which every pilot enterprise granted."""
    auth = platform.auth(chaos.LOAD_APP)
    async with httpx.AsyncClient(
        base_url=platform.gateway_url + "/v1", timeout=60, auth=auth
    ) as client:
        yield client


async def rated(platform: Platform, n: int, rating: str | None) -> str:
    """Pilot ``n`` registered, and its last return sent by the tax bureau (``None``: none)."""
    uscc = (await pilots.registered(platform, n))["uscc"]
    if rating is not None:
        data = {
            "uscc": uscc,
            "year": 2025,
            "revenue_fen": 10**9,
            "tax_paid_fen": 10**7,
            "credit_rating": rating,
        }
        record = {"record_id": f"T-{n}", "as_of": AS_OF.isoformat(), "data": data}
        sent = await send(platform, "tax-department", FactKind.TAX, record)
        assert (sent.status_code, sent.json()["outcome"]) == (200, "applied")
        assert (await holdings(platform, uscc))["tax"]["credit_rating"] == rating
    return uscc


async def asked(app: httpx.AsyncClient, uscc: str) -> dict[str, Any]:
    body = {
        "uscc": uscc,
        "topic": "service-item",
        "title": "Renew our tax certificate",
        "text": "Our certificate runs out at the end of the month.",
        "links": {"service_code": TAX_CERTIFICATE_ITEM},
    }
    answer = await app.post("/requests", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert answer.status_code == 201, answer.text
    view: dict[str, Any] = answer.json()
    return view


async def test_the_tax_certificate_is_granted_or_refused_at_once_from_the_bureaus_data(
    platform: Platform, app: httpx.AsyncClient
) -> None:
    handling = (await app.get(f"/services/{TAX_CERTIFICATE_ITEM}/handling")).json()
    assert (handling["handling"]["mode"], handling["department_code"]) == ("instant", "HZ-TAX")
    before = (await app.get("/stats")).json()["service_items_handled"]

    granted = await asked(app, await rated(platform, 8200, "A"))
    assert (granted["status"], granted["outcome"], granted["department"]) == (
        "answered",
        "granted",
        "HZ-TAX",
    )
    assert [(s["action"], s["actor"]) for s in granted["steps"]] == [
        ("submitted", chaos.LOAD_APP),
        ("answered", "platform"),
    ]
    trace = [(e["clause"], e["seen"], e["passed"]) for e in granted["decision"]["trace"]]
    assert trace[2:] == [("tax_credit", "A", True), ("credit", "allowed", True)]

    refused = await asked(app, await rated(platform, 8201, "C"))
    assert (refused["status"], refused["outcome"]) == ("answered", "refused")
    assert refused["decision"]["reasons"] == [
        "enterprise: a tax credit rating of A or B in its last return (seen: C)"
    ]
    assert refused["decision"]["reasons_zh"] == [
        "企业：最近一个纳税年度的纳税信用等级为A级或B级（实际：C）"
    ]

    unknown = await asked(app, await rated(platform, 8202, None))
    assert (unknown["status"], unknown["outcome"], unknown["department"]) == (
        "open",
        None,
        "HZ-TAX",
    )
    assert unknown["decision"]["outcome"] == "undecided"
    assert unknown["decision"]["reasons"] == [
        "enterprise: a tax credit rating of A or B in its last return (no record from HZ-TAX)"
    ]

    after = (await app.get("/stats")).json()["service_items_handled"]
    assert after - before == 2  # the two decided at once; the bureau's is not yet
