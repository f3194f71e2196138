from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.decision_outcome import DecisionOutcome
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.trace_entry import TraceEntry





T = TypeVar("T", bound="Decision")



@_attrs_define
class Decision:
    """ 
        Attributes:
            outcome (DecisionOutcome):
            policy_id (str):
            policy_version (int):
            evaluated_on (datetime.date):
            reasons (list[str]):
            trace (list[TraceEntry]):
            reasons_zh (list[str] | Unset):
     """

    outcome: DecisionOutcome
    policy_id: str
    policy_version: int
    evaluated_on: datetime.date
    reasons: list[str]
    trace: list[TraceEntry]
    reasons_zh: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.trace_entry import TraceEntry # noqa: PLC0415
        outcome = self.outcome.value

        policy_id = self.policy_id

        policy_version = self.policy_version

        evaluated_on = self.evaluated_on.isoformat()

        reasons = self.reasons



        trace = []
        for trace_item_data in self.trace:
            trace_item = trace_item_data.to_dict()
            trace.append(trace_item)



        reasons_zh: list[str] | Unset = UNSET
        if not isinstance(self.reasons_zh, Unset):
            reasons_zh = self.reasons_zh




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "outcome": outcome,
            "policy_id": policy_id,
            "policy_version": policy_version,
            "evaluated_on": evaluated_on,
            "reasons": reasons,
            "trace": trace,
        })
        if reasons_zh is not UNSET:
            field_dict["reasons_zh"] = reasons_zh

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trace_entry import TraceEntry # noqa: PLC0415
        d = dict(src_dict)
        outcome = DecisionOutcome(d.pop("outcome"))




        policy_id = d.pop("policy_id")

        policy_version = d.pop("policy_version")

        evaluated_on = datetime.date.fromisoformat(d.pop("evaluated_on"))




        reasons = cast(list[str], d.pop("reasons"))


        trace = []
        _trace = d.pop("trace")
        for trace_item_data in (_trace):
            trace_item = TraceEntry.from_dict(trace_item_data)



            trace.append(trace_item)


        reasons_zh = cast(list[str], d.pop("reasons_zh", UNSET))


        decision = cls(
            outcome=outcome,
            policy_id=policy_id,
            policy_version=policy_version,
            evaluated_on=evaluated_on,
            reasons=reasons,
            trace=trace,
            reasons_zh=reasons_zh,
        )


        decision.additional_properties = d
        return decision

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
