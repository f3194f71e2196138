from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="FactSource")



@_attrs_define
class FactSource:
    """ Where a fact came from: the department, its own record id, and the date the fact
    is true as of (docs/data-exchange.md).

        Attributes:
            department (str):
            record_id (str):
            as_of (datetime.date):
     """

    department: str
    record_id: str
    as_of: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        department = self.department

        record_id = self.record_id

        as_of = self.as_of.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "department": department,
            "record_id": record_id,
            "as_of": as_of,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        department = d.pop("department")

        record_id = d.pop("record_id")

        as_of = datetime.date.fromisoformat(d.pop("as_of"))




        fact_source = cls(
            department=department,
            record_id=record_id,
            as_of=as_of,
        )


        fact_source.additional_properties = d
        return fact_source

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
