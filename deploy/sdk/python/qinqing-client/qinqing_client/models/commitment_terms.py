from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset






T = TypeVar("T", bound="CommitmentTerms")



@_attrs_define
class CommitmentTerms:
    """ A clause the enterprise may meet by a credit commitment (信用承诺) while the
    department's data is unknown: never against a department's negative.

        Attributes:
            statement (str): What the enterprise declares, e.g. 'This employee owns no home in the city'
            verify_within_days (int): Days within which the platform verifies it
            redlist_only (bool | Unset): Open only to enterprises on a red list (a reward) Default: False.
     """

    statement: str
    verify_within_days: int
    redlist_only: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        statement = self.statement

        verify_within_days = self.verify_within_days

        redlist_only = self.redlist_only


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "statement": statement,
            "verify_within_days": verify_within_days,
        })
        if redlist_only is not UNSET:
            field_dict["redlist_only"] = redlist_only

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        statement = d.pop("statement")

        verify_within_days = d.pop("verify_within_days")

        redlist_only = d.pop("redlist_only", UNSET)

        commitment_terms = cls(
            statement=statement,
            verify_within_days=verify_within_days,
            redlist_only=redlist_only,
        )


        commitment_terms.additional_properties = d
        return commitment_terms

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
