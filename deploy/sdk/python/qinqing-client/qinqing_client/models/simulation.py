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
  from ..models.beneficiary import Beneficiary
  from ..models.trace_entry import TraceEntry





T = TypeVar("T", bound="Simulation")



@_attrs_define
class Simulation:
    """ A decision that pays nothing and is kept nowhere (OpenFisca's ``/calculate``).

        Attributes:
            policy_id (str):
            policy_version (int):
            uscc (str):
            on (datetime.date):
            eligible (bool):
            amount_fen (int): Amount in fen (1 CNY = 100 fen)
            currency (Literal['CNY']):
            beneficiaries (list[Beneficiary]):
            reasons (list[str]):
            trace (list[TraceEntry]):
            reasons_zh (list[str] | Unset):
            real_enterprise (bool | Unset):  Default: False.
     """

    policy_id: str
    policy_version: int
    uscc: str
    on: datetime.date
    eligible: bool
    amount_fen: int
    currency: Literal['CNY']
    beneficiaries: list[Beneficiary]
    reasons: list[str]
    trace: list[TraceEntry]
    reasons_zh: list[str] | Unset = UNSET
    real_enterprise: bool | Unset = False
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.beneficiary import Beneficiary # noqa: PLC0415
        from ..models.trace_entry import TraceEntry # noqa: PLC0415
        policy_id = self.policy_id

        policy_version = self.policy_version

        uscc = self.uscc

        on = self.on.isoformat()

        eligible = self.eligible

        amount_fen = self.amount_fen

        currency = self.currency

        beneficiaries = []
        for beneficiaries_item_data in self.beneficiaries:
            beneficiaries_item = beneficiaries_item_data.to_dict()
            beneficiaries.append(beneficiaries_item)



        reasons = self.reasons



        trace = []
        for trace_item_data in self.trace:
            trace_item = trace_item_data.to_dict()
            trace.append(trace_item)



        reasons_zh: list[str] | Unset = UNSET
        if not isinstance(self.reasons_zh, Unset):
            reasons_zh = self.reasons_zh



        real_enterprise = self.real_enterprise


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "policy_id": policy_id,
            "policy_version": policy_version,
            "uscc": uscc,
            "on": on,
            "eligible": eligible,
            "amount_fen": amount_fen,
            "currency": currency,
            "beneficiaries": beneficiaries,
            "reasons": reasons,
            "trace": trace,
        })
        if reasons_zh is not UNSET:
            field_dict["reasons_zh"] = reasons_zh
        if real_enterprise is not UNSET:
            field_dict["real_enterprise"] = real_enterprise

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.beneficiary import Beneficiary # noqa: PLC0415
        from ..models.trace_entry import TraceEntry # noqa: PLC0415
        d = dict(src_dict)
        policy_id = d.pop("policy_id")

        policy_version = d.pop("policy_version")

        uscc = d.pop("uscc")

        on = datetime.date.fromisoformat(d.pop("on"))




        eligible = d.pop("eligible")

        amount_fen = d.pop("amount_fen")

        currency = cast(Literal['CNY'] , d.pop("currency"))
        if currency != 'CNY':
            raise ValueError(f"currency must match const 'CNY', got '{currency}'")

        beneficiaries = []
        _beneficiaries = d.pop("beneficiaries")
        for beneficiaries_item_data in (_beneficiaries):
            beneficiaries_item = Beneficiary.from_dict(beneficiaries_item_data)



            beneficiaries.append(beneficiaries_item)


        reasons = cast(list[str], d.pop("reasons"))


        trace = []
        _trace = d.pop("trace")
        for trace_item_data in (_trace):
            trace_item = TraceEntry.from_dict(trace_item_data)



            trace.append(trace_item)


        reasons_zh = cast(list[str], d.pop("reasons_zh", UNSET))


        real_enterprise = d.pop("real_enterprise", UNSET)

        simulation = cls(
            policy_id=policy_id,
            policy_version=policy_version,
            uscc=uscc,
            on=on,
            eligible=eligible,
            amount_fen=amount_fen,
            currency=currency,
            beneficiaries=beneficiaries,
            reasons=reasons,
            trace=trace,
            reasons_zh=reasons_zh,
            real_enterprise=real_enterprise,
        )


        simulation.additional_properties = d
        return simulation

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
