from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast






T = TypeVar("T", bound="Links")



@_attrs_define
class Links:
    """ What the request is about; the gateway checks each belongs to the enterprise.

        Attributes:
            application_id (None | str | Unset):
            policy_id (None | str | Unset):
            service_code (None | str | Unset):
     """

    application_id: None | str | Unset = UNSET
    policy_id: None | str | Unset = UNSET
    service_code: None | str | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        application_id: None | str | Unset
        if isinstance(self.application_id, Unset):
            application_id = UNSET
        else:
            application_id = self.application_id

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


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if application_id is not UNSET:
            field_dict["application_id"] = application_id
        if policy_id is not UNSET:
            field_dict["policy_id"] = policy_id
        if service_code is not UNSET:
            field_dict["service_code"] = service_code

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        def _parse_application_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        application_id = _parse_application_id(d.pop("application_id", UNSET))


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


        links = cls(
            application_id=application_id,
            policy_id=policy_id,
            service_code=service_code,
        )

        return links

