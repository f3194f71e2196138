"""Subsidy contracts: applications, decisions and their rule-by-rule trace."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from qinqing_shared.contracts.catalog import Policy
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
    seen: str | int | bool | None
    passed: bool
    # the department whose data the clause needed and that has sent none (unknown fact)
    missing_from: str | None = None
    # the department's record the fact seen was read from: "HZ-HOU record H-1, as of
    # 2026-10-31" (none for data no department sent itself)
    source: str | None = None
    # the enterprise's credit commitment that stood for an unknown fact (信用承诺)
    commitment: str | None = None


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
    trace: list[TraceEntry]


class EvaluationRequest(BaseModel):
    """Everything an application is decided on, each part signed by its owner."""

    application_id: str
    applied_on: dt.date
    policy: Policy
    enterprise: EnterpriseProfile
    credit: CreditCheck


class RejectionRequest(BaseModel):
    reason: str


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
    trace: list[TraceEntry]
    real_enterprise: bool = False  # as identity-svc holds it (claims this year counted)


class FactCheckRequest(BaseModel):
    """Does a department's data now tell what a commitment declared? (the verifier)"""

    policy: Policy
    clause: str = Field(max_length=60)
    id_number: str = Field(max_length=18)
    enterprise: EnterpriseProfile
    on: dt.date


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
