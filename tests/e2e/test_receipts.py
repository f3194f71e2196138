"""Signed decision receipts: a final application carries one, anyone verifies it offline
with the platform's JWKS, a changed one fails, and it is never an access token."""

from __future__ import annotations

import base64
import datetime as dt
import json
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import jwt
import pytest

from qinqing_devtools.platform import Platform
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.auth.scopes import API_AUDIENCE, OPERATIONS_READ
from qinqing_shared.auth.signing import digest
from qinqing_shared.auth.tokens import KIND_CLAIM
from tests.e2e import pilots

pytestmark = pytest.mark.e2e


def verify_offline(
    receipt: str, jwks: dict[str, object], folder: Path
) -> subprocess.CompletedProcess[str]:
    (folder / "receipt.jws").write_text(receipt, encoding="utf-8")
    (folder / "jwks.json").write_text(json.dumps(jwks), encoding="utf-8")
    command = [sys.executable, "-m", "qinqing_shared.receipts", "receipt.jws", "jwks.json"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True)


def changed(receipt: str, **claims: object) -> str:
    header, payload, signature = receipt.split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    forged = base64.urlsafe_b64encode(json.dumps(data | claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


async def test_a_paid_application_s_receipt_verifies_offline_and_a_changed_one_fails(
    platform: Platform, tmp_path: Path
) -> None:
    final = await pilots.applied(platform, 5801)
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        jwks = (await http.get("/.well-known/jwks.json")).json()
        as_token = await http.get(
            f"/v1/applications/{final['id']}",
            headers={"Authorization": f"Bearer {final['receipt']}"},
        )
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=30, auth=platform.auth("demo-operator")
    ) as ops:
        full = (await ops.get(f"/v1/applications/{final['id']}")).json()
    verified = verify_offline(final["receipt"], jwks, tmp_path)
    forged = verify_offline(changed(final["receipt"], amount_fen=10**9), jwks, tmp_path)
    assert final["status"] == "paid"
    assert verified.returncode == 0, verified.stderr
    claims = json.loads(verified.stdout)
    assert (claims["sub"], claims["status"], claims["amount_fen"]) == (
        final["id"],
        "paid",
        final["amount_fen"],
    )
    assert claims["decision_sha256"] == digest(full["decision"]), "binds the whole decision"
    assert claims["bank_reference"] == final["payout"]["bank_reference"]
    today = dt.date.today().isoformat()  # the pilot's departments sent their facts today
    assert claims["sources"] == [
        {"department": d, "as_of": today}
        for d in ("HZ-EDU", "HZ-HOU", "HZ-HRSS", "HZ-MSA", "HZ-PSB")
    ]
    assert full["receipt"] == final["receipt"], "one receipt per decision"
    assert forged.returncode == 1
    assert forged.stderr.startswith("INVALID")
    assert as_token.status_code == 401


async def test_the_receipt_key_never_signs_an_access_token(platform: Platform) -> None:
    """Its EdDSA key stands in the gateway's JWKS beside the token keys; the services
    take the platform's own tokens only as RS256."""
    ring = KeyRing(Path(platform.var) / "keys" / "gateway" / "receipts", "EdDSA")
    now = int(time.time())
    claims = {
        "iss": platform.gateway_url,
        "sub": "demo-operator",
        "client_id": "demo-operator",
        "aud": API_AUDIENCE,
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
        "scope": OPERATIONS_READ,
        KIND_CLAIM: "operator",
    }
    headers = {"kid": ring.current.kid, "typ": "at+jwt"}
    forged = jwt.encode(claims, ring.current.private, algorithm="EdDSA", headers=headers)
    async with httpx.AsyncClient(timeout=30) as http:
        answer = await http.get(
            platform.url("payment-svc") + "/outbox", headers={"Authorization": f"Bearer {forged}"}
        )
    assert answer.status_code == 401
