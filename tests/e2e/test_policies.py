"""Published policies listed and searched by anyone, without their rules."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from qinqing_devtools import clients
from qinqing_devtools.platform import Platform

pytestmark = pytest.mark.e2e


async def test_policies_are_listed_and_searched_by_name_and_department(
    platform: Platform,
) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway_url + "/v1", timeout=30) as http:
        rental = (await http.get("/policies", params={"q": "RENTAL"})).json()
        by_department = (await http.get("/policies", params={"department": "HZ-HRSS"})).json()
        other = (await http.get("/policies", params={"department": "HZ-EDU"})).json()
        nothing = (await http.get("/policies", params={"q": "no such policy %_"})).json()
        too_long = await http.get("/policies", params={"q": "x" * 101})
    ids = [p["id"] for p in rental["items"]]
    assert "hz-rental-subsidy-2026" in ids
    assert "rules" not in rental["items"][0]
    assert all(p["department_code"] == "HZ-HRSS" for p in by_department["items"])
    assert by_department["total"] == len(by_department["items"]) >= 1
    assert (other["total"], nothing["total"]) == (0, 0)
    assert too_long.status_code == 422


async def test_a_new_version_is_served_at_once_not_when_the_gateway_s_copy_ages(
    platform: Platform,
) -> None:
    """The gateway keeps a policy up to 30 s, but drops it when catalog-svc publishes a
    new version: the next read has the new version within moments, not 30 s."""
    secret = platform.credentials("hrss-department")["client_secret"]
    hrss = {
        "Authorization": "Bearer "
        + clients.fetch_token(platform.gateway_url, "hrss-department", secret)
    }
    catalog = platform.url("catalog-svc") + "/policies"
    async with httpx.AsyncClient(timeout=30) as http:
        rental = (await http.get(f"{catalog}/hz-rental-subsidy-2026")).json()
        first = rental | {"id": CACHED, "name": "Cache test subsidy", "attestation": None}
        first["version"] = 1
        published = await http.put(f"{catalog}/{CACHED}", json=first, headers=hrss)
        served = (await http.get(f"{platform.gateway_url}/v1/policies/{CACHED}")).json()
        amended = await http.put(f"{catalog}/{CACHED}", json=first | {"version": 2}, headers=hrss)
        versions = [served["version"]]
        deadline = time.monotonic() + 5
        while versions[-1] == 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            answer = await http.get(f"{platform.gateway_url}/v1/policies/{CACHED}")
            versions.append(answer.json()["version"])
    assert (published.status_code, amended.status_code) == (200, 200)
    assert versions[0] == 1
    assert versions[-1] == 2


CACHED = "hz-cache-test-2026"
