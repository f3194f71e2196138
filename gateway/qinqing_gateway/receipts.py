"""The decision receipt of a final application (see qinqing_shared.receipts)."""

from __future__ import annotations

from typing import Any

from qinqing_gateway.access import public_reasons
from qinqing_shared import receipts
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.auth.signing import digest
from qinqing_shared.contracts.identity import FactSource


class ReceiptDesk:
    """Signs the receipts of final answers with the gateway's receipt key."""

    def __init__(self, ring: KeyRing, issuer: str) -> None:
        self.ring = ring
        self.issuer = issuer

    def receipt(self, view: dict[str, Any]) -> str:
        """What was decided, for whom and under which policy version, paid how much:
        readable by anyone who holds it, so no person's own values (the decision itself
        is bound by its digest), and of the facts' sources the departments and the dates
        they were true as of, not the records (a record id follows a person)."""
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
            "sources": sources_of(decision.get("trace", [])),
            "decision_sha256": digest(decision),
            "bank_reference": payout.get("bank_reference"),
        }
        if payout.get("offset_fen"):  # part of it settled what the enterprise owed back
            claims["offset_fen"] = payout["offset_fen"]
        if view.get("clawback") is not None:  # paid, then its commitment was broken
            claims["clawback"] = view["clawback"]
        return receipts.sign(self.ring, claims)


def sources_of(trace: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Each department whose facts the decision read, with each as-of date, once."""
    cited = (FactSource.cited(str(entry.get("source") or "")) for entry in trace)
    found = {(c.department, c.as_of.isoformat()) for c in cited if c is not None}
    return [{"department": d, "as_of": as_of} for d, as_of in sorted(found)]
