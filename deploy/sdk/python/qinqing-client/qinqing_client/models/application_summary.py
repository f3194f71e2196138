from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.application_summary_status import ApplicationSummaryStatus
from typing import cast
import datetime






T = TypeVar("T", bound="ApplicationSummary")



@_attrs_define
class ApplicationSummary:
    """ 
        Attributes:
            id (str):
            policy_id (str):
            status (ApplicationSummaryStatus):
            amount_fen (int):
            applied_on (datetime.date):
            created_at (datetime.datetime):
     """

    id: str
    policy_id: str
    status: ApplicationSummaryStatus
    amount_fen: int
    applied_on: datetime.date
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        policy_id = self.policy_id

        status = self.status.value

        amount_fen = self.amount_fen

        applied_on = self.applied_on.isoformat()

        created_at = self.created_at.isoformat()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "policy_id": policy_id,
            "status": status,
            "amount_fen": amount_fen,
            "applied_on": applied_on,
            "created_at": created_at,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        policy_id = d.pop("policy_id")

        status = ApplicationSummaryStatus(d.pop("status"))




        amount_fen = d.pop("amount_fen")

        applied_on = datetime.date.fromisoformat(d.pop("applied_on"))




        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))




        application_summary = cls(
            id=id,
            policy_id=policy_id,
            status=status,
            amount_fen=amount_fen,
            applied_on=applied_on,
            created_at=created_at,
        )


        application_summary.additional_properties = d
        return application_summary

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
