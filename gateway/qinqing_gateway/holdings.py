"""What the platform holds about an enterprise, and from which department: for the
enterprise itself (its portal) and operators. Masked like every answer: ID numbers,
names and the account number; the facts themselves are the enterprise's own to see."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel

from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import APPLICATIONS_READ, OPERATIONS_READ
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.identity import (
    EmployeeFacts,
    EnterpriseLease,
    EnterpriseProfile,
    EnterpriseTax,
    EnterpriseUnemploymentInsurance,
    FactSource,
)
from qinqing_shared.ids import Uscc, mask_account, mask_id_number, mask_name

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"], responses=GUARDED_RESPONSES)


class EmployeeHeld(BaseModel):
    id_number_masked: str
    name_masked: str
    birth_year: int
    degree: str | None  # None: no department has sent it (unknown)
    graduation_year: int | None
    social_insurance_months_in_city: int | None
    owns_home_in_city: bool | None
    sources: dict[str, FactSource]  # by kind of fact: the department and its record


class Holdings(BaseModel):
    uscc: str
    name: str
    status: str
    district_code: str
    industry_code: str
    registered_on: dt.date
    bank: str
    account_no_masked: str
    legal_representative_masked: str
    source: FactSource | None  # market regulation's registration record
    tax: EnterpriseTax | None = None  # the tax bureau's last return (None: unknown)
    # HRSS's last year of unemployment insurance, housing's registered lease (None: unknown)
    unemployment_insurance: EnterpriseUnemploymentInsurance | None = None
    lease: EnterpriseLease | None = None
    employees: list[EmployeeHeld]


def _employee(person: EmployeeFacts) -> EmployeeHeld:
    return EmployeeHeld(
        id_number_masked=mask_id_number(person.id_number),
        name_masked=mask_name(person.name),
        birth_year=person.birth_date.year,
        degree=person.education.degree if person.education else None,
        graduation_year=person.education.graduation_year if person.education else None,
        social_insurance_months_in_city=person.social_insurance_months_in_city,
        owns_home_in_city=person.owns_home_in_city,
        sources=person.sources,
    )


def holdings_of(profile: EnterpriseProfile) -> Holdings:
    return Holdings(
        uscc=profile.uscc,
        name=profile.name,
        status=profile.status,
        district_code=profile.district_code,
        industry_code=profile.industry_code,
        registered_on=profile.registered_on,
        bank=profile.bank_account.bank,
        account_no_masked=mask_account(profile.bank_account.account_no),
        legal_representative_masked=mask_id_number(profile.legal_representative),
        source=profile.source,
        tax=profile.tax,
        unemployment_insurance=profile.unemployment_insurance,
        lease=profile.lease,
        employees=[_employee(e) for e in profile.employees],
    )


@router.get("/{uscc}/holdings", response_model=Holdings)
async def holdings(
    uscc: Annotated[Uscc, Path(description="Unified Social Credit Code (GB 32100-2015)")],
    request: Request,
    caller: Caller = allow(scopes=(APPLICATIONS_READ, OPERATIONS_READ)),
) -> Holdings:
    """What the platform holds about the enterprise and its employees, each fact with
    the department and record it came from (none: no department has sent it). The
    enterprise itself and operators; the read is in its records of use."""
    if caller.kind != "operator" and (caller.kind != "enterprise" or caller.uscc != uscc):
        raise forbidden(f"Only enterprise {uscc} itself reads what the platform holds on it.")
    found = await request.app.state.peers.identity.request(
        "GET", f"/enterprises/{uscc}/profile", headers={"X-On-Behalf-Of": caller.client_id}
    )
    return holdings_of(EnterpriseProfile.model_validate(found))
