from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.enterprise_profile_status import EnterpriseProfileStatus
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.bank_account import BankAccount
  from ..models.employee_facts import EmployeeFacts
  from ..models.enterprise_lease import EnterpriseLease
  from ..models.enterprise_tax import EnterpriseTax
  from ..models.enterprise_unemployment_insurance import EnterpriseUnemploymentInsurance
  from ..models.fact_source import FactSource





T = TypeVar("T", bound="EnterpriseProfile")



@_attrs_define
class EnterpriseProfile:
    """ 
        Attributes:
            uscc (str):
            name (str):
            status (EnterpriseProfileStatus):
            district_code (str):
            industry_code (str):
            registered_on (datetime.date):
            bank_account (BankAccount):
            legal_representative (str):
            employees (list[EmployeeFacts]):
            source (FactSource | None | Unset):
            tax (EnterpriseTax | None | Unset):
            unemployment_insurance (EnterpriseUnemploymentInsurance | None | Unset):
            lease (EnterpriseLease | None | Unset):
            attestation (None | str | Unset):
     """

    uscc: str
    name: str
    status: EnterpriseProfileStatus
    district_code: str
    industry_code: str
    registered_on: datetime.date
    bank_account: BankAccount
    legal_representative: str
    employees: list[EmployeeFacts]
    source: FactSource | None | Unset = UNSET
    tax: EnterpriseTax | None | Unset = UNSET
    unemployment_insurance: EnterpriseUnemploymentInsurance | None | Unset = UNSET
    lease: EnterpriseLease | None | Unset = UNSET
    attestation: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.bank_account import BankAccount # noqa: PLC0415
        from ..models.employee_facts import EmployeeFacts # noqa: PLC0415
        from ..models.enterprise_lease import EnterpriseLease # noqa: PLC0415
        from ..models.enterprise_tax import EnterpriseTax # noqa: PLC0415
        from ..models.enterprise_unemployment_insurance import EnterpriseUnemploymentInsurance # noqa: PLC0415
        from ..models.fact_source import FactSource # noqa: PLC0415
        uscc = self.uscc

        name = self.name

        status = self.status.value

        district_code = self.district_code

        industry_code = self.industry_code

        registered_on = self.registered_on.isoformat()

        bank_account = self.bank_account.to_dict()

        legal_representative = self.legal_representative

        employees = []
        for employees_item_data in self.employees:
            employees_item = employees_item_data.to_dict()
            employees.append(employees_item)



        source: dict[str, Any] | None | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, FactSource):
            source = self.source.to_dict()
        else:
            source = self.source

        tax: dict[str, Any] | None | Unset
        if isinstance(self.tax, Unset):
            tax = UNSET
        elif isinstance(self.tax, EnterpriseTax):
            tax = self.tax.to_dict()
        else:
            tax = self.tax

        unemployment_insurance: dict[str, Any] | None | Unset
        if isinstance(self.unemployment_insurance, Unset):
            unemployment_insurance = UNSET
        elif isinstance(self.unemployment_insurance, EnterpriseUnemploymentInsurance):
            unemployment_insurance = self.unemployment_insurance.to_dict()
        else:
            unemployment_insurance = self.unemployment_insurance

        lease: dict[str, Any] | None | Unset
        if isinstance(self.lease, Unset):
            lease = UNSET
        elif isinstance(self.lease, EnterpriseLease):
            lease = self.lease.to_dict()
        else:
            lease = self.lease

        attestation: None | str | Unset
        if isinstance(self.attestation, Unset):
            attestation = UNSET
        else:
            attestation = self.attestation


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "uscc": uscc,
            "name": name,
            "status": status,
            "district_code": district_code,
            "industry_code": industry_code,
            "registered_on": registered_on,
            "bank_account": bank_account,
            "legal_representative": legal_representative,
            "employees": employees,
        })
        if source is not UNSET:
            field_dict["source"] = source
        if tax is not UNSET:
            field_dict["tax"] = tax
        if unemployment_insurance is not UNSET:
            field_dict["unemployment_insurance"] = unemployment_insurance
        if lease is not UNSET:
            field_dict["lease"] = lease
        if attestation is not UNSET:
            field_dict["attestation"] = attestation

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.bank_account import BankAccount # noqa: PLC0415
        from ..models.employee_facts import EmployeeFacts # noqa: PLC0415
        from ..models.enterprise_lease import EnterpriseLease # noqa: PLC0415
        from ..models.enterprise_tax import EnterpriseTax # noqa: PLC0415
        from ..models.enterprise_unemployment_insurance import EnterpriseUnemploymentInsurance # noqa: PLC0415
        from ..models.fact_source import FactSource # noqa: PLC0415
        d = dict(src_dict)
        uscc = d.pop("uscc")

        name = d.pop("name")

        status = EnterpriseProfileStatus(d.pop("status"))




        district_code = d.pop("district_code")

        industry_code = d.pop("industry_code")

        registered_on = datetime.date.fromisoformat(d.pop("registered_on"))




        bank_account = BankAccount.from_dict(d.pop("bank_account"))




        legal_representative = d.pop("legal_representative")

        employees = []
        _employees = d.pop("employees")
        for employees_item_data in (_employees):
            employees_item = EmployeeFacts.from_dict(employees_item_data)



            employees.append(employees_item)


        def _parse_source(data: object) -> FactSource | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_type_0 = FactSource.from_dict(data)



                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FactSource | None | Unset, data)

        source = _parse_source(d.pop("source", UNSET))


        def _parse_tax(data: object) -> EnterpriseTax | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                tax_type_0 = EnterpriseTax.from_dict(data)



                return tax_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EnterpriseTax | None | Unset, data)

        tax = _parse_tax(d.pop("tax", UNSET))


        def _parse_unemployment_insurance(data: object) -> EnterpriseUnemploymentInsurance | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                unemployment_insurance_type_0 = EnterpriseUnemploymentInsurance.from_dict(data)



                return unemployment_insurance_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EnterpriseUnemploymentInsurance | None | Unset, data)

        unemployment_insurance = _parse_unemployment_insurance(d.pop("unemployment_insurance", UNSET))


        def _parse_lease(data: object) -> EnterpriseLease | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lease_type_0 = EnterpriseLease.from_dict(data)



                return lease_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EnterpriseLease | None | Unset, data)

        lease = _parse_lease(d.pop("lease", UNSET))


        def _parse_attestation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        attestation = _parse_attestation(d.pop("attestation", UNSET))


        enterprise_profile = cls(
            uscc=uscc,
            name=name,
            status=status,
            district_code=district_code,
            industry_code=industry_code,
            registered_on=registered_on,
            bank_account=bank_account,
            legal_representative=legal_representative,
            employees=employees,
            source=source,
            tax=tax,
            unemployment_insurance=unemployment_insurance,
            lease=lease,
            attestation=attestation,
        )


        enterprise_profile.additional_properties = d
        return enterprise_profile

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
