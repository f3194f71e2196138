from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.run_state import RunState
from ..types import UNSET, Unset
from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.proactive_run_applications import ProactiveRunApplications
  from ..models.proactive_run_notices import ProactiveRunNotices





T = TypeVar("T", bound="ProactiveRun")



@_attrs_define
class ProactiveRun:
    """ A proactive policy version's run over every enterprise, and how far it is.

        Attributes:
            policy_id (str):
            policy_version (int):
            department_code (str):
            state (RunState):
            cursor (None | str): The last enterprise evaluated (USCC order)
            evaluated (int):
            eligible (int):
            started_at (datetime.datetime):
            evaluated_at (datetime.datetime | None | Unset):
            notices (ProactiveRunNotices | Unset): Notices by status (counted when the run is read, not in a batch's answer)
            applications (ProactiveRunApplications | Unset): Applications of taken notices, by status (counted when the run
                is read)
     """

    policy_id: str
    policy_version: int
    department_code: str
    state: RunState
    cursor: None | str
    evaluated: int
    eligible: int
    started_at: datetime.datetime
    evaluated_at: datetime.datetime | None | Unset = UNSET
    notices: ProactiveRunNotices | Unset = UNSET
    applications: ProactiveRunApplications | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.proactive_run_applications import ProactiveRunApplications # noqa: PLC0415
        from ..models.proactive_run_notices import ProactiveRunNotices # noqa: PLC0415
        policy_id = self.policy_id

        policy_version = self.policy_version

        department_code = self.department_code

        state = self.state.value

        cursor: None | str
        cursor = self.cursor

        evaluated = self.evaluated

        eligible = self.eligible

        started_at = self.started_at.isoformat()

        evaluated_at: None | str | Unset
        if isinstance(self.evaluated_at, Unset):
            evaluated_at = UNSET
        elif isinstance(self.evaluated_at, datetime.datetime):
            evaluated_at = self.evaluated_at.isoformat()
        else:
            evaluated_at = self.evaluated_at

        notices: dict[str, Any] | Unset = UNSET
        if not isinstance(self.notices, Unset):
            notices = self.notices.to_dict()

        applications: dict[str, Any] | Unset = UNSET
        if not isinstance(self.applications, Unset):
            applications = self.applications.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "policy_id": policy_id,
            "policy_version": policy_version,
            "department_code": department_code,
            "state": state,
            "cursor": cursor,
            "evaluated": evaluated,
            "eligible": eligible,
            "started_at": started_at,
        })
        if evaluated_at is not UNSET:
            field_dict["evaluated_at"] = evaluated_at
        if notices is not UNSET:
            field_dict["notices"] = notices
        if applications is not UNSET:
            field_dict["applications"] = applications

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.proactive_run_applications import ProactiveRunApplications # noqa: PLC0415
        from ..models.proactive_run_notices import ProactiveRunNotices # noqa: PLC0415
        d = dict(src_dict)
        policy_id = d.pop("policy_id")

        policy_version = d.pop("policy_version")

        department_code = d.pop("department_code")

        state = RunState(d.pop("state"))




        def _parse_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cursor = _parse_cursor(d.pop("cursor"))


        evaluated = d.pop("evaluated")

        eligible = d.pop("eligible")

        started_at = datetime.datetime.fromisoformat(d.pop("started_at"))




        def _parse_evaluated_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                evaluated_at_type_0 = datetime.datetime.fromisoformat(data)



                return evaluated_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        evaluated_at = _parse_evaluated_at(d.pop("evaluated_at", UNSET))


        _notices = d.pop("notices", UNSET)
        notices: ProactiveRunNotices | Unset
        if isinstance(_notices,  Unset):
            notices = UNSET
        else:
            notices = ProactiveRunNotices.from_dict(_notices)




        _applications = d.pop("applications", UNSET)
        applications: ProactiveRunApplications | Unset
        if isinstance(_applications,  Unset):
            applications = UNSET
        else:
            applications = ProactiveRunApplications.from_dict(_applications)




        proactive_run = cls(
            policy_id=policy_id,
            policy_version=policy_version,
            department_code=department_code,
            state=state,
            cursor=cursor,
            evaluated=evaluated,
            eligible=eligible,
            started_at=started_at,
            evaluated_at=evaluated_at,
            notices=notices,
            applications=applications,
        )


        proactive_run.additional_properties = d
        return proactive_run

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
