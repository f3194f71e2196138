from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime






T = TypeVar("T", bound="ClawbackView")



@_attrs_define
class ClawbackView:
    """ Why and when a paid application's money was demanded back.

        Attributes:
            commitment_id (str): the credit commitment found broken
            reason (str):
            amount_fen (int): what the enterprise owes back
            clawed_back_at (datetime.datetime):
     """

    commitment_id: str
    reason: str
    amount_fen: int
    clawed_back_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        commitment_id = self.commitment_id

        reason = self.reason

        amount_fen = self.amount_fen

        clawed_back_at = self.clawed_back_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "commitment_id": commitment_id,
            "reason": reason,
            "amount_fen": amount_fen,
            "clawed_back_at": clawed_back_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        commitment_id = d.pop("commitment_id")

        reason = d.pop("reason")

        amount_fen = d.pop("amount_fen")

        clawed_back_at = datetime.datetime.fromisoformat(d.pop("clawed_back_at"))




        clawback_view = cls(
            commitment_id=commitment_id,
            reason=reason,
            amount_fen=amount_fen,
            clawed_back_at=clawed_back_at,
        )


        clawback_view.additional_properties = d
        return clawback_view

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
