"""A city's own identity provider, as the platform sees one: an OpenID Connect issuer
with a discovery document and a JWKS, served over HTTP by a process of its own, and
the private key to mint its access tokens with (RFC 9068, the platform's claims added
as an identity provider's claim mappers would)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt

from qinqing_devtools.nats_server import free_port
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.auth.scopes import API_AUDIENCE
from qinqing_shared.auth.tokens import DEPARTMENT_CLAIM, KIND_CLAIM, USCC_CLAIM


class CityIdentityProvider:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}/realms/hangzhou"
        self.ring = KeyRing(folder / "keys", "RS256")
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        site = self.folder / "site"
        realm = site / "realms" / "hangzhou"
        (realm / ".well-known").mkdir(parents=True, exist_ok=True)
        discovery = {
            "issuer": self.issuer,
            "jwks_uri": self.issuer + "/protocol/openid-connect/certs",
            "token_endpoint": self.issuer + "/protocol/openid-connect/token",
        }
        (realm / ".well-known" / "openid-configuration").write_text(json.dumps(discovery))
        (realm / "protocol" / "openid-connect").mkdir(parents=True, exist_ok=True)
        certs = realm / "protocol" / "openid-connect" / "certs"
        certs.write_text(json.dumps(self.ring.jwks()))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1"],
            cwd=site,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if httpx.get(discovery["jwks_uri"]).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("the test identity provider did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def mint(
        self,
        kind: str,
        scopes: list[str],
        key: Any = None,
        audience: str = API_AUDIENCE,
        **extra: str,
    ) -> str:
        """An access token of this provider for a caller of ``kind`` (``key``: sign with
        another key, one the provider never published)."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": f"city-{kind}-{uuid.uuid4().hex[:8]}",
            "client_id": extra.get("client_id", f"city-{kind}"),
            "aud": audience,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
            "scope": " ".join(scopes),
            KIND_CLAIM: kind,
        }
        if "uscc" in extra:
            claims[USCC_CLAIM] = extra["uscc"]
        if "department" in extra:
            claims[DEPARTMENT_CLAIM] = extra["department"]
        signing = self.ring.current
        headers = {"kid": signing.kid, "typ": "at+jwt"}
        return jwt.encode(claims, key or signing.private, algorithm="RS256", headers=headers)
