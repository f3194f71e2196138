"""What payment-svc believes before money moves: a signed order, a signed bank word.

- A payout is paid only as subsidy-svc ordered it (its signature, audience payment-svc)
  and only to the account identity-svc signed for that enterprise.
- A bank confirmation counts only with the bank's HMAC signature (``X-Bank-Signature:
  t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``, at most 5 minutes old); even then
  the desk asks the bank for the instruction's status before applying anything.
"""

from __future__ import annotations

import hmac
import time
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel, ValidationError

from payment_svc.bank.connector import Receipt
from payment_svc.errors import BankSignatureInvalid, InvalidConfirmation, OrderMismatch
from qinqing_shared.auth.signing import AttestationVerifier
from qinqing_shared.contracts import bank
from qinqing_shared.contracts.payment import PayoutRequest
from qinqing_shared.problems import Problem

SIGNATURE_TOLERANCE_SECONDS = 300


M = TypeVar("M", bound=BaseModel)


def _mismatch(detail: str) -> Problem:
    return OrderMismatch(detail)


async def verify_order(checks: AttestationVerifier, body: PayoutRequest) -> None:
    """Refuse (422) a payout that is not exactly what subsidy-svc ordered."""
    order = await checks.verify(body.order, "subsidy-svc", "The payout order", "payment-svc")
    asked = {
        "sub": body.application_id,
        "policy_id": body.policy_id,
        "uscc": body.uscc,
        "amount_fen": body.amount_fen,
        "currency": body.currency,
    }
    differ = sorted(k for k, v in asked.items() if order.get(k) != v)
    if differ:
        raise _mismatch(f"These fields differ from the signed order: {', '.join(differ)}.")
    payee = await checks.verify(order.get("payee"), "identity-svc", "The payee account")
    if payee.get("sub") != body.uscc or payee.get("payee") != body.payee.model_dump():
        raise _mismatch("The payee account is not the one identity-svc holds for this USCC.")


def _refused(detail: str) -> Problem:
    return BankSignatureInvalid(detail)


async def verified_receipt(request: Request, header: str | None) -> Receipt:
    """A confirmation the bank signed (of an instruction's status)."""
    return await verified(request, header, Receipt)


async def verified(request: Request, header: str | None, model: type[M]) -> M:
    """A notification the bank signed (HMAC of ``"<t>.<body>"``, within the tolerance),
    read as ``model``."""
    secret: str | None = request.app.state.runtime.settings.bank_webhook_secret
    if not secret:
        raise _refused("No bank secret is configured: confirmations cannot be checked.")
    parts = dict(p.split("=", 1) for p in (header or "").split(",") if "=" in p)
    body = await request.body()
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError as exc:
        raise _refused("Send X-Bank-Signature: t=<unix time>,v1=<HMAC-SHA256>.") from exc
    if abs(time.time() - timestamp) > SIGNATURE_TOLERANCE_SECONDS:
        raise _refused("The signature is too old (or from the future).")
    if not hmac.compare_digest(  # bytes: any header text compares
        bank.signature(secret, timestamp, body).encode(), (header or "").encode()
    ):
        raise _refused("The signature does not match the body.")
    try:
        return model.model_validate_json(body)
    except ValidationError as exc:
        raise InvalidConfirmation(str(exc)) from exc
