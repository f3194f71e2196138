"""The public /v1 API models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qinqing_shared.contracts.catalog import MAX_VERSION
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.money import Currency, Fen
from qinqing_shared.contracts.subsidy import Beneficiary, Decision
from qinqing_shared.ids import IdNumber, Uscc


class ApplyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    uscc: Uscc = Field(description="The enterprise's Unified Social Credit Code")


class PayoutView(BaseModel):
    id: str
    bank_reference: str | None
    completed_at: dt.datetime | None
    offset_fen: Fen = Field(
        0,
        description="set off against what the enterprise owed back (a clawback); the bank "
        "paid the rest of amount_fen",
    )


class ClawbackView(BaseModel):
    """Why and when a paid application's money was demanded back."""

    commitment_id: str = Field(description="the credit commitment found broken")
    reason: str
    amount_fen: Fen = Field(description="what the enterprise owes back")
    clawed_back_at: dt.datetime


class ApplicationView(BaseModel):
    id: str
    policy_id: str
    uscc: str
    status: Literal["processing", "paid", "rejected", "clawed_back"]
    amount_fen: Fen
    currency: Currency
    applied_on: dt.date
    beneficiaries: list[Beneficiary]
    decision: Decision | None
    payout: PayoutView | None = None
    clawback: ClawbackView | None = None  # status clawed_back only
    # a final answer's decision receipt, signed by the platform (qinqing_shared.receipts)
    receipt: str | None = None


class PersonLookup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: IdNumber = Field(description="Resident ID number (GB 11643-1999)")


class SimulateRequest(BaseModel):
    """A real enterprise (by USCC, one that granted the caller access) or made-up facts."""

    model_config = ConfigDict(extra="forbid")

    uscc: Uscc | None = Field(None, description="a real enterprise, as identity-svc holds it")
    enterprise: EnterpriseProfile | None = Field(
        None, description="made-up facts: decided as given, kept nowhere"
    )
    on: dt.date | None = Field(None, description="the day to decide on (default: today)")
    draft: int | None = Field(
        None,
        ge=1,
        le=MAX_VERSION,
        description="a department's own draft version, previewed on made-up facts",
    )

    @model_validator(mode="after")
    def _one_enterprise(self) -> SimulateRequest:
        if (self.uscc is None) == (self.enterprise is None):
            raise ValueError("name a real enterprise (uscc) or give made-up facts (enterprise)")
        if self.draft is not None and self.enterprise is None:
            raise ValueError("a draft is previewed on made-up facts (enterprise) only")
        return self
