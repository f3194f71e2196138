from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.amount_table_amounts_fen import AmountTableAmountsFen





T = TypeVar("T", bound="AmountTable")



@_attrs_define
class AmountTable:
    """ Amount per beneficiary, looked up by one fact (e.g. the degree); at most
    ``max_fen_per_enterprise`` for one enterprise's application, when the policy caps it
    (employees in the order the enterprise's record lists them, until the cap is met).

        Attributes:
            by (str):
            amounts_fen (AmountTableAmountsFen):
            max_fen_per_enterprise (int | None | Unset):
     """

    by: str
    amounts_fen: AmountTableAmountsFen
    max_fen_per_enterprise: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_table_amounts_fen import AmountTableAmountsFen # noqa: PLC0415
        by = self.by

        amounts_fen = self.amounts_fen.to_dict()

        max_fen_per_enterprise: int | None | Unset
        if isinstance(self.max_fen_per_enterprise, Unset):
            max_fen_per_enterprise = UNSET
        else:
            max_fen_per_enterprise = self.max_fen_per_enterprise


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "by": by,
            "amounts_fen": amounts_fen,
        })
        if max_fen_per_enterprise is not UNSET:
            field_dict["max_fen_per_enterprise"] = max_fen_per_enterprise

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.amount_table_amounts_fen import AmountTableAmountsFen # noqa: PLC0415
        d = dict(src_dict)
        by = d.pop("by")

        amounts_fen = AmountTableAmountsFen.from_dict(d.pop("amounts_fen"))




        def _parse_max_fen_per_enterprise(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_fen_per_enterprise = _parse_max_fen_per_enterprise(d.pop("max_fen_per_enterprise", UNSET))


        amount_table = cls(
            by=by,
            amounts_fen=amounts_fen,
            max_fen_per_enterprise=max_fen_per_enterprise,
        )


        amount_table.additional_properties = d
        return amount_table

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
