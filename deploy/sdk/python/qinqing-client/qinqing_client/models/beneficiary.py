from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="Beneficiary")



@_attrs_define
class Beneficiary:
    """ 
        Attributes:
            id_number_masked (str):
            name_masked (str):
            amount_fen (int): Amount in fen (1 CNY = 100 fen)
     """

    id_number_masked: str
    name_masked: str
    amount_fen: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id_number_masked = self.id_number_masked

        name_masked = self.name_masked

        amount_fen = self.amount_fen


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id_number_masked": id_number_masked,
            "name_masked": name_masked,
            "amount_fen": amount_fen,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id_number_masked = d.pop("id_number_masked")

        name_masked = d.pop("name_masked")

        amount_fen = d.pop("amount_fen")

        beneficiary = cls(
            id_number_masked=id_number_masked,
            name_masked=name_masked,
            amount_fen=amount_fen,
        )


        beneficiary.additional_properties = d
        return beneficiary

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
