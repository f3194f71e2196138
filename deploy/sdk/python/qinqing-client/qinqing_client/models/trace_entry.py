from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="TraceEntry")



@_attrs_define
class TraceEntry:
    """ 
        Attributes:
            subject (str):
            clause (str):
            requirement (str):
            seen (bool | int | None | str):
            passed (bool):
            requirement_zh (None | str | Unset):
            missing_from (None | str | Unset):
            source (None | str | Unset):
            commitment (None | str | Unset):
     """

    subject: str
    clause: str
    requirement: str
    seen: bool | int | None | str
    passed: bool
    requirement_zh: None | str | Unset = UNSET
    missing_from: None | str | Unset = UNSET
    source: None | str | Unset = UNSET
    commitment: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        subject = self.subject

        clause = self.clause

        requirement = self.requirement

        seen: bool | int | None | str
        seen = self.seen

        passed = self.passed

        requirement_zh: None | str | Unset
        if isinstance(self.requirement_zh, Unset):
            requirement_zh = UNSET
        else:
            requirement_zh = self.requirement_zh

        missing_from: None | str | Unset
        if isinstance(self.missing_from, Unset):
            missing_from = UNSET
        else:
            missing_from = self.missing_from

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        commitment: None | str | Unset
        if isinstance(self.commitment, Unset):
            commitment = UNSET
        else:
            commitment = self.commitment


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "subject": subject,
            "clause": clause,
            "requirement": requirement,
            "seen": seen,
            "passed": passed,
        })
        if requirement_zh is not UNSET:
            field_dict["requirement_zh"] = requirement_zh
        if missing_from is not UNSET:
            field_dict["missing_from"] = missing_from
        if source is not UNSET:
            field_dict["source"] = source
        if commitment is not UNSET:
            field_dict["commitment"] = commitment

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        subject = d.pop("subject")

        clause = d.pop("clause")

        requirement = d.pop("requirement")

        def _parse_seen(data: object) -> bool | int | None | str:
            if data is None:
                return data
            return cast(bool | int | None | str, data)

        seen = _parse_seen(d.pop("seen"))


        passed = d.pop("passed")

        def _parse_requirement_zh(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        requirement_zh = _parse_requirement_zh(d.pop("requirement_zh", UNSET))


        def _parse_missing_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        missing_from = _parse_missing_from(d.pop("missing_from", UNSET))


        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))


        def _parse_commitment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        commitment = _parse_commitment(d.pop("commitment", UNSET))


        trace_entry = cls(
            subject=subject,
            clause=clause,
            requirement=requirement,
            seen=seen,
            passed=passed,
            requirement_zh=requirement_zh,
            missing_from=missing_from,
            source=source,
            commitment=commitment,
        )


        trace_entry.additional_properties = d
        return trace_entry

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
