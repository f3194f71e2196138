"""Issuing RFC 9068 JWT access tokens, signed RS256 with the newest key of the ring."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from dataclasses import dataclass

import jwt

from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.auth.tokens import DEPARTMENT_CLAIM, KIND_CLAIM, USCC_CLAIM

# Outside callers' tokens live 15 minutes; a service's token 5 minutes.
CALLER_TOKEN_SECONDS = 900  # also how long a retired key waits (gateway keys retire)
SERVICE_TOKEN_SECONDS = 300


@dataclass(frozen=True)
class Grant:
    """Who a token is for and what it allows."""

    client_id: str
    kind: str
    scopes: tuple[str, ...]
    audience: str
    uscc: str | None = None
    department: str | None = None
    subject: str | None = None  # a signed-in person; else the client itself


class Issuer:
    def __init__(self, issuer_url: str, ring: KeyRing) -> None:
        self.url = issuer_url
        self.ring = ring

    def issue(self, grant: Grant, lifetime: int) -> str:
        now = int(time.time())
        claims: dict[str, object] = {
            "iss": self.url,
            "sub": grant.subject or grant.client_id,
            "client_id": grant.client_id,
            "aud": grant.audience,
            "iat": now,
            "nbf": now,
            "exp": now + lifetime,
            "jti": uuid.uuid4().hex,
            "scope": " ".join(grant.scopes),
            KIND_CLAIM: grant.kind,
        }
        if grant.uscc:
            claims[USCC_CLAIM] = grant.uscc
        if grant.department:
            claims[DEPARTMENT_CLAIM] = grant.department
        key = self.ring.current
        headers = {"kid": key.kid, "typ": "at+jwt"}
        return jwt.encode(claims, key.private, algorithm=key.algorithm, headers=headers)


class ServiceTokens:
    """The gateway's own tokens for the services it calls, one per audience, reused
    until a minute before they expire."""

    def __init__(self, issuer: Issuer, client_id: str) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self._cache: dict[str, tuple[str, float, str]] = {}

    def for_service(self, audience: str) -> str:
        kid = self.issuer.ring.current.kid
        token, expires, signed_by = self._cache.get(audience, ("", 0.0, ""))
        if time.monotonic() > expires - 60 or signed_by != kid:  # a rotation: sign anew
            grant = Grant(self.client_id, "service", (), audience)
            token = self.issuer.issue(grant, SERVICE_TOKEN_SECONDS)
            self._cache[audience] = (token, time.monotonic() + SERVICE_TOKEN_SECONDS, kid)
        return token


def expiry_of(claims: dict[str, object]) -> dt.datetime:
    exp = claims.get("exp")
    return dt.datetime.fromtimestamp(int(exp) if isinstance(exp, int) else 0, dt.UTC)
