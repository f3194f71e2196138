"""The tax bureau sends its own facts to the running platform, by REST or on its NATS
feed, and the demo city's returns reach identity through it: what policies for small
enterprises and good taxpayers read (docs/data-exchange.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from typing import Any

import httpx
import pytest

from qinqing_devtools import chaos, feeds
from qinqing_devtools.platform import Platform
from qinqing_shared.contracts.ingest import FactKind
from tests.e2e import pilots
from tests.e2e.test_ingest import AS_OF, send
from tests.e2e.test_ingest_nats import publish

pytestmark = pytest.mark.e2e


def tax_return(uscc: str, record_id: str, rating: str = "A") -> dict[str, Any]:
    data = {
        "uscc": uscc,
        "year": 2025,
        "revenue_fen": 3_600_000_000,
        "tax_paid_fen": 108_000_000,
        "credit_rating": rating,
    }
    return {"record_id": record_id, "as_of": AS_OF.isoformat(), "data": data}


async def holdings(platform: Platform, uscc: str, within: float = 20) -> dict[str, Any]:
    """What the platform holds on ``uscc`` (as an operator), once a tax record is there."""
    auth = platform.auth("demo-operator")
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=10, auth=auth) as http:
        while True:
            held: dict[str, Any] = (await http.get(f"/v1/enterprises/{uscc}/holdings")).json()
            if held.get("tax") is not None or time.monotonic() > deadline:
                return held
            await asyncio.sleep(0.3)


async def test_the_tax_bureaus_return_is_held_with_its_source(platform: Platform) -> None:
    uscc = (await pilots.registered(platform, 8150))["uscc"]
    assert (await holdings(platform, uscc, within=0))["tax"] is None  # unknown till sent
    by_hrss = await send(platform, "hrss-department", FactKind.TAX, tax_return(uscc, "T-X"))
    taken = await send(platform, "tax-department", FactKind.TAX, tax_return(uscc, "T-8150"))
    assert by_hrss.status_code == 403
    assert (taken.status_code, taken.json()["outcome"]) == (200, "applied")
    assert (await holdings(platform, uscc))["tax"] == {
        "year": 2025,
        "revenue_fen": 3_600_000_000,
        "tax_paid_fen": 108_000_000,
        "credit_rating": "A",
        "prior_tax_paid_fen": None,  # the year before: not sent, unknown
        "source": {"department": "HZ-TAX", "record_id": "T-8150", "as_of": AS_OF.isoformat()},
    }


async def test_the_tax_bureaus_feed_on_nats_is_taken_as_its_own(platform: Platform) -> None:
    uscc = (await pilots.registered(platform, 8151))["uscc"]
    subject = "qinqing.ingest.HZ-TAX.tax.v1"
    await publish(platform, "tax-feed", subject, tax_return(uscc, "N-8151", rating="C"))
    held = await holdings(platform, uscc)
    assert held["tax"]["credit_rating"] == "C"
    assert held["tax"]["source"]["record_id"] == "N-8151"


async def test_the_demo_citys_returns_reach_identity_through_the_tax_bureau(
    platform: Platform,
) -> None:
    city = json.loads(platform.dataset().read_text(encoding="utf-8"))
    taxed = [e for e in city["enterprises"] if e.get("tax")][:3]
    untaxed = next(e for e in city["enterprises"] if e["status"] == "active" and not e.get("tax"))
    assert len(taxed) == 3
    for enterprise in taxed:
        held = (await holdings(platform, enterprise["uscc"], within=0))["tax"]
        sent = feeds.records([enterprise], dt.date.today())[FactKind.TAX][0]
        assert {k: held[k] for k in enterprise["tax"]} == enterprise["tax"]
        assert (held["source"]["department"], held["source"]["record_id"]) == (
            "HZ-TAX",
            sent["record_id"],
        )
    assert (await holdings(platform, untaxed["uscc"], within=0))["tax"] is None
    assert chaos.pilot_enterprise(8150).get("tax") is None  # pilots file no return
