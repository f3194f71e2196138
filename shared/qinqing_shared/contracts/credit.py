"""Credit contracts: may this enterprise receive public funds?"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel

from qinqing_shared.ids import Uscc

RecordKind = Literal["blacklist", "redlist", "commitment", "violation"]


class CreditRecordOut(BaseModel):
    kind: RecordKind
    department: str
    reason: str
    valid_from: dt.date
    valid_to: dt.date | None


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
