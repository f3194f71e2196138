"""The audit log: records from every service, one hash chain, read by the enterprise."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from qinqing_devtools import clients
from qinqing_devtools.platform import SERVICES, Platform
from qinqing_shared.db import create_engine
from tests.e2e.test_access import as_

pytestmark = pytest.mark.e2e
ENTERPRISE = clients.OTHER_ENTERPRISE  # its employees fail the rules: nothing is paid


async def records(http: httpx.AsyncClient, platform: Platform, who: str) -> httpx.Response:
    return await http.get(f"/v1/enterprises/{ENTERPRISE}/audit", headers=as_(platform, who))


async def until_recorded(http: httpx.AsyncClient, platform: Platform) -> list[dict[str, Any]]:
    for _ in range(50):
        found: list[dict[str, Any]] = (await records(http, platform, "other-enterprise")).json()
        if any(r["action"] == "profile.read" for r in found):
            return found
        await asyncio.sleep(0.2)
    raise AssertionError("the profile read never reached the audit chain")


async def test_an_enterprise_sees_who_read_its_data_and_the_chain_holds(
    platform: Platform,
) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        applied = await http.post(
            "/v1/policies/hz-rental-subsidy-2026/applications",
            json={"uscc": ENTERPRISE},
            headers=as_(platform, "demo-app") | {"Idempotency-Key": str(uuid.uuid4())},
        )
        assert applied.status_code == 200, applied.text
        found = await until_recorded(http, platform)
        stranger = await records(http, platform, "demo-enterprise")
        app = await records(http, platform, "demo-app")
        operator = as_(platform, "demo-operator")
        verified = (
            await http.get(platform.url("identity-svc") + "/audit/verification", headers=operator)
        ).json()
    read = next(r for r in found if r["action"] == "profile.read")
    assert (read["actor"], read["on_behalf_of"], read["object_id"]) == (
        "gateway",
        "demo-app",
        ENTERPRISE,
    )
    assert (stranger.status_code, app.status_code) == (403, 403)
    assert verified["intact"] is True
    assert verified["entries"] >= 1


async def test_a_changed_entry_breaks_the_chain_where_it_was_changed(platform: Platform) -> None:
    operator = as_(platform, "demo-operator")
    url = platform.url("identity-svc") + "/audit/verification"
    async with httpx.AsyncClient(timeout=30) as http:
        before = (await http.get(url, headers=operator)).json()
        assert before["intact"] and before["entries"] >= 1
        identity = next(s for s in SERVICES if s.module == "identity_svc")
        engine = create_engine(platform.database_url(identity))
        change = text("UPDATE audit_entries SET actor = :actor WHERE seq = 1")
        try:
            async with engine.begin() as conn:
                actor = (
                    await conn.execute(text("SELECT actor FROM audit_entries WHERE seq = 1"))
                ).scalar_one()
                await conn.execute(change, {"actor": "someone-else"})
            after = (await http.get(url, headers=operator)).json()
        finally:
            async with engine.begin() as conn:  # put it back, for the tests after this one
                await conn.execute(change, {"actor": actor})
            await engine.dispose()
    assert (after["intact"], after["first_broken"]) == (False, 1)
