from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="PersonLookup")



@_attrs_define
class PersonLookup:
    """ 
        Attributes:
            id_number (str): Resident ID number (GB 11643-1999)
     """

    id_number: str





    def to_dict(self) -> dict[str, Any]:
        id_number = self.id_number


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "id_number": id_number,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id_number = d.pop("id_number")

        person_lookup = cls(
            id_number=id_number,
        )

        return person_lookup

