"""Logic of identity-svc: profiles out, registrations in. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from identity_svc.models import (
    Enterprise,
    LeaseRecord,
    PayeeAccountChange,
    Sourced,
    TaxRecord,
    UnemploymentInsuranceRecord,
)
from identity_svc.repository import EnterpriseRow, IdentityRepository, PersonRow
from qinqing_shared.contracts.events import PAYEE_ACCOUNT_CHANGED
from qinqing_shared.contracts.identity import (
    BankAccount,
    Education,
    EmployeeFacts,
    EnterpriseLease,
    EnterpriseProfile,
    EnterpriseTax,
    EnterpriseUnemploymentInsurance,
    FactSource,
)
from qinqing_shared.ids import mask_account
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import not_found


async def get_profile(repo: IdentityRepository, *, uscc: str) -> EnterpriseProfile:
    """The enterprise and, for each employee, the facts departments hold: two queries."""
    found = await repo.enterprise_with_figures(uscc)
    if found is None:
        raise not_found("Enterprise", uscc)
    return _profile(found, await repo.employees(uscc))


async def profiles_after(
    repo: IdentityRepository, *, after: str | None, limit: int
) -> list[EnterpriseProfile]:
    """The next ``limit`` enterprises' profiles in USCC order: two queries a page."""
    enterprises = await repo.enterprises_after(after, limit)
    employees = await repo.employees_of([row[0].uscc for row in enterprises])
    return [_profile(row, employees[row[0].uscc]) for row in enterprises]


async def profiles_of(repo: IdentityRepository, usccs: Sequence[str]) -> list[EnterpriseProfile]:
    """The profiles of these enterprises (those registered) in USCC order: two queries."""
    enterprises = await repo.enterprises_in(sorted(set(usccs)))
    employees = await repo.employees_of([row[0].uscc for row in enterprises])
    return [_profile(row, employees[row[0].uscc]) for row in enterprises]


def _profile(found: EnterpriseRow, employees: Sequence[PersonRow]) -> EnterpriseProfile:
    enterprise, tax, insurance, lease = found
    return EnterpriseProfile(
        uscc=enterprise.uscc,
        name=enterprise.name,
        status=enterprise.status,
        district_code=enterprise.district_code,
        industry_code=enterprise.industry_code,
        registered_on=enterprise.registered_on,
        bank_account=_account(enterprise),
        legal_representative=enterprise.legal_representative,
        employees=[_facts(row) for row in employees],
        source=_source(enterprise),
        tax=_tax(tax),
        unemployment_insurance=_insurance(insurance),
        lease=_lease(lease),
    )


def _lease(row: LeaseRecord | None) -> EnterpriseLease | None:
    if row is None:  # no registered lease from housing: unknown
        return None
    return EnterpriseLease(
        year=row.year,
        rent_paid_fen=row.rent_paid_fen,
        area_m2=row.area_m2,
        incubation_base=row.incubation_base,
        source=_source(row),
    )


def _tax(row: TaxRecord | None) -> EnterpriseTax | None:
    if row is None:  # no record from the tax bureau: unknown
        return None
    return EnterpriseTax(
        year=row.year,
        revenue_fen=row.revenue_fen,
        tax_paid_fen=row.tax_paid_fen,
        credit_rating=row.credit_rating,  # checked on the way in
        prior_tax_paid_fen=row.prior_tax_paid_fen,
        source=_source(row),
    )


def _insurance(row: UnemploymentInsuranceRecord | None) -> EnterpriseUnemploymentInsurance | None:
    if row is None:  # nothing from HRSS: unknown
        return None
    return EnterpriseUnemploymentInsurance(
        year=row.year,
        months_paid=row.months_paid,
        paid_fen=row.paid_fen,
        average_insured=row.average_insured,
        new_claimants=row.new_claimants,
        size_class=row.size_class,  # checked on the way in
        source=_source(row),
    )


def _source(row: Sourced | None) -> FactSource | None:
    """Where a current fact came from, if a department sent it itself."""
    if row is None or row.department is None or row.record_id is None or row.as_of is None:
        return None
    return FactSource(department=row.department, record_id=row.record_id, as_of=row.as_of)


def _sources(row: PersonRow) -> dict[str, FactSource]:
    kinds = ("person", "employment", "degree", "social-insurance", "home-ownership")
    found = {kind: _source(part) for kind, part in zip(kinds, row, strict=True)}
    return {kind: source for kind, source in found.items() if source is not None}


def _facts(row: PersonRow) -> EmployeeFacts:
    person, _employment, education, insurance, home = row
    return EmployeeFacts(
        id_number=person.id_number,
        name=person.name,
        birth_date=person.birth_date,
        household_district=person.household_district,
        education=Education(degree=education.degree, graduation_year=education.graduation_year)
        if education
        else None,
        social_insurance_months_in_city=insurance.months_in_city if insurance else None,
        owns_home_in_city=home.owns_home_in_city if home else None,  # no record: unknown
        sources=_sources(row),
    )


async def registered_name(repo: IdentityRepository, *, uscc: str) -> str:
    enterprise = await repo.enterprise(uscc)
    if enterprise is None:
        raise not_found("Enterprise", uscc)
    return enterprise.name


async def change_payee(
    repo: IdentityRepository, outbox: Outbox, *, uscc: str, account: BankAccount, by: str
) -> BankAccount:
    """Point an enterprise's payouts to another account, recorded and announced."""
    enterprise = await repo.enterprise(uscc)
    if enterprise is None:
        raise not_found("Enterprise", uscc)
    if _account(enterprise) != account:
        enterprise.bank_name, enterprise.bank_account_no = account.bank, account.account_no
        await record_payee(repo, outbox, uscc, account, by)
    return account


def _account(enterprise: Enterprise) -> BankAccount:
    return BankAccount(bank=enterprise.bank_name, account_no=enterprise.bank_account_no)


async def record_payee(
    repo: IdentityRepository, outbox: Outbox, uscc: str, account: BankAccount, by: str
) -> None:
    now = dt.datetime.now(dt.UTC)
    repo.session.add(
        PayeeAccountChange(
            uscc=uscc,
            bank_name=account.bank,
            bank_account_no=account.account_no,
            changed_by=by,
            changed_at=now,
        )
    )
    event = {
        "uscc": uscc,
        "bank": account.bank,
        "account_no_masked": mask_account(account.account_no),
        "changed_by": by,
        "changed_at": now.isoformat(),
    }
    outbox.add(repo.session, PAYEE_ACCOUNT_CHANGED, event, key=uscc)
