"""Subsidy contracts: applications, decisions and their rule-by-rule trace."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from qinqing_shared.contracts.catalog import Policy, ServiceHandling
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.money import Currency, Fen
from qinqing_shared.ids import IdNumber


class ApplicationStatus(StrEnum):
    ELIGIBLE = "eligible"  # the rules hold; credit not checked yet
    APPROVED = "approved"  # credit allows: a payout order is signed
    REJECTED = "rejected"
    PAID = "paid"
    REVERSED = "reversed"  # paid, and the money came back (payment-svc's reversal)
    CLAWED_BACK = "clawed_back"  # paid on a commitment found broken: the money is demanded back


class TraceEntry(BaseModel):
    subject: str
    clause: str
    requirement: str
    requirement_zh: str | None = None  # the clause's words in Chinese, where the policy has them
    seen: str | int | bool | None
    passed: bool
    # the department whose data the clause needed and that has sent none (unknown fact)
    missing_from: str | None = None
    # the department's record the fact seen was read from: "HZ-HOU record H-1, as of
    # 2026-10-31" (none for data no department sent itself)
    source: str | None = None
    # the enterprise's credit commitment that stood for an unknown fact (信用承诺)
    commitment: str | None = None


def subject_zh(subject: str) -> str:
    """A trace entry's subject ("enterprise", "policy", "employee 3301***1234") in
    Chinese."""
    if subject.startswith("employee "):
        return "员工 " + subject.removeprefix("employee ")
    return _SUBJECTS_ZH.get(subject, subject)


def seen_zh(seen: object) -> str:
    """A value seen, as a Chinese reader reads it (是 and 否, not True and False; the
    platform's own words, such as a commitment standing for a fact, in Chinese)."""
    if isinstance(seen, bool):
        return "是" if seen else "否"
    if isinstance(seen, str) and seen in _SEEN_ZH:
        return _SEEN_ZH[seen]
    return "无" if seen is None else str(seen)


# what the platform writes as seen, not a department: a commitment that stands for a
# fact; credit-svc's verdict on a service item decided at once
_SEEN_ZH = {"committed": "已作信用承诺", "allowed": "无失信惩戒", "denied": "受失信联合惩戒"}


_SUBJECTS_ZH = {"enterprise": "企业", "policy": "政策"}


class Beneficiary(BaseModel):
    id_number_masked: str
    name_masked: str
    amount_fen: Fen


class Decision(BaseModel):
    outcome: Literal["eligible", "approved", "rejected"]
    policy_id: str
    policy_version: int
    evaluated_on: dt.date
    reasons: list[str]
    # the same reasons in Chinese, one for one (English where no Chinese words exist)
    reasons_zh: list[str] = []
    trace: list[TraceEntry]


class EvaluationRequest(BaseModel):
    """Everything an application is decided on, each part signed by its owner."""

    application_id: str
    applied_on: dt.date
    policy: Policy
    enterprise: EnterpriseProfile
    credit: CreditCheck


class NoticeFailure(BaseModel):
    """Why a notice taken for payment could not be paid (the gateway says it)."""

    reason: str = Field(min_length=1, max_length=500)


class RejectionRequest(BaseModel):
    reason: str = Field(max_length=2000)
    reason_zh: str | None = Field(default=None, max_length=2000)  # the same, in Chinese


class Application(BaseModel):
    id: str
    policy_id: str
    uscc: str
    status: ApplicationStatus
    amount_fen: Fen
    currency: Currency
    applied_on: dt.date
    beneficiaries: list[Beneficiary]
    decision: Decision
    # an approved application's payout order, signed by subsidy-svc for payment-svc:
    # application, policy version, USCC, amount and the payee account identity signed
    payout_order: str | None = None


class PersonLookup(BaseModel):
    id_number: IdNumber


class PersonClaim(BaseModel):
    """A subsidy claimed for a person (shown with the ID number masked)."""

    id_number_masked: str
    policy_id: str
    year: int
    amount_fen: Fen
    application_id: str
    application_status: ApplicationStatus


class SimulationRequest(BaseModel):
    """What a policy would decide for an enterprise, without applying: a real one as
    identity-svc signed it (its claims this year counted), or made-up facts."""

    on: dt.date
    policy: Policy
    enterprise: EnterpriseProfile


class Simulation(BaseModel):
    """A decision that pays nothing and is kept nowhere (OpenFisca's ``/calculate``)."""

    policy_id: str
    policy_version: int
    uscc: str
    on: dt.date
    eligible: bool
    amount_fen: Fen
    currency: Currency
    beneficiaries: list[Beneficiary]
    reasons: list[str]
    reasons_zh: list[str] = []  # the same reasons in Chinese, one for one
    trace: list[TraceEntry]
    real_enterprise: bool = False  # as identity-svc holds it (claims this year counted)


class FactCheckRequest(BaseModel):
    """Does a department's data now tell what a commitment declared? (the verifier) A
    policy's clause for one employee (``policy``, ``id_number``), or a service item's
    condition for the enterprise itself (``item``)."""

    policy: Policy | None = None
    item: ServiceHandling | None = None
    clause: str = Field(max_length=60)
    id_number: str | None = Field(default=None, max_length=18)
    enterprise: EnterpriseProfile
    on: dt.date

    @model_validator(mode="after")
    def _one(self) -> FactCheckRequest:
        if (self.policy is None) == (self.item is None):
            raise ValueError("Name either the policy or the service item.")
        if self.policy is not None and self.id_number is None:
            raise ValueError("A policy's clause is checked for one employee (id_number).")
        return self


class FactCheck(BaseModel):
    """unknown: no department has sent the fact; holds: its data meets the clause (a
    commitment for it is kept); contradicts: it does not (a commitment is broken);
    not-an-employee / not-committable: nothing a commitment could stand for."""

    state: Literal["unknown", "holds", "contradicts", "not-an-employee", "not-committable"]
    fact: str | None = None
    statement: str | None = None
    verify_within_days: int | None = None
    redlist_only: bool = False
    entry: TraceEntry | None = None


# Proactive payouts (免申即享): a run evaluates every enterprise for a proactive policy's
# version and tells each eligible one (a notice) before it is paid.


class NoticeStatus(StrEnum):
    NOTICED = "noticed"  # told; paid when its notice period ends unless it declines
    DECLINED = "declined"  # the enterprise declined before the money moved
    TAKEN = "taken"  # its payment started: its application (same id) tells the rest
    FAILED = "failed"  # its payment could not start (e.g. the enterprise is gone): not retried


class Notice(BaseModel):
    """An enterprise told it will be paid under a proactive policy, without applying."""

    id: str = Field(description="The notice's id, which is also its application's id")
    policy_id: str
    policy_version: int
    uscc: str
    amount_fen: Fen = Field(description="What the evaluation found when the notice was given")
    currency: Currency
    beneficiaries: list[Beneficiary]
    status: NoticeStatus
    noticed_at: dt.datetime
    pay_after: dt.datetime = Field(description="When it is paid unless declined first")
    declined_at: dt.datetime | None = None
    taken_at: dt.datetime | None = None
    failed_at: dt.datetime | None = None
    failure: str | None = Field(default=None, description="Why its payment could not start")
    application_status: ApplicationStatus | None = Field(
        default=None, description="Once taken: its application's status (e.g. paid)"
    )


class RunState(StrEnum):
    EVALUATING = "evaluating"  # enterprises still to evaluate
    PAYING = "paying"  # all evaluated; notices still to pay
    DONE = "done"  # every notice paid, declined or failed


class ProactiveRun(BaseModel):
    """A proactive policy version's run over every enterprise, and how far it is."""

    policy_id: str
    policy_version: int
    department_code: str
    state: RunState
    cursor: str | None = Field(description="The last enterprise evaluated (USCC order)")
    evaluated: int
    eligible: int
    started_at: dt.datetime
    evaluated_at: dt.datetime | None = None
    notices: dict[str, int] = Field(
        default_factory=dict,
        description="Notices by status (counted when the run is read, not in a batch's answer)",
    )
    applications: dict[str, int] = Field(
        default_factory=dict,
        description="Applications of taken notices, by status (counted when the run is read)",
    )


class RunStart(BaseModel):
    policy: Policy  # signed by catalog-svc


class RunBatch(BaseModel):
    """The next enterprises of a run, in USCC order after ``after`` (signed profiles)."""

    policy: Policy
    on: dt.date = Field(description="The business day the enterprises are evaluated on")
    after: str | None = Field(max_length=18)
    enterprises: list[EnterpriseProfile] = Field(max_length=1000)
    last: bool = Field(description="No enterprise comes after these")


class RunRecheck(BaseModel):
    """Enterprises a department's new facts concern, evaluated again for a run: each
    without a notice of this version yet is given one if it now qualifies."""

    policy: Policy
    on: dt.date
    enterprises: list[EnterpriseProfile] = Field(max_length=1000)


# A service item decided at once from department data (秒批): subsidy-svc evaluates the
# item's conditions with the engine that decides applications.


class ItemDecisionRequest(BaseModel):
    """Decide a service item for an enterprise, each word signed by its owner."""

    request_id: str = Field(max_length=36, description="The enterprise's request (its id)")
    on: dt.date
    item: ServiceHandling  # signed by catalog-svc
    enterprise: EnterpriseProfile  # signed by identity-svc
    credit: CreditCheck  # signed by credit-svc, for this request


ItemOutcome = Literal["granted", "refused", "undecided"]


class ItemDecision(BaseModel):
    """granted: every condition holds; refused: one does not, or credit forbids it (joint
    punishment); undecided: a condition's fact is unknown (no department sent it), so
    the item's department decides. Signed by subsidy-svc: catalog-svc records a request
    answered at once only on exactly this."""

    request_id: str
    service_code: str
    uscc: str
    handling_version: int
    on: dt.date
    outcome: ItemOutcome
    reasons: list[str]
    reasons_zh: list[str] = []  # the same reasons in Chinese, one for one
    trace: list[TraceEntry]
    # granted on the enterprise's credit commitments (告知承诺制): each stood for a
    # condition's unknown fact, and a broken one revokes the grant
    commitments: list[str] = []
    attestation: str | None = None

    def signed_content(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"attestation"})


class BatchApplication(BaseModel):
    """One application of a batch: the enterprise as identity-svc signed it, and
    credit-svc's signed verdict for this application."""

    application_id: str
    enterprise: EnterpriseProfile
    credit: CreditCheck


class ApplicationBatch(BaseModel):
    """Applications of one policy decided at once (a proactive run's payouts): each as
    ``POST /applications`` would decide it alone, idempotent per application id."""

    policy: Policy
    applied_on: dt.date
    items: list[BatchApplication] = Field(min_length=1, max_length=500)


class ApplicationBatchItem(BaseModel):
    """What became of one application of a batch: decided, or why not (an RFC 9457
    problem's body, as the same application alone would have been answered)."""

    application_id: str
    application: Application | None = None
    problem: dict[str, Any] | None = None


class NoticeTaking(BaseModel):
    """Take a run's due notices for payment at once (each as ``/notices/{id}/taking``)."""

    limit: int = Field(ge=1, le=500)
