"""The authorization server's signing key rotated and retired on the running platform.

``gateway keys rotate``: the new key signs at once, tokens signed with the old one keep
working, and the flow goes on (the gateway's own service tokens are signed anew).
``gateway keys retire KID``: refused while tokens the key signed may live, and with
``--now`` (a leaked key) what it signed is refused by the gateway at once and by every
service once its key cache is read again (2 s here, 5 minutes by default).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys

import httpx
import jwt
import pytest

from qinqing_devtools import clients
from qinqing_devtools.platform import Platform
from tests.e2e import pilots

pytestmark = pytest.mark.e2e


def gateway_keys(platform: Platform, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "qinqing_gateway.cli", "keys", *args],
        env=platform.env(),
        capture_output=True,
        text=True,
    )


def operator_token(platform: Platform) -> str:
    secret = platform.credentials("demo-operator")["client_secret"]
    return clients.fetch_token(platform.gateway_url, "demo-operator", secret)


async def statuses(platform: Platform, token: str) -> tuple[int, int]:
    """(gateway, payment-svc) answers to an operator's reads with ``token``."""
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(timeout=30, headers=headers) as http:
        at_gateway = await http.get(platform.gateway_url + "/v1/ledger/balance")
        at_payment = await http.get(platform.url("payment-svc") + "/outbox")
    return at_gateway.status_code, at_payment.status_code


async def published_kids(platform: Platform, count: int) -> list[str]:
    """The JWKS's token key ids (RS256; the receipt keys beside them are EdDSA) once it
    lists ``count`` of them (a ring is read again each second)."""
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        for _ in range(50):
            keys = (await http.get("/.well-known/jwks.json")).json()["keys"]
            kids = [k["kid"] for k in keys if k["alg"] == "RS256"]
            if len(kids) == count:
                return kids
            await asyncio.sleep(0.1)
    return kids


async def pay_one(platform: Platform, n: int) -> str:
    return str((await pilots.applied(platform, n))["status"])


async def test_a_rotated_key_signs_at_once_and_a_retired_one_stops_verifying(
    platform: Platform,
) -> None:
    before = await published_kids(platform, 1)
    old_token = operator_token(platform)
    assert jwt.get_unverified_header(old_token)["kid"] == before[0]

    rotated = gateway_keys(platform, "rotate")
    assert rotated.returncode == 0, rotated.stderr
    after = await published_kids(platform, 2)
    new_token = operator_token(platform)
    assert after[0] == before[0]
    assert jwt.get_unverified_header(new_token)["kid"] == after[1]
    assert await statuses(platform, old_token) == (200, 200)
    assert await statuses(platform, new_token) == (200, 200)
    assert await pay_one(platform, 5101) == "paid"

    early = gateway_keys(platform, "retire", before[0])
    assert early.returncode != 0
    assert "may be in use" in early.stderr
    retired = gateway_keys(platform, "retire", before[0], "--now")
    assert retired.returncode == 0, retired.stderr
    assert await published_kids(platform, 1) == [after[1]]
    at_gateway, _ = await statuses(platform, old_token)
    assert at_gateway == 401
    for _ in range(50):  # payment-svc reads the gateway's keys again within 2 s
        if await statuses(platform, old_token) == (401, 401):
            break
        await asyncio.sleep(0.1)
    assert await statuses(platform, old_token) == (401, 401)
    assert await statuses(platform, new_token) == (200, 200)
    assert await pay_one(platform, 5102) == "paid"
