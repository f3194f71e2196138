from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.action import Action
from ..models.step_outcome_type_0 import StepOutcomeType0
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Step")



@_attrs_define
class Step:
    """ 
        Attributes:
            seq (int):
            action (Action): Every step of a request's history, and the event each one publishes.
            at (datetime.datetime):
            actor (str):
            department (str):
            to_department (None | str | Unset):
            text (None | str | Unset):
            rating (int | None | Unset):
            outcome (None | StepOutcomeType0 | Unset):
            escalated_to (list[str] | Unset):
     """

    seq: int
    action: Action
    at: datetime.datetime
    actor: str
    department: str
    to_department: None | str | Unset = UNSET
    text: None | str | Unset = UNSET
    rating: int | None | Unset = UNSET
    outcome: None | StepOutcomeType0 | Unset = UNSET
    escalated_to: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        action = self.action.value

        at = self.at.isoformat()

        actor = self.actor

        department = self.department

        to_department: None | str | Unset
        if isinstance(self.to_department, Unset):
            to_department = UNSET
        else:
            to_department = self.to_department

        text: None | str | Unset
        if isinstance(self.text, Unset):
            text = UNSET
        else:
            text = self.text

        rating: int | None | Unset
        if isinstance(self.rating, Unset):
            rating = UNSET
        else:
            rating = self.rating

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        elif isinstance(self.outcome, StepOutcomeType0):
            outcome = self.outcome.value
        else:
            outcome = self.outcome

        escalated_to: list[str] | Unset = UNSET
        if not isinstance(self.escalated_to, Unset):
            escalated_to = self.escalated_to




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "seq": seq,
            "action": action,
            "at": at,
            "actor": actor,
            "department": department,
        })
        if to_department is not UNSET:
            field_dict["to_department"] = to_department
        if text is not UNSET:
            field_dict["text"] = text
        if rating is not UNSET:
            field_dict["rating"] = rating
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if escalated_to is not UNSET:
            field_dict["escalated_to"] = escalated_to

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        seq = d.pop("seq")

        action = Action(d.pop("action"))




        at = datetime.datetime.fromisoformat(d.pop("at"))




        actor = d.pop("actor")

        department = d.pop("department")

        def _parse_to_department(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_department = _parse_to_department(d.pop("to_department", UNSET))


        def _parse_text(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        text = _parse_text(d.pop("text", UNSET))


        def _parse_rating(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rating = _parse_rating(d.pop("rating", UNSET))


        def _parse_outcome(data: object) -> None | StepOutcomeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = StepOutcomeType0(data)



                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StepOutcomeType0 | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))


        escalated_to = cast(list[str], d.pop("escalated_to", UNSET))


        step = cls(
            seq=seq,
            action=action,
            at=at,
            actor=actor,
            department=department,
            to_department=to_department,
            text=text,
            rating=rating,
            outcome=outcome,
            escalated_to=escalated_to,
        )


        step.additional_properties = d
        return step

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
