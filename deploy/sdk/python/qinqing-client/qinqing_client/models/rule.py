from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.rule_op import RuleOp
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.commitment_terms import CommitmentTerms
  from ..models.value_bands import ValueBands





T = TypeVar("T", bound="Rule")



@_attrs_define
class Rule:
    """ One clause: ``fact op value``, e.g. ``person.age le 35``.

        Attributes:
            clause (str): Stable clause id shown in the trace, e.g. 'age'
            fact (str): The fact to test, e.g. 'person.age'
            op (RuleOp):
            value (bool | int | list[bool | int | str] | str):
            message (str): What the clause requires, in words
            message_zh (None | str | Unset): The same, in Chinese
            value_by (None | Unset | ValueBands): Other values, chosen by another fact's bands
            commitment (CommitmentTerms | None | Unset): Whether, and how, a commitment may stand for the fact
     """

    clause: str
    fact: str
    op: RuleOp
    value: bool | int | list[bool | int | str] | str
    message: str
    message_zh: None | str | Unset = UNSET
    value_by: None | Unset | ValueBands = UNSET
    commitment: CommitmentTerms | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.commitment_terms import CommitmentTerms # noqa: PLC0415
        from ..models.value_bands import ValueBands # noqa: PLC0415
        clause = self.clause

        fact = self.fact

        op = self.op.value

        value: bool | int | list[bool | int | str] | str
        if isinstance(self.value, list):
            value = []
            for value_type_3_item_data in self.value:
                value_type_3_item: bool | int | str
                value_type_3_item = value_type_3_item_data
                value.append(value_type_3_item)


        else:
            value = self.value

        message = self.message

        message_zh: None | str | Unset
        if isinstance(self.message_zh, Unset):
            message_zh = UNSET
        else:
            message_zh = self.message_zh

        value_by: dict[str, Any] | None | Unset
        if isinstance(self.value_by, Unset):
            value_by = UNSET
        elif isinstance(self.value_by, ValueBands):
            value_by = self.value_by.to_dict()
        else:
            value_by = self.value_by

        commitment: dict[str, Any] | None | Unset
        if isinstance(self.commitment, Unset):
            commitment = UNSET
        elif isinstance(self.commitment, CommitmentTerms):
            commitment = self.commitment.to_dict()
        else:
            commitment = self.commitment


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "clause": clause,
            "fact": fact,
            "op": op,
            "value": value,
            "message": message,
        })
        if message_zh is not UNSET:
            field_dict["message_zh"] = message_zh
        if value_by is not UNSET:
            field_dict["value_by"] = value_by
        if commitment is not UNSET:
            field_dict["commitment"] = commitment

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.commitment_terms import CommitmentTerms # noqa: PLC0415
        from ..models.value_bands import ValueBands # noqa: PLC0415
        d = dict(src_dict)
        clause = d.pop("clause")

        fact = d.pop("fact")

        op = RuleOp(d.pop("op"))




        def _parse_value(data: object) -> bool | int | list[bool | int | str] | str:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                value_type_3 = []
                _value_type_3 = data
                for value_type_3_item_data in (_value_type_3):
                    def _parse_value_type_3_item(data: object) -> bool | int | str:
                        return cast(bool | int | str, data)

                    value_type_3_item = _parse_value_type_3_item(value_type_3_item_data)

                    value_type_3.append(value_type_3_item)

                return value_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(bool | int | list[bool | int | str] | str, data)

        value = _parse_value(d.pop("value"))


        message = d.pop("message")

        def _parse_message_zh(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        message_zh = _parse_message_zh(d.pop("message_zh", UNSET))


        def _parse_value_by(data: object) -> None | Unset | ValueBands:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                value_by_type_0 = ValueBands.from_dict(data)



                return value_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | ValueBands, data)

        value_by = _parse_value_by(d.pop("value_by", UNSET))


        def _parse_commitment(data: object) -> CommitmentTerms | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                commitment_type_0 = CommitmentTerms.from_dict(data)



                return commitment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CommitmentTerms | None | Unset, data)

        commitment = _parse_commitment(d.pop("commitment", UNSET))


        rule = cls(
            clause=clause,
            fact=fact,
            op=op,
            value=value,
            message=message,
            message_zh=message_zh,
            value_by=value_by,
            commitment=commitment,
        )


        rule.additional_properties = d
        return rule

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
