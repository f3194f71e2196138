"""Structured logs on the running platform: JSON lines, one request id through every
service an application passes, the application's id beside it, no personal data."""

from __future__ import annotations

import asyncio
import json
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform

pytestmark = pytest.mark.e2e


def lines_of(platform: Platform, process: str) -> list[dict[str, Any]]:
    text = (Path(platform.var) / "logs" / f"{process}.log").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]


async def access_lines(platform: Platform, process: str, request_id: str) -> list[dict[str, Any]]:
    for _ in range(50):
        found = [
            line
            for line in lines_of(platform, process)
            if line.get("request_id") == request_id and line["logger"] == "qinqing.access"
        ]
        if found:
            return found
        await asyncio.sleep(0.1)
    return []


async def test_one_request_id_follows_an_application_through_every_service(
    platform: Platform,
) -> None:
    body = chaos.pilot_enterprise(5401)
    await chaos.register(platform, [body])
    request_id = f"e2e-{uuid.uuid4().hex}"
    headers = {"Idempotency-Key": str(uuid.uuid4()), "X-Request-Id": request_id}
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=60, auth=platform.auth(chaos.LOAD_APP)
    ) as client:
        answer = await client.post(chaos.POLICY_PATH, json={"uscc": body["uscc"]}, headers=headers)
    assert answer.headers["x-request-id"] == request_id
    application_id = answer.json()["id"]
    # one answered line (a client may have sent the same request again after a 401)
    gateway = [g for g in await access_lines(platform, "gateway", request_id) if g["status"] == 200]
    assert [(g["route"], g.get("application_id")) for g in gateway] == [
        ("/v1/policies/{policy_id}/applications", application_id)
    ]
    for service, route in [
        ("identity-svc", "/enterprises/{uscc}/profile"),
        ("subsidy-svc", "/applications"),
        ("credit-svc", "/checks"),
        ("payment-svc", "/payouts"),
    ]:
        routes = {line["route"] for line in await access_lines(platform, service, request_id)}
        assert route in routes, (service, routes)
    person = body["employees"][0]["id_number"]
    for process in ("gateway", "identity-svc", "subsidy-svc", "payment-svc"):
        log = (Path(platform.var) / "logs" / f"{process}.log").read_text(encoding="utf-8")
        assert person not in log, f"{process} logged an ID number"


async def test_a_request_id_that_is_not_sane_is_replaced(platform: Platform) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as client:
        answer = await client.get("/v1/stats", headers={"X-Request-Id": "a b\tc" + "x" * 80})
    given = answer.headers["x-request-id"]
    assert len(given) == 32
    assert int(given, 16) >= 0  # a fresh hex id, not what was sent
