from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset







T = TypeVar("T", bound="CommitmentIn")



@_attrs_define
class CommitmentIn:
    """ An enterprise declares what a department's data does not tell yet (信用承诺).

        Attributes:
            uscc (str):
            policy_id (str):
            clause (str):
            id_number (str): the employee the declaration is about
            signed_by (str): who signs for the enterprise: name and role
     """

    uscc: str
    policy_id: str
    clause: str
    id_number: str
    signed_by: str





    def to_dict(self) -> dict[str, Any]:
        uscc = self.uscc

        policy_id = self.policy_id

        clause = self.clause

        id_number = self.id_number

        signed_by = self.signed_by


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "uscc": uscc,
            "policy_id": policy_id,
            "clause": clause,
            "id_number": id_number,
            "signed_by": signed_by,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        uscc = d.pop("uscc")

        policy_id = d.pop("policy_id")

        clause = d.pop("clause")

        id_number = d.pop("id_number")

        signed_by = d.pop("signed_by")

        commitment_in = cls(
            uscc=uscc,
            policy_id=policy_id,
            clause=clause,
            id_number=id_number,
            signed_by=signed_by,
        )

        return commitment_in

