from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime

if TYPE_CHECKING:
  from ..models.dead_letter_detail_payload import DeadLetterDetailPayload





T = TypeVar("T", bound="DeadLetterDetail")



@_attrs_define
class DeadLetterDetail:
    """ 
        Attributes:
            id (str):
            kind (str):
            ref (str):
            subject (str):
            error (str):
            failed_at (datetime.datetime):
            replays (int):
            replayed_at (datetime.datetime | None):
            replayed_by (None | str):
            payload (DeadLetterDetailPayload):
     """

    id: str
    kind: str
    ref: str
    subject: str
    error: str
    failed_at: datetime.datetime
    replays: int
    replayed_at: datetime.datetime | None
    replayed_by: None | str
    payload: DeadLetterDetailPayload
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.dead_letter_detail_payload import DeadLetterDetailPayload # noqa: PLC0415
        id = self.id

        kind = self.kind

        ref = self.ref

        subject = self.subject

        error = self.error

        failed_at = self.failed_at.isoformat()

        replays = self.replays

        replayed_at: None | str
        if isinstance(self.replayed_at, datetime.datetime):
            replayed_at = self.replayed_at.isoformat()
        else:
            replayed_at = self.replayed_at

        replayed_by: None | str
        replayed_by = self.replayed_by

        payload = self.payload.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "kind": kind,
            "ref": ref,
            "subject": subject,
            "error": error,
            "failed_at": failed_at,
            "replays": replays,
            "replayed_at": replayed_at,
            "replayed_by": replayed_by,
            "payload": payload,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dead_letter_detail_payload import DeadLetterDetailPayload # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        kind = d.pop("kind")

        ref = d.pop("ref")

        subject = d.pop("subject")

        error = d.pop("error")

        failed_at = datetime.datetime.fromisoformat(d.pop("failed_at"))




        replays = d.pop("replays")

        def _parse_replayed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                replayed_at_type_0 = datetime.datetime.fromisoformat(data)



                return replayed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        replayed_at = _parse_replayed_at(d.pop("replayed_at"))


        def _parse_replayed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        replayed_by = _parse_replayed_by(d.pop("replayed_by"))


        payload = DeadLetterDetailPayload.from_dict(d.pop("payload"))




        dead_letter_detail = cls(
            id=id,
            kind=kind,
            ref=ref,
            subject=subject,
            error=error,
            failed_at=failed_at,
            replays=replays,
            replayed_at=replayed_at,
            replayed_by=replayed_by,
            payload=payload,
        )


        dead_letter_detail.additional_properties = d
        return dead_letter_detail

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
