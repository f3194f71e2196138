"""What departments send: each fact they hold, with its provenance (docs/data-exchange.md).

A department sends a fact as a *record*: its own record id (unique within the
department: a record sent twice is taken once), the date the fact is true as of, and the
fact's data. Each kind of fact has one owning department; no other may send it.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator

from qinqing_shared.contracts.identity import (
    BankAccount,
    Degree,
    EnterpriseSize,
    EnterpriseStatus,
    TaxCreditRating,
)
from qinqing_shared.ids import IdNumber, Uscc, validate_id_number

MAX_BATCH = 1_000  # records in one batch request
ID_NUMBER_INSIDE = re.compile(r"[0-9]{17}[0-9Xx]+")
RecordId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$",
        description="The department's own id of this record (letters, digits, . _ : / -)",
    ),
]
DistrictCode = Annotated[str, Field(pattern=r"^[0-9]{6}$", description="GB/T 2260 code")]


class FactKind(StrEnum):
    ENTERPRISE = "enterprise"  # registration, status, legal representative
    PERSON = "person"  # name, birth date, household registration
    EMPLOYMENT = "employment"  # who works where (social insurance paid by the employer)
    SOCIAL_INSURANCE = "social-insurance"  # months of social insurance in the city
    DEGREE = "degree"  # highest degree and its year
    HOME_OWNERSHIP = "home-ownership"  # whether the person owns a home in the city
    TAX = "tax"  # an enterprise's tax year: revenue, tax paid, tax credit rating
    # an enterprise's unemployment insurance last year: paid, insured, new claimants
    UNEMPLOYMENT_INSURANCE = "unemployment-insurance"
    # an enterprise's registered lease of business premises last year: rent, area, base
    LEASE = "lease"


# The department that holds, and alone sends, each kind of fact.
OWNERS: dict[FactKind, str] = {
    FactKind.ENTERPRISE: "HZ-MSA",  # market supervision (registration)
    FactKind.PERSON: "HZ-PSB",  # public security (household registration)
    FactKind.EMPLOYMENT: "HZ-HRSS",  # human resources and social security
    FactKind.SOCIAL_INSURANCE: "HZ-HRSS",
    FactKind.DEGREE: "HZ-EDU",  # education
    FactKind.HOME_OWNERSHIP: "HZ-HOU",  # housing
    FactKind.TAX: "HZ-TAX",  # the tax bureau
    FactKind.UNEMPLOYMENT_INSURANCE: "HZ-HRSS",
    FactKind.LEASE: "HZ-HOU",  # lease registration (房屋租赁登记备案)
}

# Every department with a feed: each publishes on its own ingest subjects only.
DEPARTMENTS: tuple[str, ...] = tuple(dict.fromkeys(OWNERS.values()))
# Credit records travel on the same stream (credit-svc takes them; docs/credit.md).
CREDIT_RECORD = "credit-record"


def ingest_subject(department: str, kind: str) -> str:
    """Where a department publishes its records of a kind: on ``QINQING_INGEST``."""
    return f"qinqing.ingest.{department}.{kind}.v1"


def ingest_prefix(department: str) -> str:
    """The start of every subject a department publishes its records on."""
    return f"qinqing.ingest.{department}."


def department_of(subject: str) -> str:
    """'qinqing.ingest.HZ-HOU.home-ownership.v1' -> 'HZ-HOU'."""
    return subject.split(".")[2]


def from_its_department(subject: str, source: str) -> bool:
    """A record counts only if its ``ce-source`` is the department its subject names."""
    return source == f"/departments/{department_of(subject)}"


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not ignored


class EnterpriseFact(_Fact):
    uscc: Uscc
    name: str = Field(min_length=2, max_length=200)
    status: EnterpriseStatus
    district_code: DistrictCode
    industry_code: str = Field(pattern=r"^[A-Z0-9]{1,10}$")
    registered_on: dt.date
    legal_representative: IdNumber
    # where subsidies are paid, taken at first registration only: a change of payee
    # account goes through PUT /enterprises/{uscc}/payee-account, checked with the bank
    bank_account: BankAccount


class PersonFact(_Fact):
    id_number: IdNumber
    name: str = Field(min_length=1, max_length=100)
    birth_date: dt.date
    household_district: DistrictCode


class EmploymentFact(_Fact):
    uscc: Uscc
    id_number: IdNumber
    employed: bool = Field(description="true: works there now; false: has left")


class SocialInsuranceFact(_Fact):
    id_number: IdNumber
    months_in_city: int = Field(ge=0, le=1200)


class DegreeFact(_Fact):
    id_number: IdNumber
    degree: Degree
    graduation_year: int = Field(ge=1900, le=2100)


class HomeOwnershipFact(_Fact):
    id_number: IdNumber
    owns_home_in_city: bool


class TaxFact(_Fact):
    """An enterprise's last closed tax year, as the tax bureau holds it: what subsidies
    for small enterprises and for good taxpayers read (docs/data-exchange.md)."""

    uscc: Uscc
    year: int = Field(ge=2000, le=2100, description="The tax year these figures are of")
    revenue_fen: int = Field(ge=0, le=10**16, description="Operating revenue (营业收入)")
    tax_paid_fen: int = Field(ge=0, le=10**16, description="Taxes paid in the year")
    credit_rating: TaxCreditRating = Field(
        description="Tax credit rating (纳税信用等级): A, B, M, C or D"
    )
    prior_tax_paid_fen: int | None = Field(
        default=None,
        ge=0,
        le=10**16,
        description="Taxes paid the year before, where the bureau holds that year (for "
        "growth); absent: unknown",
    )


class UnemploymentInsuranceFact(_Fact):
    """An enterprise's unemployment insurance over its last closed year, as human
    resources and social security holds it: what the job-retention refund (稳岗返还)
    reads (docs/policies.md)."""

    uscc: Uscc
    year: int = Field(ge=2000, le=2100, description="The year these figures are of")
    months_paid: int = Field(ge=0, le=12, description="Months paid in full that year")
    paid_fen: int = Field(
        ge=0, le=10**14, description="Contributions the enterprise and its staff paid"
    )
    average_insured: int = Field(ge=0, le=10**7, description="Insured staff, monthly average")
    new_claimants: int = Field(
        ge=0, le=10**7, description="Staff who newly drew unemployment benefit that year"
    )
    size_class: EnterpriseSize = Field(description="large, medium, small or micro (企业规模)")


class LeaseFact(_Fact):
    """An enterprise's registered lease of business premises over its last closed year,
    as housing holds it (房屋租赁登记备案): what the rent subsidy for small enterprises
    reads (docs/policies.md)."""

    uscc: Uscc
    year: int = Field(ge=2000, le=2100, description="The year the rent was paid for")
    rent_paid_fen: int = Field(ge=0, le=10**14, description="Rent paid for that year")
    area_m2: int = Field(ge=1, le=10**7, description="The premises' floor area, m²")
    incubation_base: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="The recognised small-enterprise base (小企业创业基地) the premises "
        "lie in; absent: none",
    )


FACT_MODELS: dict[FactKind, type[_Fact]] = {
    FactKind.ENTERPRISE: EnterpriseFact,
    FactKind.PERSON: PersonFact,
    FactKind.EMPLOYMENT: EmploymentFact,
    FactKind.SOCIAL_INSURANCE: SocialInsuranceFact,
    FactKind.DEGREE: DegreeFact,
    FactKind.HOME_OWNERSHIP: HomeOwnershipFact,
    FactKind.TAX: TaxFact,
    FactKind.UNEMPLOYMENT_INSURANCE: UnemploymentInsuranceFact,
    FactKind.LEASE: LeaseFact,
}
# Of the enterprise's facts, the figures a department keeps on an enterprise registered
# already.
ENTERPRISE_FIGURES = (FactKind.TAX, FactKind.UNEMPLOYMENT_INSURANCE, FactKind.LEASE)
# The kinds of fact about an enterprise (keyed by its USCC): the others are about a person.
ENTERPRISE_KINDS = (FactKind.ENTERPRISE, *ENTERPRISE_FIGURES)


class FactRecordIn(BaseModel):
    """One record a department sends: its id, the date it is true as of, and the fact
    (checked against its kind's model: ``FACT_MODELS``)."""

    model_config = ConfigDict(extra="forbid")

    record_id: RecordId
    as_of: dt.date = Field(description="The date the fact is true as of")
    data: dict[str, object]

    @field_validator("record_id")
    @classmethod
    def _no_personal_data(cls, record_id: str) -> str:
        # a record id is cited in decisions' traces, which apps and enterprises read
        if carries_id_number(record_id):
            raise ValueError("a record id must not contain an ID number (it is shown in traces)")
        return record_id


def carries_id_number(text: str) -> bool:
    """Whether any 18 characters of ``text`` in a row are a valid ID number (its check
    character right): a long number that is not one is a department's own business."""
    for found in ID_NUMBER_INSIDE.finditer(text):
        run = found.group()
        for start in range(len(run) - 17):
            try:
                validate_id_number(run[start : start + 18])
            except ValueError:
                continue
            return True
    return False


class FactBatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    records: list[FactRecordIn] = Field(min_length=1, max_length=MAX_BATCH)


class Outcome(StrEnum):
    APPLIED = "applied"  # the fact is now the register's current one
    SUPERSEDED = "superseded"  # kept in the history; a fact of a later date is current
    DUPLICATE = "duplicate"  # this record id was received before, with the same content
    REFUSED = "refused"  # not taken: ``problem`` says why


class FactReceipt(BaseModel):
    record_id: str
    outcome: Outcome
    received_at: dt.datetime | None = None
    problem: dict[str, object] | None = None  # RFC 9457 body, for a refused record


class FactBatchReceipt(BaseModel):
    received: int
    applied: int
    superseded: int
    duplicate: int
    refused: int
    records: list[FactReceipt]
