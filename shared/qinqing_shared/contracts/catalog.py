"""Catalog contracts: subsidy policies as data (rules, amounts, budget, validity)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qinqing_shared.contracts.money import Currency, Fen

Operator = Literal["eq", "ne", "in", "not_in", "le", "lt", "ge", "gt"]
Scalar = str | int | bool


class CommitmentTerms(BaseModel):
    """A clause the enterprise may meet by a credit commitment (信用承诺) while the
    department's data is unknown: never against a department's negative."""

    statement: str = Field(
        min_length=10,
        max_length=500,
        description="What the enterprise declares, e.g. 'This employee owns no home in the city'",
    )
    verify_within_days: int = Field(
        ge=1, le=366, description="Days within which the platform verifies it"
    )
    redlist_only: bool = Field(
        default=False, description="Open only to enterprises on a red list (a reward)"
    )


class Band(BaseModel):
    up_to: int = Field(description="The band holds while the other fact is at most this")
    value: Scalar | list[Scalar]


class ValueBands(BaseModel):
    """Where the value a clause compares with depends on another fact: e.g. a layoff
    rate of at most 5.5%, but 20% for an enterprise of 30 insured staff or fewer. The
    first band (in ascending ``up_to``) that holds gives the value; none: the clause's
    own ``value``. An unknown ``by`` fact leaves the clause unknown."""

    by: str = Field(
        description="The fact that chooses the value, e.g. 'enterprise.insured_average'"
    )
    bands: list[Band] = Field(min_length=1, max_length=20)


class Rule(BaseModel):
    """One clause: ``fact op value``, e.g. ``person.age le 35``."""

    clause: str = Field(description="Stable clause id shown in the trace, e.g. 'age'")
    fact: str = Field(description="The fact to test, e.g. 'person.age'")
    op: Operator
    value: Scalar | list[Scalar]
    message: str = Field(description="What the clause requires, in words")
    message_zh: str | None = Field(default=None, max_length=500, description="The same, in Chinese")
    value_by: ValueBands | None = Field(
        default=None, description="Other values, chosen by another fact's bands"
    )
    commitment: CommitmentTerms | None = Field(
        default=None, description="Whether, and how, a commitment may stand for the fact"
    )


class AmountTable(BaseModel):
    """Amount per beneficiary, looked up by one fact (e.g. the degree); at most
    ``max_fen_per_enterprise`` for one enterprise's application, when the policy caps it
    (employees in the order the enterprise's record lists them, until the cap is met).

    Or one amount for the enterprise itself (``per`` "enterprise"): the amount looked up
    by ``by`` (e.g. its star as a taxpayer), or, with ``share_of``, a share of one of its
    figures (e.g. 60% of last year's unemployment-insurance contributions), the share
    in per mille looked up by ``by`` (e.g. the enterprise's size class), rounded down to
    the fen. Such a policy has no person rules and counts its claims per enterprise."""

    by: str
    per: Literal["person", "enterprise"] = Field(
        default="person", description="Who an amount is for (``share_of`` is always per enterprise)"
    )
    amounts_fen: dict[str, Fen] = Field(default_factory=dict)
    max_fen_per_enterprise: Fen | None = None
    share_of: str | None = Field(
        default=None, description="An enterprise figure in fen, e.g. 'enterprise.ui_paid_fen'"
    )
    shares_permille: dict[str, int] = Field(
        default_factory=dict, description="The share of ``share_of`` by the ``by`` fact, in ‰"
    )


class PolicyRules(BaseModel):
    enterprise: list[Rule]
    person: list[Rule]
    amount: AmountTable
    claims_per_person_per_year: int = 1
    # what becomes of the people's claims when an application is clawed back (its credit
    # commitment broken): kept (the year's subsidy counts as used) or released
    claims_after_clawback: Literal["kept", "released"] = "kept"


MAX_VERSION = 1_000_000  # a policy's versions are counted 1, 2, 3...: never near this


class Policy(BaseModel):
    id: str
    version: int = Field(ge=1, le=MAX_VERSION)
    name: str
    name_zh: str | None = Field(default=None, max_length=200, description="Its name in Chinese")
    department_code: str
    service_code: str
    currency: Currency = "CNY"
    budget_fen: Fen
    valid_from: dt.date
    valid_to: dt.date
    rules: PolicyRules
    proactive: bool = Field(
        default=False,
        description="Paid without applying (免申即享): when a version is published, the "
        "platform evaluates every enterprise and pays each eligible one",
    )
    notice_days: int = Field(
        default=0,
        ge=0,
        le=90,
        description="A proactive policy's notice period: days between telling an eligible "
        "enterprise and paying it, during which it may decline",
    )
    # catalog-svc's signature over the rest of the policy; set on its answers only
    attestation: str | None = None

    def signed_content(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"attestation"})


# How a service item (a non-cash service, kind ``service_item``) is handled when an
# enterprise asks for it (docs/interaction.md): routed to its department, which answers
# through the API by hand or from its own system; or decided at once (秒批) from what
# the departments already sent, on conditions written as data, the departments'
# answer otherwise.
HandlingMode = Literal["routed", "instant"]
CREDIT_CLAUSE = "credit"  # the clause every instant decision adds: credit allows it
MAX_CONDITIONS = 20


class ItemHandling(BaseModel):
    """How a service item is handled. ``instant``: the platform grants it at once when
    every condition holds on the enterprise's facts as the departments sent them, and
    refuses it at once when one does not; a condition on a fact no department has sent
    is no negative, so such a request goes to the department, which decides by hand,
    unless the condition is open to a credit commitment (``commitment``, 告知承诺制) and
    the enterprise made one: then it is granted on the commitment, verified when the
    department's data comes, and revoked if the data contradicts it."""

    model_config = ConfigDict(extra="forbid")

    mode: HandlingMode = "routed"
    conditions: list[Rule] = Field(
        default_factory=list,
        max_length=MAX_CONDITIONS,
        description="An instant item's conditions, on the enterprise's facts (enterprise.*)",
    )

    @model_validator(mode="after")
    def _fits(self) -> ItemHandling:
        if self.mode == "instant" and not self.conditions:
            raise ValueError("An item decided at once names at least one condition.")
        if self.mode == "routed" and self.conditions:
            raise ValueError("A routed item is decided by its department: it has no conditions.")
        clauses = [rule.clause for rule in self.conditions]
        if len(set(clauses)) != len(clauses):
            raise ValueError("Each condition has its own clause id.")
        if CREDIT_CLAUSE in clauses:
            raise ValueError(f"The clause id {CREDIT_CLAUSE!r} is the platform's own (credit).")
        for rule in self.conditions:
            if not rule.fact.startswith("enterprise."):
                raise ValueError(
                    f"Condition {rule.clause!r}: an item is decided on the "
                    "enterprise's facts (enterprise.*), not a person's."
                )
        return self


class ServiceHandling(BaseModel):
    """A service item's handling as catalog-svc holds it, signed by catalog-svc on its
    answers: subsidy-svc decides an item only on exactly this."""

    service_code: str
    department_code: str
    version: int = Field(ge=0, description="How many times its handling was set (0: never)")
    handling: ItemHandling
    attestation: str | None = None

    def signed_content(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"attestation"})
