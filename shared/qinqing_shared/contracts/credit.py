"""Credit contracts: may this enterprise receive public funds?"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qinqing_shared.contracts.ingest import RecordId
from qinqing_shared.ids import Uscc

RecordKind = Literal["blacklist", "redlist", "commitment", "violation"]
# what departments file (commitments are the enterprise's own, made through the platform)
FiledKind = Literal["blacklist", "redlist", "violation"]
Grade = Literal["A", "B", "C", "D"]


class CreditRecordOut(BaseModel):
    kind: RecordKind
    department: str
    reason: str
    valid_from: dt.date
    valid_to: dt.date | None
    id: str | None = None  # "<department>:<its record id>" for a record a department filed
    lifted_on: dt.date | None = None  # credit repair: in force no more from this day


class CreditRecordIn(BaseModel):
    """A record a department files against (or for) an enterprise."""

    model_config = ConfigDict(extra="forbid")

    record_id: RecordId
    uscc: Uscc
    kind: FiledKind
    reason: str = Field(min_length=5, max_length=500)
    valid_from: dt.date
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _period(self) -> CreditRecordIn:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to is before valid_from")
        return self


class Filed(BaseModel):
    outcome: Literal["filed", "duplicate"]
    record: CreditRecordOut


class LiftIn(BaseModel):
    """Credit repair: the enterprise's repair commitment, and why the record is lifted."""

    model_config = ConfigDict(extra="forbid")

    repair_commitment: str = Field(min_length=10, max_length=2000)
    reason: str = Field(min_length=5, max_length=500)
    # the day the repair decision takes effect (the record is in force until the day
    # before); today if not given, never a day to come
    effective_on: dt.date | None = None


class Rating(BaseModel):
    """An enterprise's credit, computed from its records in force, explained."""

    uscc: str
    on: dt.date
    grade: Grade
    allowed: bool = Field(description="whether it may receive public funds")
    explanation: list[str]


class CreditCheckRequest(BaseModel):
    application_id: str
    uscc: Uscc
    on: dt.date


class CreditCheck(BaseModel):
    id: str
    application_id: str
    uscc: str
    allowed: bool
    fast_track: bool
    reasons: list[str]
    records: list[CreditRecordOut]
    # credit-svc's signature over the rest of the verdict; set on its answers only
    attestation: str | None = None

    def signed_content(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"attestation"})
