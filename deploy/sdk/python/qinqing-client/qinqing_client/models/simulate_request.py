from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.enterprise_profile import EnterpriseProfile





T = TypeVar("T", bound="SimulateRequest")



@_attrs_define
class SimulateRequest:
    """ A real enterprise (by USCC, one that granted the caller access) or made-up facts.

        Attributes:
            uscc (None | str | Unset): a real enterprise, as identity-svc holds it
            enterprise (EnterpriseProfile | None | Unset): made-up facts: decided as given, kept nowhere
            on (datetime.date | None | Unset): the day to decide on (default: today)
            draft (int | None | Unset): a department's own draft version, previewed on made-up facts
     """

    uscc: None | str | Unset = UNSET
    enterprise: EnterpriseProfile | None | Unset = UNSET
    on: datetime.date | None | Unset = UNSET
    draft: int | None | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.enterprise_profile import EnterpriseProfile # noqa: PLC0415
        uscc: None | str | Unset
        if isinstance(self.uscc, Unset):
            uscc = UNSET
        else:
            uscc = self.uscc

        enterprise: dict[str, Any] | None | Unset
        if isinstance(self.enterprise, Unset):
            enterprise = UNSET
        elif isinstance(self.enterprise, EnterpriseProfile):
            enterprise = self.enterprise.to_dict()
        else:
            enterprise = self.enterprise

        on: None | str | Unset
        if isinstance(self.on, Unset):
            on = UNSET
        elif isinstance(self.on, datetime.date):
            on = self.on.isoformat()
        else:
            on = self.on

        draft: int | None | Unset
        if isinstance(self.draft, Unset):
            draft = UNSET
        else:
            draft = self.draft


        field_dict: dict[str, Any] = {}

        field_dict.update({
        })
        if uscc is not UNSET:
            field_dict["uscc"] = uscc
        if enterprise is not UNSET:
            field_dict["enterprise"] = enterprise
        if on is not UNSET:
            field_dict["on"] = on
        if draft is not UNSET:
            field_dict["draft"] = draft

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.enterprise_profile import EnterpriseProfile # noqa: PLC0415
        d = dict(src_dict)
        def _parse_uscc(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        uscc = _parse_uscc(d.pop("uscc", UNSET))


        def _parse_enterprise(data: object) -> EnterpriseProfile | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                enterprise_type_0 = EnterpriseProfile.from_dict(data)



                return enterprise_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EnterpriseProfile | None | Unset, data)

        enterprise = _parse_enterprise(d.pop("enterprise", UNSET))


        def _parse_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                on_type_0 = datetime.date.fromisoformat(data)



                return on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        on = _parse_on(d.pop("on", UNSET))


        def _parse_draft(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        draft = _parse_draft(d.pop("draft", UNSET))


        simulate_request = cls(
            uscc=uscc,
            enterprise=enterprise,
            on=on,
            draft=draft,
        )

        return simulate_request

