"""Answers a service signs and its peers verify: a payee account, a payout order, a verdict.

An attestation is a compact JWS (EdDSA) by the service that owns the data. For a large
answer (a profile, a policy) it carries the SHA-256 of the answer's canonical JSON, so
the receiver checks the very object it was handed; for a small one (an order) it
carries the values themselves. Peers' public keys come from each signer's
``/.well-known/jwks.json``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import jwt

from qinqing_shared.auth.jwks import JwksCache, JwksUnavailable
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.problems import Problem

ATTESTATION_TYPE = "qinqing-attestation+jwt"
# An attestation outlives any flow that uses it: a flow older than this is refused.
ATTESTATION_TTL = dt.timedelta(hours=24)


def digest(data: Any) -> str:
    """SHA-256 of the canonical JSON of ``data`` (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


class Signer:
    def __init__(self, issuer: str, ring: KeyRing) -> None:
        self.issuer = issuer
        self.ring = ring

    def sign(self, claims: dict[str, Any], audience: str | None = None) -> str:
        now = dt.datetime.now(dt.UTC)
        payload = claims | {"iss": self.issuer, "iat": now, "exp": now + ATTESTATION_TTL}
        if audience:
            payload["aud"] = audience
        key = self.ring.current
        headers = {"kid": key.kid, "typ": ATTESTATION_TYPE}
        return jwt.encode(payload, key.private, algorithm=key.algorithm, headers=headers)


def refused(detail: str) -> Problem:
    return Problem(422, "attestation-invalid", "Signature not accepted", detail)


async def _key(jwks: JwksCache, kid: str, issuer: str) -> jwt.PyJWK | None:
    try:
        return await jwks.key(kid)
    except JwksUnavailable as exc:
        problem = Problem(
            503,
            "signer-keys-unavailable",
            "Signature cannot be checked yet",
            f"The keys of {issuer} could not be fetched; retry later.",
        )
        problem.headers = {"Retry-After": "2"}
        raise problem from exc


class AttestationVerifier:
    """Verifies attestations of the named peers (service name -> its JWKS)."""

    def __init__(self, peers: dict[str, JwksCache]) -> None:
        self.peers = peers

    async def verify(
        self, token: str | None, issuer: str, what: str, audience: str | None = None
    ) -> dict[str, Any]:
        """The claims, or 422 ``attestation-invalid`` saying what was refused."""
        jwks = self.peers.get(issuer)
        if token is None or jwks is None:
            raise refused(f"{what} carries no signature of {issuer}.")
        try:
            header = jwt.get_unverified_header(token)
            key = await _key(jwks, str(header.get("kid", "")), issuer)
            if key is None or header.get("typ") != ATTESTATION_TYPE:
                raise refused(f"{what} is not signed by a key of {issuer}.")
            options = {"require": ["iss", "iat", "exp"], "verify_aud": audience is not None}
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["EdDSA"],
                issuer=issuer,
                audience=audience,
                options=options,  # type: ignore[arg-type]
            )
        except jwt.InvalidTokenError as exc:
            raise refused(f"{what}: the signature of {issuer} does not verify ({exc}).") from exc
        return claims

    async def verify_digest(
        self, token: str | None, issuer: str, what: str, subject: str, data: Any
    ) -> dict[str, Any]:
        """Claims of an attestation that covers exactly ``data`` about ``subject``."""
        claims = await self.verify(token, issuer, what)
        if claims.get("sub") != subject or claims.get("sha256") != digest(data):
            raise refused(f"{what} was changed after {issuer} signed it.")
        return claims

    async def aclose(self) -> None:
        for jwks in self.peers.values():
            await jwks.aclose()
