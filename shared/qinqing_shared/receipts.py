"""Signed decision receipts: proof of a final decision anyone can verify offline.

Every final application (paid, rejected, clawed back) carries a receipt: a JWS (EdDSA)
over the decision (a digest of the decision with its trace), the policy version, the
amounts, the masked beneficiaries, the bank's reference, the clawback if there was one,
and the time. It is signed with a key of
its own, published in the platform's JWKS beside the token keys. Its ``typ`` is
``qinqing-receipt+jwt``, so no access-token verifier (``at+jwt`` only) takes it. Receipt
keys are rotated, never retired: an old receipt always verifies.

Verify one offline, with the JWKS saved from ``<gateway>/.well-known/jwks.json``::

    python -m qinqing_shared.receipts RECEIPT_FILE JWKS_FILE
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import jwt

from qinqing_shared.auth.keys import KeyRing

RECEIPT_TYPE = "qinqing-receipt+jwt"


def sign(ring: KeyRing, claims: dict[str, Any]) -> str:
    """A receipt over ``claims`` (the gateway builds them from a final answer)."""
    key = ring.current
    payload = claims | {"iat": int(dt.datetime.now(dt.UTC).timestamp())}
    headers = {"kid": key.kid, "typ": RECEIPT_TYPE}
    return jwt.encode(payload, key.private, algorithm=key.algorithm, headers=headers)


def verify(receipt: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The receipt's claims; ``jwt.InvalidTokenError`` when it is not a valid receipt."""
    header = jwt.get_unverified_header(receipt)
    if header.get("typ") != RECEIPT_TYPE:
        raise jwt.InvalidTokenError("not a Qinqing decision receipt")
    keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(jwks).keys}
    key = keys.get(str(header.get("kid")))
    if key is None:
        raise jwt.InvalidTokenError("signed with a key the JWKS does not hold")
    claims: dict[str, Any] = jwt.decode(receipt, key, algorithms=["EdDSA"])
    return claims


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m qinqing_shared.receipts RECEIPT_FILE JWKS_FILE", file=sys.stderr)
        return 2
    receipt = Path(args[0]).read_text(encoding="utf-8").strip()
    jwks = json.loads(Path(args[1]).read_text(encoding="utf-8"))
    try:
        claims = verify(receipt, jwks)
    except (jwt.InvalidTokenError, jwt.PyJWKSetError, ValueError) as exc:
        print(f"INVALID: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(claims, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
