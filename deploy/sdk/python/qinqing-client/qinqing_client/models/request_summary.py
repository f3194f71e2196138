from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.request_status import RequestStatus
from ..models.request_summary_outcome_type_0 import RequestSummaryOutcomeType0
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="RequestSummary")



@_attrs_define
class RequestSummary:
    """ A line of a list: no free text.

        Attributes:
            id (str):
            uscc (str):
            topic (str):
            title (str):
            department (str):
            status (RequestStatus):
            submitted_at (datetime.datetime):
            answer_by (datetime.datetime | None):
            escalated (bool):
            late (bool):
            outcome (None | RequestSummaryOutcomeType0 | Unset):
     """

    id: str
    uscc: str
    topic: str
    title: str
    department: str
    status: RequestStatus
    submitted_at: datetime.datetime
    answer_by: datetime.datetime | None
    escalated: bool
    late: bool
    outcome: None | RequestSummaryOutcomeType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        uscc = self.uscc

        topic = self.topic

        title = self.title

        department = self.department

        status = self.status.value

        submitted_at = self.submitted_at.isoformat()

        answer_by: None | str
        if isinstance(self.answer_by, datetime.datetime):
            answer_by = self.answer_by.isoformat()
        else:
            answer_by = self.answer_by

        escalated = self.escalated

        late = self.late

        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        elif isinstance(self.outcome, RequestSummaryOutcomeType0):
            outcome = self.outcome.value
        else:
            outcome = self.outcome


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "uscc": uscc,
            "topic": topic,
            "title": title,
            "department": department,
            "status": status,
            "submitted_at": submitted_at,
            "answer_by": answer_by,
            "escalated": escalated,
            "late": late,
        })
        if outcome is not UNSET:
            field_dict["outcome"] = outcome

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        uscc = d.pop("uscc")

        topic = d.pop("topic")

        title = d.pop("title")

        department = d.pop("department")

        status = RequestStatus(d.pop("status"))




        submitted_at = datetime.datetime.fromisoformat(d.pop("submitted_at"))




        def _parse_answer_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                answer_by_type_0 = datetime.datetime.fromisoformat(data)



                return answer_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        answer_by = _parse_answer_by(d.pop("answer_by"))


        escalated = d.pop("escalated")

        late = d.pop("late")

        def _parse_outcome(data: object) -> None | RequestSummaryOutcomeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = RequestSummaryOutcomeType0(data)



                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RequestSummaryOutcomeType0 | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))


        request_summary = cls(
            id=id,
            uscc=uscc,
            topic=topic,
            title=title,
            department=department,
            status=status,
            submitted_at=submitted_at,
            answer_by=answer_by,
            escalated=escalated,
            late=late,
            outcome=outcome,
        )


        request_summary.additional_properties = d
        return request_summary

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
