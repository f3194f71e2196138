"""The decision receipt of a final application (see qinqing_shared.receipts)."""

from __future__ import annotations

from typing import Any

from qinqing_gateway.access import public_reasons
from qinqing_shared import receipts
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.auth.signing import digest


class ReceiptDesk:
    """Signs the receipts of final answers with the gateway's receipt key."""

    def __init__(self, ring: KeyRing, issuer: str) -> None:
        self.ring = ring
        self.issuer = issuer

    def receipt(self, view: dict[str, Any]) -> str:
        """What was decided, for whom and under which policy version, paid how much:
        readable by anyone who holds it, so no person's own values (the decision itself
        is bound by its digest)."""
        decision = view.get("decision") or {}
        payout = view.get("payout") or {}
        claims = {
            "iss": self.issuer,
            "sub": view["id"],
            "uscc": view["uscc"],
            "status": view["status"],
            "policy_id": view["policy_id"],
            "policy_version": decision.get("policy_version"),
            "applied_on": view["applied_on"],
            "amount_fen": view["amount_fen"],
            "currency": view["currency"],
            "beneficiaries": view["beneficiaries"],
            "reasons": public_reasons(decision.get("reasons", [])),
            "decision_sha256": digest(decision),
            "bank_reference": payout.get("bank_reference"),
        }
        return receipts.sign(self.ring, claims)
