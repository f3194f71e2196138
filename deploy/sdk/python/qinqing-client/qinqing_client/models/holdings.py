from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.employee_held import EmployeeHeld
  from ..models.enterprise_lease import EnterpriseLease
  from ..models.enterprise_tax import EnterpriseTax
  from ..models.enterprise_unemployment_insurance import EnterpriseUnemploymentInsurance
  from ..models.fact_source import FactSource





T = TypeVar("T", bound="Holdings")



@_attrs_define
class Holdings:
    """ 
        Attributes:
            uscc (str):
            name (str):
            status (str):
            district_code (str):
            industry_code (str):
            registered_on (datetime.date):
            bank (str):
            account_no_masked (str):
            legal_representative_masked (str):
            source (FactSource | None):
            employees (list[EmployeeHeld]):
            tax (EnterpriseTax | None | Unset):
            unemployment_insurance (EnterpriseUnemploymentInsurance | None | Unset):
            lease (EnterpriseLease | None | Unset):
     """

    uscc: str
    name: str
    status: str
    district_code: str
    industry_code: str
    registered_on: datetime.date
    bank: str
    account_no_masked: str
    legal_representative_masked: str
    source: FactSource | None
    employees: list[EmployeeHeld]
    tax: EnterpriseTax | None | Unset = UNSET
    unemployment_insurance: EnterpriseUnemploymentInsurance | None | Unset = UNSET
    lease: EnterpriseLease | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.employee_held import EmployeeHeld # noqa: PLC0415
        from ..models.enterprise_lease import EnterpriseLease # noqa: PLC0415
        from ..models.enterprise_tax import EnterpriseTax # noqa: PLC0415
        from ..models.enterprise_unemployment_insurance import EnterpriseUnemploymentInsurance # noqa: PLC0415
        from ..models.fact_source import FactSource # noqa: PLC0415
        uscc = self.uscc

        name = self.name

        status = self.status

        district_code = self.district_code

        industry_code = self.industry_code

        registered_on = self.registered_on.isoformat()

        bank = self.bank

        account_no_masked = self.account_no_masked

        legal_representative_masked = self.legal_representative_masked

        source: dict[str, Any] | None
        if isinstance(self.source, FactSource):
            source = self.source.to_dict()
        else:
            source = self.source

        employees = []
        for employees_item_data in self.employees:
            employees_item = employees_item_data.to_dict()
            employees.append(employees_item)



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


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "uscc": uscc,
            "name": name,
            "status": status,
            "district_code": district_code,
            "industry_code": industry_code,
            "registered_on": registered_on,
            "bank": bank,
            "account_no_masked": account_no_masked,
            "legal_representative_masked": legal_representative_masked,
            "source": source,
            "employees": employees,
        })
        if tax is not UNSET:
            field_dict["tax"] = tax
        if unemployment_insurance is not UNSET:
            field_dict["unemployment_insurance"] = unemployment_insurance
        if lease is not UNSET:
            field_dict["lease"] = lease

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.employee_held import EmployeeHeld # noqa: PLC0415
        from ..models.enterprise_lease import EnterpriseLease # noqa: PLC0415
        from ..models.enterprise_tax import EnterpriseTax # noqa: PLC0415
        from ..models.enterprise_unemployment_insurance import EnterpriseUnemploymentInsurance # noqa: PLC0415
        from ..models.fact_source import FactSource # noqa: PLC0415
        d = dict(src_dict)
        uscc = d.pop("uscc")

        name = d.pop("name")

        status = d.pop("status")

        district_code = d.pop("district_code")

        industry_code = d.pop("industry_code")

        registered_on = datetime.date.fromisoformat(d.pop("registered_on"))




        bank = d.pop("bank")

        account_no_masked = d.pop("account_no_masked")

        legal_representative_masked = d.pop("legal_representative_masked")

        def _parse_source(data: object) -> FactSource | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_type_0 = FactSource.from_dict(data)



                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FactSource | None, data)

        source = _parse_source(d.pop("source"))


        employees = []
        _employees = d.pop("employees")
        for employees_item_data in (_employees):
            employees_item = EmployeeHeld.from_dict(employees_item_data)



            employees.append(employees_item)


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


        holdings = cls(
            uscc=uscc,
            name=name,
            status=status,
            district_code=district_code,
            industry_code=industry_code,
            registered_on=registered_on,
            bank=bank,
            account_no_masked=account_no_masked,
            legal_representative_masked=legal_representative_masked,
            source=source,
            employees=employees,
            tax=tax,
            unemployment_insurance=unemployment_insurance,
            lease=lease,
        )


        holdings.additional_properties = d
        return holdings

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
