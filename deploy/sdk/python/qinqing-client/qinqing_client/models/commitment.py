from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.commitment_outcome import CommitmentOutcome
from ..types import UNSET, Unset
from typing import cast
import datetime






T = TypeVar("T", bound="Commitment")



@_attrs_define
class Commitment:
    """ A commitment as the enterprise, its apps and operators see it (the person masked).
    To a policy (``policy_id``, about an employee) or to a service item
    (``service_code``, about the enterprise itself: ``policy_id`` and
    ``id_number_masked`` are then empty, so the fields keep their type within /v1).

        Attributes:
            id (str):
            uscc (str):
            policy_id (str): the policy committed to; empty for a service item
            clause (str):
            department (str):
            id_number_masked (str): the employee, masked; empty for a service item
            statement (str):
            signed_by (str):
            made_on (datetime.date):
            verify_by (datetime.date):
            outcome (CommitmentOutcome):
            closed_on (datetime.date | None):
            evidence (None | str):
            service_code (None | str | Unset): the service item committed to (告知承诺制); None: a policy
     """

    id: str
    uscc: str
    policy_id: str
    clause: str
    department: str
    id_number_masked: str
    statement: str
    signed_by: str
    made_on: datetime.date
    verify_by: datetime.date
    outcome: CommitmentOutcome
    closed_on: datetime.date | None
    evidence: None | str
    service_code: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        id = self.id

        uscc = self.uscc

        policy_id = self.policy_id

        clause = self.clause

        department = self.department

        id_number_masked = self.id_number_masked

        statement = self.statement

        signed_by = self.signed_by

        made_on = self.made_on.isoformat()

        verify_by = self.verify_by.isoformat()

        outcome = self.outcome.value

        closed_on: None | str
        if isinstance(self.closed_on, datetime.date):
            closed_on = self.closed_on.isoformat()
        else:
            closed_on = self.closed_on

        evidence: None | str
        evidence = self.evidence

        service_code: None | str | Unset
        if isinstance(self.service_code, Unset):
            service_code = UNSET
        else:
            service_code = self.service_code


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "uscc": uscc,
            "policy_id": policy_id,
            "clause": clause,
            "department": department,
            "id_number_masked": id_number_masked,
            "statement": statement,
            "signed_by": signed_by,
            "made_on": made_on,
            "verify_by": verify_by,
            "outcome": outcome,
            "closed_on": closed_on,
            "evidence": evidence,
        })
        if service_code is not UNSET:
            field_dict["service_code"] = service_code

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        uscc = d.pop("uscc")

        policy_id = d.pop("policy_id")

        clause = d.pop("clause")

        department = d.pop("department")

        id_number_masked = d.pop("id_number_masked")

        statement = d.pop("statement")

        signed_by = d.pop("signed_by")

        made_on = datetime.date.fromisoformat(d.pop("made_on"))




        verify_by = datetime.date.fromisoformat(d.pop("verify_by"))




        outcome = CommitmentOutcome(d.pop("outcome"))




        def _parse_closed_on(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                closed_on_type_0 = datetime.date.fromisoformat(data)



                return closed_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        closed_on = _parse_closed_on(d.pop("closed_on"))


        def _parse_evidence(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        evidence = _parse_evidence(d.pop("evidence"))


        def _parse_service_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        service_code = _parse_service_code(d.pop("service_code", UNSET))


        commitment = cls(
            id=id,
            uscc=uscc,
            policy_id=policy_id,
            clause=clause,
            department=department,
            id_number_masked=id_number_masked,
            statement=statement,
            signed_by=signed_by,
            made_on=made_on,
            verify_by=verify_by,
            outcome=outcome,
            closed_on=closed_on,
            evidence=evidence,
            service_code=service_code,
        )


        commitment.additional_properties = d
        return commitment

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
