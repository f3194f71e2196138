from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.policy_rules import PolicyRules





T = TypeVar("T", bound="Policy")



@_attrs_define
class Policy:
    """ 
        Attributes:
            id (str):
            version (int):
            name (str):
            department_code (str):
            service_code (str):
            budget_fen (int): Amount in fen (1 CNY = 100 fen)
            valid_from (datetime.date):
            valid_to (datetime.date):
            rules (PolicyRules):
            name_zh (None | str | Unset): Its name in Chinese
            currency (Literal['CNY'] | Unset):  Default: 'CNY'.
            proactive (bool | Unset): Paid without applying (免申即享): when a version is published, the platform evaluates
                every enterprise and pays each eligible one Default: False.
            notice_days (int | Unset): A proactive policy's notice period: days between telling an eligible enterprise and
                paying it, during which it may decline Default: 0.
            attestation (None | str | Unset):
     """

    id: str
    version: int
    name: str
    department_code: str
    service_code: str
    budget_fen: int
    valid_from: datetime.date
    valid_to: datetime.date
    rules: PolicyRules
    name_zh: None | str | Unset = UNSET
    currency: Literal['CNY'] | Unset = 'CNY'
    proactive: bool | Unset = False
    notice_days: int | Unset = 0
    attestation: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.policy_rules import PolicyRules # noqa: PLC0415
        id = self.id

        version = self.version

        name = self.name

        department_code = self.department_code

        service_code = self.service_code

        budget_fen = self.budget_fen

        valid_from = self.valid_from.isoformat()

        valid_to = self.valid_to.isoformat()

        rules = self.rules.to_dict()

        name_zh: None | str | Unset
        if isinstance(self.name_zh, Unset):
            name_zh = UNSET
        else:
            name_zh = self.name_zh

        currency = self.currency

        proactive = self.proactive

        notice_days = self.notice_days

        attestation: None | str | Unset
        if isinstance(self.attestation, Unset):
            attestation = UNSET
        else:
            attestation = self.attestation


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "version": version,
            "name": name,
            "department_code": department_code,
            "service_code": service_code,
            "budget_fen": budget_fen,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "rules": rules,
        })
        if name_zh is not UNSET:
            field_dict["name_zh"] = name_zh
        if currency is not UNSET:
            field_dict["currency"] = currency
        if proactive is not UNSET:
            field_dict["proactive"] = proactive
        if notice_days is not UNSET:
            field_dict["notice_days"] = notice_days
        if attestation is not UNSET:
            field_dict["attestation"] = attestation

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.policy_rules import PolicyRules # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        version = d.pop("version")

        name = d.pop("name")

        department_code = d.pop("department_code")

        service_code = d.pop("service_code")

        budget_fen = d.pop("budget_fen")

        valid_from = datetime.date.fromisoformat(d.pop("valid_from"))




        valid_to = datetime.date.fromisoformat(d.pop("valid_to"))




        rules = PolicyRules.from_dict(d.pop("rules"))




        def _parse_name_zh(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name_zh = _parse_name_zh(d.pop("name_zh", UNSET))


        currency = cast(Literal['CNY'] | Unset , d.pop("currency", UNSET))
        if currency != 'CNY'and not isinstance(currency, Unset):
            raise ValueError(f"currency must match const 'CNY', got '{currency}'")

        proactive = d.pop("proactive", UNSET)

        notice_days = d.pop("notice_days", UNSET)

        def _parse_attestation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        attestation = _parse_attestation(d.pop("attestation", UNSET))


        policy = cls(
            id=id,
            version=version,
            name=name,
            department_code=department_code,
            service_code=service_code,
            budget_fen=budget_fen,
            valid_from=valid_from,
            valid_to=valid_to,
            rules=rules,
            name_zh=name_zh,
            currency=currency,
            proactive=proactive,
            notice_days=notice_days,
            attestation=attestation,
        )


        policy.additional_properties = d
        return policy

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
