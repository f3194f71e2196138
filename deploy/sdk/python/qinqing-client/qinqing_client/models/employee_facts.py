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
  from ..models.education import Education
  from ..models.employee_facts_sources import EmployeeFactsSources





T = TypeVar("T", bound="EmployeeFacts")



@_attrs_define
class EmployeeFacts:
    """ A person employed by the enterprise, with what departments hold about them.

    A fact no department has sent is ``None``: unknown, never a negative (no housing
    record is not "owns no home"). A rule on an unknown fact does not pass.

        Attributes:
            id_number (str):
            name (str):
            birth_date (datetime.date):
            household_district (str):
            education (Education | None | Unset):
            social_insurance_months_in_city (int | None | Unset):
            owns_home_in_city (bool | None | Unset):
            sources (EmployeeFactsSources | Unset):
     """

    id_number: str
    name: str
    birth_date: datetime.date
    household_district: str
    education: Education | None | Unset = UNSET
    social_insurance_months_in_city: int | None | Unset = UNSET
    owns_home_in_city: bool | None | Unset = UNSET
    sources: EmployeeFactsSources | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.education import Education # noqa: PLC0415
        from ..models.employee_facts_sources import EmployeeFactsSources # noqa: PLC0415
        id_number = self.id_number

        name = self.name

        birth_date = self.birth_date.isoformat()

        household_district = self.household_district

        education: dict[str, Any] | None | Unset
        if isinstance(self.education, Unset):
            education = UNSET
        elif isinstance(self.education, Education):
            education = self.education.to_dict()
        else:
            education = self.education

        social_insurance_months_in_city: int | None | Unset
        if isinstance(self.social_insurance_months_in_city, Unset):
            social_insurance_months_in_city = UNSET
        else:
            social_insurance_months_in_city = self.social_insurance_months_in_city

        owns_home_in_city: bool | None | Unset
        if isinstance(self.owns_home_in_city, Unset):
            owns_home_in_city = UNSET
        else:
            owns_home_in_city = self.owns_home_in_city

        sources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.sources, Unset):
            sources = self.sources.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id_number": id_number,
            "name": name,
            "birth_date": birth_date,
            "household_district": household_district,
        })
        if education is not UNSET:
            field_dict["education"] = education
        if social_insurance_months_in_city is not UNSET:
            field_dict["social_insurance_months_in_city"] = social_insurance_months_in_city
        if owns_home_in_city is not UNSET:
            field_dict["owns_home_in_city"] = owns_home_in_city
        if sources is not UNSET:
            field_dict["sources"] = sources

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.education import Education # noqa: PLC0415
        from ..models.employee_facts_sources import EmployeeFactsSources # noqa: PLC0415
        d = dict(src_dict)
        id_number = d.pop("id_number")

        name = d.pop("name")

        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))




        household_district = d.pop("household_district")

        def _parse_education(data: object) -> Education | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                education_type_0 = Education.from_dict(data)



                return education_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Education | None | Unset, data)

        education = _parse_education(d.pop("education", UNSET))


        def _parse_social_insurance_months_in_city(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        social_insurance_months_in_city = _parse_social_insurance_months_in_city(d.pop("social_insurance_months_in_city", UNSET))


        def _parse_owns_home_in_city(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        owns_home_in_city = _parse_owns_home_in_city(d.pop("owns_home_in_city", UNSET))


        _sources = d.pop("sources", UNSET)
        sources: EmployeeFactsSources | Unset
        if isinstance(_sources,  Unset):
            sources = UNSET
        else:
            sources = EmployeeFactsSources.from_dict(_sources)




        employee_facts = cls(
            id_number=id_number,
            name=name,
            birth_date=birth_date,
            household_district=household_district,
            education=education,
            social_insurance_months_in_city=social_insurance_months_in_city,
            owns_home_in_city=owns_home_in_city,
            sources=sources,
        )


        employee_facts.additional_properties = d
        return employee_facts

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
