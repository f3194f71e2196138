from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="ApplyRequest")



@_attrs_define
class ApplyRequest:
    """ 
        Attributes:
            uscc (str): The enterprise's Unified Social Credit Code
     """

    uscc: str





    def to_dict(self) -> dict[str, Any]:
        uscc = self.uscc


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "uscc": uscc,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        uscc = d.pop("uscc")

        apply_request = cls(
            uscc=uscc,
        )

        return apply_request

