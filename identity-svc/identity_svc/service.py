"""Logic of identity-svc: profiles out, registrations in. Never commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc.models import (
    EducationRecord,
    Employment,
    Enterprise,
    HomeOwnershipRecord,
    PayeeAccountChange,
    Person,
    SocialInsuranceRecord,
    Sourced,
)
from identity_svc.repository import IdentityRepository, PersonRow
from qinqing_shared.contracts.events import PAYEE_ACCOUNT_CHANGED
from qinqing_shared.contracts.identity import (
    BankAccount,
    Education,
    EmployeeFacts,
    EnterpriseProfile,
    FactSource,
)
from qinqing_shared.ids import mask_account
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import not_found


async def get_profile(repo: IdentityRepository, *, uscc: str) -> EnterpriseProfile:
    """The enterprise and, for each employee, the facts departments hold."""
    enterprise = await repo.enterprise(uscc)
    if enterprise is None:
        raise not_found("Enterprise", uscc)
    employees = [_facts(row) for row in await repo.employees(uscc)]
    return EnterpriseProfile(
        uscc=enterprise.uscc,
        name=enterprise.name,
        status=enterprise.status,
        district_code=enterprise.district_code,
        industry_code=enterprise.industry_code,
        registered_on=enterprise.registered_on,
        bank_account=BankAccount(bank=enterprise.bank_name, account_no=enterprise.bank_account_no),
        legal_representative=enterprise.legal_representative,
        employees=employees,
        source=_source(enterprise),
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


def rows_of(profile: EnterpriseProfile) -> list[tuple[type[Any], dict[str, Any]]]:
    """The table rows that hold one profile, without provenance: no department sent
    them itself (a registration of the whole profile, demo data)."""
    return [(table, values | NO_SOURCE) for table, values in _rows(profile)]


NO_SOURCE = {"department": None, "record_id": None, "as_of": None}


def _rows(profile: EnterpriseProfile) -> list[tuple[type[Any], dict[str, Any]]]:
    rows: list[tuple[type[Any], dict[str, Any]]] = [
        (
            Enterprise,
            {
                "uscc": profile.uscc,
                "name": profile.name,
                "status": profile.status,
                "district_code": profile.district_code,
                "industry_code": profile.industry_code,
                "registered_on": profile.registered_on,
                "bank_name": profile.bank_account.bank,
                "bank_account_no": profile.bank_account.account_no,
                "legal_representative": profile.legal_representative,
            },
        )
    ]
    for e in profile.employees:
        rows += _person_rows(profile.uscc, e)
    return rows


def _person_rows(uscc: str, e: EmployeeFacts) -> list[tuple[type[Any], dict[str, Any]]]:
    rows: list[tuple[type[Any], dict[str, Any]]] = [
        (
            Person,
            {
                "id_number": e.id_number,
                "name": e.name,
                "birth_date": e.birth_date,
                "household_district": e.household_district,
            },
        ),
        (Employment, {"uscc": uscc, "id_number": e.id_number}),
    ]
    # a fact not sent writes no record: it stays unknown (or as its department last said)
    if e.social_insurance_months_in_city is not None:
        months = {"id_number": e.id_number, "months_in_city": e.social_insurance_months_in_city}
        rows.append((SocialInsuranceRecord, months))
    if e.owns_home_in_city is not None:
        home = {"id_number": e.id_number, "owns_home_in_city": e.owns_home_in_city}
        rows.append((HomeOwnershipRecord, home))
    if e.education is not None:
        rows.append(
            (
                EducationRecord,
                {
                    "id_number": e.id_number,
                    "degree": e.education.degree,
                    "graduation_year": e.education.graduation_year,
                },
            )
        )
    return rows


async def load(session: AsyncSession, profiles: Iterable[EnterpriseProfile]) -> int:
    """Bulk-load the register (demo data); returns how many enterprises were loaded."""
    by_table: dict[type[Any], list[dict[str, Any]]] = {}
    count = 0
    for profile in profiles:
        count += 1
        for table, values in rows_of(profile):
            by_table.setdefault(table, []).append(values)
    order = [
        Enterprise,
        Person,
        Employment,
        EducationRecord,
        SocialInsuranceRecord,
        HomeOwnershipRecord,
    ]
    for table in order:
        unique = {_key(table, v): v for v in by_table.get(table, [])}
        if unique:
            await session.execute(insert(table), list(unique.values()))
    return count


def _key(table: type[Any], values: dict[str, Any]) -> tuple[Any, ...]:
    if table is Employment:
        return (values["uscc"], values["id_number"])
    return (values.get("uscc") if table is Enterprise else values["id_number"],)
