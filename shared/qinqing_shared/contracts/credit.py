"""Credit contracts: may this enterprise receive public funds?"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qinqing_shared.contracts.ingest import RecordId
from qinqing_shared.ids import IdNumber, Uscc

RecordKind = Literal["blacklist", "redlist", "commitment", "violation"]
# what departments file (commitments are the enterprise's own, made through the platform)
FiledKind = Literal["blacklist", "redlist", "violation"]
Grade = Literal["A", "B", "C", "D"]
Outcome = Literal["open", "kept", "broken", "lapsed"]
Verdict = Literal["kept", "broken", "lapsed"]
Clause = Field(max_length=60, pattern=r"^[a-z0-9_]+$")


class CreditRecordOut(BaseModel):
    kind: RecordKind
    department: str
    reason: str
    valid_from: dt.date
    valid_to: dt.date | None
    id: str | None = None  # "<department>:<its record id>" for a record a department filed
    lifted_on: dt.date | None = None  # credit repair: in force no more from this day
    # a commitment: its policy and clause, verified (closed) on this day with this outcome
    policy_id: str | None = None
    clause: str | None = None
    outcome: Outcome | None = None
    closed_on: dt.date | None = None
    commitment_id: str | None = None  # a violation filed because this commitment broke


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
    reasons_zh: list[str] = []  # the same reasons in Chinese, one for one
    records: list[CreditRecordOut]
    # open commitments the enterprise may rely on (none while commitments are forbidden)
    commitments: list[CommittedFact] = []
    # credit-svc's signature over the rest of the verdict; set on its answers only
    attestation: str | None = None

    def signed_content(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"attestation"})


# what a commitment is to: a policy, or a service item (one of the two)
AddressedPolicy = Field(default=None, max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")
AddressedItem = Field(default=None, max_length=40, pattern=r"^[A-Z0-9][A-Z0-9-]*$")


def _one_addressee(policy_id: str | None, service_code: str | None, id_number: str | None) -> None:
    """A commitment is to a policy, for one employee, or to a service item, for the
    enterprise itself (an item's conditions are on the enterprise's facts)."""
    if (policy_id is None) == (service_code is None):
        raise ValueError("Name either policy_id or service_code: what the commitment is to.")
    if policy_id is not None and id_number is None:
        raise ValueError("A commitment to a policy names the employee (id_number).")
    if service_code is not None and id_number is not None:
        raise ValueError("A commitment to a service item is the enterprise's own: no id_number.")


class CommitmentIn(BaseModel):
    """An enterprise declares what a department's data does not tell yet (信用承诺): for
    a policy's clause, about one employee; or for a service item's condition, about the
    enterprise itself (告知承诺制: the item is then granted at once on it)."""

    model_config = ConfigDict(extra="forbid")

    uscc: Uscc
    policy_id: str | None = AddressedPolicy
    service_code: str | None = AddressedItem
    clause: str = Clause
    id_number: IdNumber | None = Field(
        default=None, description="the employee the declaration is about (a policy's clause)"
    )
    signed_by: str = Field(
        min_length=2, max_length=100, description="who signs for the enterprise: name and role"
    )

    @model_validator(mode="after")
    def _addressed(self) -> CommitmentIn:
        _one_addressee(self.policy_id, self.service_code, self.id_number)
        return self


class CommitmentFiling(BaseModel):
    """What the gateway files on credit-svc: the commitment with the policy's (or the
    item's) terms."""

    model_config = ConfigDict(extra="forbid")

    commitment_id: str = Field(max_length=64)
    uscc: Uscc
    policy_id: str | None = AddressedPolicy
    service_code: str | None = AddressedItem
    clause: str = Clause
    fact: str = Field(max_length=100)
    id_number: IdNumber | None = None
    statement: str = Field(max_length=500)
    department: str = Field(max_length=20, description="the policy's or item's department")
    made_on: dt.date
    verify_by: dt.date
    redlist_only: bool
    signed_by: str = Field(max_length=100)
    signed_via: str = Field(max_length=100, description="the client that made it")

    @model_validator(mode="after")
    def _addressed(self) -> CommitmentFiling:
        _one_addressee(self.policy_id, self.service_code, self.id_number)
        return self


class Commitment(BaseModel):
    """A commitment as the enterprise, its apps and operators see it (the person masked).
    To a policy (``policy_id``, about an employee) or to a service item
    (``service_code``, about the enterprise itself: ``policy_id`` and
    ``id_number_masked`` are then empty, so the fields keep their type within /v1)."""

    id: str
    uscc: str
    policy_id: str = Field(description="the policy committed to; empty for a service item")
    service_code: str | None = Field(
        default=None, description="the service item committed to (告知承诺制); None: a policy"
    )
    clause: str
    department: str
    id_number_masked: str = Field(description="the employee, masked; empty for a service item")
    statement: str
    signed_by: str
    made_on: dt.date
    verify_by: dt.date
    outcome: Outcome
    closed_on: dt.date | None
    evidence: str | None


class CommitmentToVerify(Commitment):
    """What the verifier needs besides: the fact and whose it is (between services)."""

    fact: str
    id_number: str | None


class VerdictIn(BaseModel):
    """The verifier's finding: the department's data agrees (kept), contradicts
    (broken), or was still unknown when the time to verify ran out (lapsed)."""

    model_config = ConfigDict(extra="forbid")

    verdict: Verdict
    on: dt.date
    evidence: str = Field(min_length=5, max_length=500)


class CommittedFact(BaseModel):
    """A commitment in force for an application or an item's request (between services,
    never shown): to a policy's clause for a person, or to an item's condition ("" for
    what does not apply)."""

    id: str
    policy_id: str = ""
    service_code: str = ""
    clause: str
    id_number: str = ""
    statement: str


class CreditCheckBatch(BaseModel):
    """Checks for several applications at once: each once per application id."""

    checks: list[CreditCheckRequest] = Field(min_length=1, max_length=500)
