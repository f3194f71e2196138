from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.employee_held_sources import EmployeeHeldSources





T = TypeVar("T", bound="EmployeeHeld")



@_attrs_define
class EmployeeHeld:
    """ 
        Attributes:
            id_number_masked (str):
            name_masked (str):
            birth_year (int):
            degree (None | str):
            graduation_year (int | None):
            social_insurance_months_in_city (int | None):
            owns_home_in_city (bool | None):
            sources (EmployeeHeldSources):
     """

    id_number_masked: str
    name_masked: str
    birth_year: int
    degree: None | str
    graduation_year: int | None
    social_insurance_months_in_city: int | None
    owns_home_in_city: bool | None
    sources: EmployeeHeldSources
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.employee_held_sources import EmployeeHeldSources # noqa: PLC0415
        id_number_masked = self.id_number_masked

        name_masked = self.name_masked

        birth_year = self.birth_year

        degree: None | str
        degree = self.degree

        graduation_year: int | None
        graduation_year = self.graduation_year

        social_insurance_months_in_city: int | None
        social_insurance_months_in_city = self.social_insurance_months_in_city

        owns_home_in_city: bool | None
        owns_home_in_city = self.owns_home_in_city

        sources = self.sources.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id_number_masked": id_number_masked,
            "name_masked": name_masked,
            "birth_year": birth_year,
            "degree": degree,
            "graduation_year": graduation_year,
            "social_insurance_months_in_city": social_insurance_months_in_city,
            "owns_home_in_city": owns_home_in_city,
            "sources": sources,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.employee_held_sources import EmployeeHeldSources # noqa: PLC0415
        d = dict(src_dict)
        id_number_masked = d.pop("id_number_masked")

        name_masked = d.pop("name_masked")

        birth_year = d.pop("birth_year")

        def _parse_degree(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        degree = _parse_degree(d.pop("degree"))


        def _parse_graduation_year(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        graduation_year = _parse_graduation_year(d.pop("graduation_year"))


        def _parse_social_insurance_months_in_city(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        social_insurance_months_in_city = _parse_social_insurance_months_in_city(d.pop("social_insurance_months_in_city"))


        def _parse_owns_home_in_city(data: object) -> bool | None:
            if data is None:
                return data
            return cast(bool | None, data)

        owns_home_in_city = _parse_owns_home_in_city(d.pop("owns_home_in_city"))


        sources = EmployeeHeldSources.from_dict(d.pop("sources"))




        employee_held = cls(
            id_number_masked=id_number_masked,
            name_masked=name_masked,
            birth_year=birth_year,
            degree=degree,
            graduation_year=graduation_year,
            social_insurance_months_in_city=social_insurance_months_in_city,
            owns_home_in_city=owns_home_in_city,
            sources=sources,
        )


        employee_held.additional_properties = d
        return employee_held

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
