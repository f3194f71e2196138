"""Published policies listed and searched by anyone, without their rules."""

from __future__ import annotations

import httpx
import pytest

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
