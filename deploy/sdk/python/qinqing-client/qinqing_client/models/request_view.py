from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.request_status import RequestStatus
from ..models.request_view_outcome_type_0 import RequestViewOutcomeType0
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.item_decision import ItemDecision
  from ..models.links import Links
  from ..models.request_view_application_type_0 import RequestViewApplicationType0
  from ..models.step import Step





T = TypeVar("T", bound="RequestView")



@_attrs_define
class RequestView:
    """ 
        Attributes:
            id (str):
            uscc (str):
            client_id (str):
            topic (str):
            title (str):
            text (str):
            links (Links): What the request is about; the gateway checks each belongs to the enterprise.
            department (str):
            department_name (str):
            status (RequestStatus):
            submitted_at (datetime.datetime):
            acknowledge_by (datetime.datetime | None):
            answer_by (datetime.datetime | None):
            escalated (bool):
            late (bool):
            rating (int | None):
            steps (list[Step]):
            outcome (None | RequestViewOutcomeType0 | Unset):
            application (None | RequestViewApplicationType0 | Unset):
            decision (ItemDecision | None | Unset):
     """

    id: str
    uscc: str
    client_id: str
    topic: str
    title: str
    text: str
    links: Links
    department: str
    department_name: str
    status: RequestStatus
    submitted_at: datetime.datetime
    acknowledge_by: datetime.datetime | None
    answer_by: datetime.datetime | None
    escalated: bool
    late: bool
    rating: int | None
    steps: list[Step]
    outcome: None | RequestViewOutcomeType0 | Unset = UNSET
    application: None | RequestViewApplicationType0 | Unset = UNSET
    decision: ItemDecision | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.item_decision import ItemDecision # noqa: PLC0415
        from ..models.links import Links # noqa: PLC0415
        from ..models.request_view_application_type_0 import RequestViewApplicationType0 # noqa: PLC0415
        from ..models.step import Step # noqa: PLC0415
        id = self.id

        uscc = self.uscc

        client_id = self.client_id

        topic = self.topic

        title = self.title

        text = self.text

        links = self.links.to_dict()

        department = self.department

        department_name = self.department_name

        status = self.status.value

        submitted_at = self.submitted_at.isoformat()

        acknowledge_by: None | str
        if isinstance(self.acknowledge_by, datetime.datetime):
            acknowledge_by = self.acknowledge_by.isoformat()
        else:
            acknowledge_by = self.acknowledge_by

        answer_by: None | str
        if isinstance(self.answer_by, datetime.datetime):
            answer_by = self.answer_by.isoformat()
        else:
            answer_by = self.answer_by

        escalated = self.escalated

        late = self.late

        rating: int | None
        rating = self.rating

        steps = []
        for steps_item_data in self.steps:
            steps_item = steps_item_data.to_dict()
            steps.append(steps_item)



        outcome: None | str | Unset
        if isinstance(self.outcome, Unset):
            outcome = UNSET
        elif isinstance(self.outcome, RequestViewOutcomeType0):
            outcome = self.outcome.value
        else:
            outcome = self.outcome

        application: dict[str, Any] | None | Unset
        if isinstance(self.application, Unset):
            application = UNSET
        elif isinstance(self.application, RequestViewApplicationType0):
            application = self.application.to_dict()
        else:
            application = self.application

        decision: dict[str, Any] | None | Unset
        if isinstance(self.decision, Unset):
            decision = UNSET
        elif isinstance(self.decision, ItemDecision):
            decision = self.decision.to_dict()
        else:
            decision = self.decision


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "uscc": uscc,
            "client_id": client_id,
            "topic": topic,
            "title": title,
            "text": text,
            "links": links,
            "department": department,
            "department_name": department_name,
            "status": status,
            "submitted_at": submitted_at,
            "acknowledge_by": acknowledge_by,
            "answer_by": answer_by,
            "escalated": escalated,
            "late": late,
            "rating": rating,
            "steps": steps,
        })
        if outcome is not UNSET:
            field_dict["outcome"] = outcome
        if application is not UNSET:
            field_dict["application"] = application
        if decision is not UNSET:
            field_dict["decision"] = decision

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.item_decision import ItemDecision # noqa: PLC0415
        from ..models.links import Links # noqa: PLC0415
        from ..models.request_view_application_type_0 import RequestViewApplicationType0 # noqa: PLC0415
        from ..models.step import Step # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        uscc = d.pop("uscc")

        client_id = d.pop("client_id")

        topic = d.pop("topic")

        title = d.pop("title")

        text = d.pop("text")

        links = Links.from_dict(d.pop("links"))




        department = d.pop("department")

        department_name = d.pop("department_name")

        status = RequestStatus(d.pop("status"))




        submitted_at = datetime.datetime.fromisoformat(d.pop("submitted_at"))




        def _parse_acknowledge_by(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledge_by_type_0 = datetime.datetime.fromisoformat(data)



                return acknowledge_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledge_by = _parse_acknowledge_by(d.pop("acknowledge_by"))


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

        def _parse_rating(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        rating = _parse_rating(d.pop("rating"))


        steps = []
        _steps = d.pop("steps")
        for steps_item_data in (_steps):
            steps_item = Step.from_dict(steps_item_data)



            steps.append(steps_item)


        def _parse_outcome(data: object) -> None | RequestViewOutcomeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                outcome_type_0 = RequestViewOutcomeType0(data)



                return outcome_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RequestViewOutcomeType0 | Unset, data)

        outcome = _parse_outcome(d.pop("outcome", UNSET))


        def _parse_application(data: object) -> None | RequestViewApplicationType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                application_type_0 = RequestViewApplicationType0.from_dict(data)



                return application_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RequestViewApplicationType0 | Unset, data)

        application = _parse_application(d.pop("application", UNSET))


        def _parse_decision(data: object) -> ItemDecision | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                decision_type_0 = ItemDecision.from_dict(data)



                return decision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ItemDecision | None | Unset, data)

        decision = _parse_decision(d.pop("decision", UNSET))


        request_view = cls(
            id=id,
            uscc=uscc,
            client_id=client_id,
            topic=topic,
            title=title,
            text=text,
            links=links,
            department=department,
            department_name=department_name,
            status=status,
            submitted_at=submitted_at,
            acknowledge_by=acknowledge_by,
            answer_by=answer_by,
            escalated=escalated,
            late=late,
            rating=rating,
            steps=steps,
            outcome=outcome,
            application=application,
            decision=decision,
        )


        request_view.additional_properties = d
        return request_view

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
