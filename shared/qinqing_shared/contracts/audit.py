"""The audit record every service publishes (``qinqing.<domain>.audit.recorded.v1``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

DOMAINS = ("identity", "catalog", "subsidy", "credit", "payment")


def audit_subject(domain: str) -> str:
    return f"qinqing.{domain}.audit.recorded.v1"


class AuditRecord(BaseModel):
    """One accountable act (no unmasked personal data: objects are named by id)."""

    actor: str = Field(description="the client that acted (its token's client_id)")
    on_behalf_of: str | None = Field(None, description="the caller a service acted for")
    action: str = Field(description="e.g. profile.read, payee.changed, payout.completed")
    object_type: str
    object_id: str
    uscc: str | None = Field(None, description="the enterprise whose data or money it is")
    outcome: str = "ok"
    at: dt.datetime
