"""The public /v1 API models."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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


class ApplicationView(BaseModel):
    id: str
    policy_id: str
    uscc: str
    status: Literal["processing", "paid", "rejected"]
    amount_fen: Fen
    currency: Currency
    applied_on: dt.date
    beneficiaries: list[Beneficiary]
    decision: Decision | None
    payout: PayoutView | None = None


class PersonLookup(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id_number: IdNumber = Field(description="Resident ID number (GB 11643-1999)")
