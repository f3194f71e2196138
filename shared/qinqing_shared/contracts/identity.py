"""Identity contracts: an enterprise with the department facts that replace materials."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from qinqing_shared.ids import IdNumber, Uscc

# the most employees one profile may list (the largest enterprise of the demo city has
# a few hundred); beyond it a registration is refused, not processed for a minute
MAX_EMPLOYEES = 10_000
EnterpriseStatus = Literal["active", "revoked", "deregistered", "suspended"]
Degree = Literal["none", "high_school", "college", "bachelor", "master", "doctor"]
# the tax bureau's rating of a taxpayer's compliance, best first (纳税信用等级; M: new)
TaxCreditRating = Literal["A", "B", "M", "C", "D"]


class BankAccount(BaseModel):
    bank: str = Field(min_length=2, max_length=100)
    account_no: str = Field(pattern=r"^[0-9]{8,30}$", description="8 to 30 digits")


class Education(BaseModel):
    degree: Degree
    graduation_year: int


class FactSource(BaseModel):
    """Where a fact came from: the department, its own record id, and the date the fact
    is true as of (docs/data-exchange.md)."""

    department: str
    record_id: str
    as_of: dt.date

    def cite(self) -> str:
        return f"{self.department} record {self.record_id}, as of {self.as_of.isoformat()}"

    @classmethod
    def cited(cls, text: str) -> FactSource | None:
        """The source a trace cites (``cite``'s words read back); None if it is not one."""
        found = CITED.match(text)
        if found is None:
            return None
        return cls(
            department=found["department"],
            record_id=found["record_id"],
            as_of=dt.date.fromisoformat(found["as_of"]),
        )


CITED = re.compile(
    r"^(?P<department>\S+) record (?P<record_id>.+), as of (?P<as_of>\d{4}-\d{2}-\d{2})$"
)


class EmployeeFacts(BaseModel):
    """A person employed by the enterprise, with what departments hold about them.

    A fact no department has sent is ``None``: unknown, never a negative (no housing
    record is not "owns no home"). A rule on an unknown fact does not pass.
    """

    id_number: IdNumber
    name: str
    birth_date: dt.date
    household_district: str
    education: Education | None = None  # from education (HZ-EDU)
    social_insurance_months_in_city: int | None = Field(default=None, ge=0)  # from HZ-HRSS
    owns_home_in_city: bool | None = None  # from housing (HZ-HOU)
    # each fact's source, by kind of fact (person, employment, social-insurance, degree,
    # home-ownership): the facts a department sent itself; none for data loaded otherwise
    sources: dict[str, FactSource] = Field(default_factory=dict)


class EnterpriseTax(BaseModel):
    """The enterprise's last tax year the tax bureau sent, with its source."""

    year: int
    revenue_fen: int
    tax_paid_fen: int
    credit_rating: TaxCreditRating
    prior_tax_paid_fen: int | None = None  # the year before; None: unknown
    source: FactSource | None = None


EnterpriseSize = Literal["large", "medium", "small", "micro"]


class EnterpriseUnemploymentInsurance(BaseModel):
    """The enterprise's last year of unemployment insurance, as HRSS sent it."""

    year: int
    months_paid: int
    paid_fen: int
    average_insured: int
    new_claimants: int
    size_class: EnterpriseSize
    source: FactSource | None = None


class EnterpriseLease(BaseModel):
    """The enterprise's registered lease of business premises over its last year, as
    housing sent it."""

    year: int
    rent_paid_fen: int
    area_m2: int
    incubation_base: str | None = None  # the recognised small-enterprise base, if any
    source: FactSource | None = None


class EnterpriseProfile(BaseModel):
    uscc: Uscc
    name: str
    status: EnterpriseStatus
    district_code: str
    industry_code: str
    registered_on: dt.date
    bank_account: BankAccount
    legal_representative: IdNumber
    employees: list[EmployeeFacts] = Field(max_length=MAX_EMPLOYEES)
    source: FactSource | None = None  # the registration's record (market regulation)
    tax: EnterpriseTax | None = None  # from the tax bureau (HZ-TAX); None: unknown
    # from human resources and social security (HZ-HRSS); None: unknown
    unemployment_insurance: EnterpriseUnemploymentInsurance | None = None
    lease: EnterpriseLease | None = None  # from housing (HZ-HOU); None: unknown
    # identity-svc's signature over the rest of the profile and its payee account (see
    # qinqing_shared.auth.signing); set on the answers identity-svc gives, never taken in
    attestation: str | None = None

    def signed_content(self) -> dict[str, object]:
        return self.model_dump(mode="json", exclude={"attestation"})

    @field_validator("employees")
    @classmethod
    def _each_person_once(cls, employees: list[EmployeeFacts]) -> list[EmployeeFacts]:
        counts = Counter(e.id_number for e in employees)
        twice = [number for number, count in counts.items() if count > 1]
        if twice:
            raise ValueError(f"{len(twice)} employee ID number(s) are listed more than once")
        return employees


class ProfileLookup(BaseModel):
    """The enterprises whose profiles the gateway reads at once (a batch of payouts)."""

    usccs: list[Uscc] = Field(min_length=1, max_length=500)


class ProfileLookupResult(BaseModel):
    items: list[EnterpriseProfile]  # in USCC order, each signed
    missing: list[str]  # asked for, and not registered
