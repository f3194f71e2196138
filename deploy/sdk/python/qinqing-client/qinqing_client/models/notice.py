from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.application_status import ApplicationStatus
from ..models.notice_status import NoticeStatus
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.beneficiary import Beneficiary





T = TypeVar("T", bound="Notice")



@_attrs_define
class Notice:
    """ An enterprise told it will be paid under a proactive policy, without applying.

        Attributes:
            id (str): The notice's id, which is also its application's id
            policy_id (str):
            policy_version (int):
            uscc (str):
            amount_fen (int): What the evaluation found when the notice was given
            currency (Literal['CNY']):
            beneficiaries (list[Beneficiary]):
            status (NoticeStatus):
            noticed_at (datetime.datetime):
            pay_after (datetime.datetime): When it is paid unless declined first
            declined_at (datetime.datetime | None | Unset):
            taken_at (datetime.datetime | None | Unset):
            failed_at (datetime.datetime | None | Unset):
            failure (None | str | Unset): Why its payment could not start
            application_status (ApplicationStatus | None | Unset): Once taken: its application's status (e.g. paid)
     """

    id: str
    policy_id: str
    policy_version: int
    uscc: str
    amount_fen: int
    currency: Literal['CNY']
    beneficiaries: list[Beneficiary]
    status: NoticeStatus
    noticed_at: datetime.datetime
    pay_after: datetime.datetime
    declined_at: datetime.datetime | None | Unset = UNSET
    taken_at: datetime.datetime | None | Unset = UNSET
    failed_at: datetime.datetime | None | Unset = UNSET
    failure: None | str | Unset = UNSET
    application_status: ApplicationStatus | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.beneficiary import Beneficiary # noqa: PLC0415
        id = self.id

        policy_id = self.policy_id

        policy_version = self.policy_version

        uscc = self.uscc

        amount_fen = self.amount_fen

        currency = self.currency

        beneficiaries = []
        for beneficiaries_item_data in self.beneficiaries:
            beneficiaries_item = beneficiaries_item_data.to_dict()
            beneficiaries.append(beneficiaries_item)



        status = self.status.value

        noticed_at = self.noticed_at.isoformat()

        pay_after = self.pay_after.isoformat()

        declined_at: None | str | Unset
        if isinstance(self.declined_at, Unset):
            declined_at = UNSET
        elif isinstance(self.declined_at, datetime.datetime):
            declined_at = self.declined_at.isoformat()
        else:
            declined_at = self.declined_at

        taken_at: None | str | Unset
        if isinstance(self.taken_at, Unset):
            taken_at = UNSET
        elif isinstance(self.taken_at, datetime.datetime):
            taken_at = self.taken_at.isoformat()
        else:
            taken_at = self.taken_at

        failed_at: None | str | Unset
        if isinstance(self.failed_at, Unset):
            failed_at = UNSET
        elif isinstance(self.failed_at, datetime.datetime):
            failed_at = self.failed_at.isoformat()
        else:
            failed_at = self.failed_at

        failure: None | str | Unset
        if isinstance(self.failure, Unset):
            failure = UNSET
        else:
            failure = self.failure

        application_status: None | str | Unset
        if isinstance(self.application_status, Unset):
            application_status = UNSET
        elif isinstance(self.application_status, ApplicationStatus):
            application_status = self.application_status.value
        else:
            application_status = self.application_status


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "policy_id": policy_id,
            "policy_version": policy_version,
            "uscc": uscc,
            "amount_fen": amount_fen,
            "currency": currency,
            "beneficiaries": beneficiaries,
            "status": status,
            "noticed_at": noticed_at,
            "pay_after": pay_after,
        })
        if declined_at is not UNSET:
            field_dict["declined_at"] = declined_at
        if taken_at is not UNSET:
            field_dict["taken_at"] = taken_at
        if failed_at is not UNSET:
            field_dict["failed_at"] = failed_at
        if failure is not UNSET:
            field_dict["failure"] = failure
        if application_status is not UNSET:
            field_dict["application_status"] = application_status

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.beneficiary import Beneficiary # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        policy_id = d.pop("policy_id")

        policy_version = d.pop("policy_version")

        uscc = d.pop("uscc")

        amount_fen = d.pop("amount_fen")

        currency = cast(Literal['CNY'] , d.pop("currency"))
        if currency != 'CNY':
            raise ValueError(f"currency must match const 'CNY', got '{currency}'")

        beneficiaries = []
        _beneficiaries = d.pop("beneficiaries")
        for beneficiaries_item_data in (_beneficiaries):
            beneficiaries_item = Beneficiary.from_dict(beneficiaries_item_data)



            beneficiaries.append(beneficiaries_item)


        status = NoticeStatus(d.pop("status"))




        noticed_at = datetime.datetime.fromisoformat(d.pop("noticed_at"))




        pay_after = datetime.datetime.fromisoformat(d.pop("pay_after"))




        def _parse_declined_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                declined_at_type_0 = datetime.datetime.fromisoformat(data)



                return declined_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        declined_at = _parse_declined_at(d.pop("declined_at", UNSET))


        def _parse_taken_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                taken_at_type_0 = datetime.datetime.fromisoformat(data)



                return taken_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        taken_at = _parse_taken_at(d.pop("taken_at", UNSET))


        def _parse_failed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                failed_at_type_0 = datetime.datetime.fromisoformat(data)



                return failed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        failed_at = _parse_failed_at(d.pop("failed_at", UNSET))


        def _parse_failure(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        failure = _parse_failure(d.pop("failure", UNSET))


        def _parse_application_status(data: object) -> ApplicationStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                application_status_type_0 = ApplicationStatus(data)



                return application_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ApplicationStatus | None | Unset, data)

        application_status = _parse_application_status(d.pop("application_status", UNSET))


        notice = cls(
            id=id,
            policy_id=policy_id,
            policy_version=policy_version,
            uscc=uscc,
            amount_fen=amount_fen,
            currency=currency,
            beneficiaries=beneficiaries,
            status=status,
            noticed_at=noticed_at,
            pay_after=pay_after,
            declined_at=declined_at,
            taken_at=taken_at,
            failed_at=failed_at,
            failure=failure,
            application_status=application_status,
        )


        notice.additional_properties = d
        return notice

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
