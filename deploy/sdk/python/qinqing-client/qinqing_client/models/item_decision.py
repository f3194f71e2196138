from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.item_decision_outcome import ItemDecisionOutcome
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.trace_entry import TraceEntry





T = TypeVar("T", bound="ItemDecision")



@_attrs_define
class ItemDecision:
    """ granted: every condition holds; refused: one does not, or credit forbids it (joint
    punishment); undecided: a condition's fact is unknown (no department sent it), so
    the item's department decides. Signed by subsidy-svc: catalog-svc records a request
    answered at once only on exactly this.

        Attributes:
            request_id (str):
            service_code (str):
            uscc (str):
            handling_version (int):
            on (datetime.date):
            outcome (ItemDecisionOutcome):
            reasons (list[str]):
            trace (list[TraceEntry]):
            reasons_zh (list[str] | Unset):
            commitments (list[str] | Unset):
            attestation (None | str | Unset):
     """

    request_id: str
    service_code: str
    uscc: str
    handling_version: int
    on: datetime.date
    outcome: ItemDecisionOutcome
    reasons: list[str]
    trace: list[TraceEntry]
    reasons_zh: list[str] | Unset = UNSET
    commitments: list[str] | Unset = UNSET
    attestation: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.trace_entry import TraceEntry # noqa: PLC0415
        request_id = self.request_id

        service_code = self.service_code

        uscc = self.uscc

        handling_version = self.handling_version

        on = self.on.isoformat()

        outcome = self.outcome.value

        reasons = self.reasons



        trace = []
        for trace_item_data in self.trace:
            trace_item = trace_item_data.to_dict()
            trace.append(trace_item)



        reasons_zh: list[str] | Unset = UNSET
        if not isinstance(self.reasons_zh, Unset):
            reasons_zh = self.reasons_zh



        commitments: list[str] | Unset = UNSET
        if not isinstance(self.commitments, Unset):
            commitments = self.commitments



        attestation: None | str | Unset
        if isinstance(self.attestation, Unset):
            attestation = UNSET
        else:
            attestation = self.attestation


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "request_id": request_id,
            "service_code": service_code,
            "uscc": uscc,
            "handling_version": handling_version,
            "on": on,
            "outcome": outcome,
            "reasons": reasons,
            "trace": trace,
        })
        if reasons_zh is not UNSET:
            field_dict["reasons_zh"] = reasons_zh
        if commitments is not UNSET:
            field_dict["commitments"] = commitments
        if attestation is not UNSET:
            field_dict["attestation"] = attestation

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trace_entry import TraceEntry # noqa: PLC0415
        d = dict(src_dict)
        request_id = d.pop("request_id")

        service_code = d.pop("service_code")

        uscc = d.pop("uscc")

        handling_version = d.pop("handling_version")

        on = datetime.date.fromisoformat(d.pop("on"))




        outcome = ItemDecisionOutcome(d.pop("outcome"))




        reasons = cast(list[str], d.pop("reasons"))


        trace = []
        _trace = d.pop("trace")
        for trace_item_data in (_trace):
            trace_item = TraceEntry.from_dict(trace_item_data)



            trace.append(trace_item)


        reasons_zh = cast(list[str], d.pop("reasons_zh", UNSET))


        commitments = cast(list[str], d.pop("commitments", UNSET))


        def _parse_attestation(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        attestation = _parse_attestation(d.pop("attestation", UNSET))


        item_decision = cls(
            request_id=request_id,
            service_code=service_code,
            uscc=uscc,
            handling_version=handling_version,
            on=on,
            outcome=outcome,
            reasons=reasons,
            trace=trace,
            reasons_zh=reasons_zh,
            commitments=commitments,
            attestation=attestation,
        )


        item_decision.additional_properties = d
        return item_decision

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
