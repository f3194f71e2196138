"""Tokens and signatures for services under test: a test issuer and test signers.

A service under test trusts this module's issuer and its peers' test keys instead of the
gateway's and its peers' (which do not run here); each test sends the token of the
caller it plays: the gateway, an operator, a department.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from qinqing_gateway.oauth.issuer import Grant, Issuer
from qinqing_shared.auth.jwks import JwksCache
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.auth.scopes import API_AUDIENCE, KIND_SCOPES
from qinqing_shared.auth.signing import Signer

ISSUER = "http://test-issuer"
_KEYS = Path(tempfile.mkdtemp(prefix="qinqing-test-keys-"))
_ISSUER = Issuer(ISSUER, KeyRing(_KEYS / "issuer", "RS256"))
SIGNERS = {
    name: Signer(name, KeyRing(_KEYS / name, "EdDSA"))
    for name in ("identity-svc", "catalog-svc", "credit-svc", "subsidy-svc")
}


def trust_test_issuer(app: FastAPI) -> FastAPI:
    """The app's verifier takes this module's tokens (and no other issuer's)."""
    cache = JwksCache(ISSUER + "/.well-known/jwks.json")
    cache.load(_ISSUER.ring.jwks())
    app.state.verifier.issuers = {ISSUER: cache}
    app.state.verifier.own = ISSUER  # it stands for the platform's own issuer
    return app


def trust_test_keys(app: FastAPI) -> FastAPI:
    """A service app trusts the test issuer, and its peers' test signers."""
    trust_test_issuer(app)
    runtime = app.state.runtime
    if runtime.attestations is not None:
        for name, peer in runtime.attestations.peers.items():
            peer.load(SIGNERS[name].ring.jwks())
    return app


def bearer(grant: Grant) -> dict[str, str]:
    return {"Authorization": f"Bearer {_ISSUER.issue(grant, 300)}"}


def as_gateway(service: str) -> dict[str, str]:
    return bearer(Grant("gateway", "service", (), service))


def as_operator() -> dict[str, str]:
    scopes = tuple(sorted(KIND_SCOPES["operator"]))
    return bearer(Grant("test-operator", "operator", scopes, API_AUDIENCE))


def as_department(code: str) -> dict[str, str]:
    scopes = tuple(sorted(KIND_SCOPES["department"]))
    return bearer(Grant(f"test-{code}", "department", scopes, API_AUDIENCE, department=code))


def payout_order(body: dict[str, Any]) -> str:
    """subsidy-svc's order for exactly ``body``, with identity-svc's proof of its payee."""
    proof = SIGNERS["identity-svc"].sign({"sub": body["uscc"], "payee": body["payee"]})
    claims = {
        "sub": body["application_id"],
        "policy_id": body["policy_id"],
        "policy_version": 1,
        "uscc": body["uscc"],
        "amount_fen": body["amount_fen"],
        "currency": body.get("currency", "CNY"),
        "payee": proof,
    }
    return SIGNERS["subsidy-svc"].sign(claims, audience="payment-svc")


def new_id() -> str:
    return str(uuid.uuid4())
