from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="CommitmentIn")



@_attrs_define
class CommitmentIn:
    """ An enterprise declares what a department's data does not tell yet (信用承诺): for
    a policy's clause, about one employee; or for a service item's condition, about the
    enterprise itself (告知承诺制: the item is then granted at once on it).

        Attributes:
            uscc (str):
            clause (str):
            signed_by (str): who signs for the enterprise: name and role
            policy_id (None | str | Unset):
            service_code (None | str | Unset):
            id_number (None | str | Unset): the employee the declaration is about (a policy's clause)
     """

    uscc: str
    clause: str
    signed_by: str
    policy_id: None | str | Unset = UNSET
    service_code: None | str | Unset = UNSET
    id_number: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        uscc = self.uscc

        clause = self.clause

        signed_by = self.signed_by

        policy_id: None | str | Unset
        if isinstance(self.policy_id, Unset):
            policy_id = UNSET
        else:
            policy_id = self.policy_id

        service_code: None | str | Unset
        if isinstance(self.service_code, Unset):
            service_code = UNSET
        else:
            service_code = self.service_code

        id_number: None | str | Unset
        if isinstance(self.id_number, Unset):
            id_number = UNSET
        else:
            id_number = self.id_number


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "uscc": uscc,
            "clause": clause,
            "signed_by": signed_by,
        })
        if policy_id is not UNSET:
            field_dict["policy_id"] = policy_id
        if service_code is not UNSET:
            field_dict["service_code"] = service_code
        if id_number is not UNSET:
            field_dict["id_number"] = id_number

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        uscc = d.pop("uscc")

        clause = d.pop("clause")

        signed_by = d.pop("signed_by")

        def _parse_policy_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        policy_id = _parse_policy_id(d.pop("policy_id", UNSET))


        def _parse_service_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service_code = _parse_service_code(d.pop("service_code", UNSET))


        def _parse_id_number(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        id_number = _parse_id_number(d.pop("id_number", UNSET))


        commitment_in = cls(
            uscc=uscc,
            clause=clause,
            signed_by=signed_by,
            policy_id=policy_id,
            service_code=service_code,
            id_number=id_number,
        )

        return commitment_in

