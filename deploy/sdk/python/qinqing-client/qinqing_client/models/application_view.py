from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.application_view_status import ApplicationViewStatus
from ..types import UNSET, Unset
from typing import cast
from typing import Literal, cast
import datetime

if TYPE_CHECKING:
  from ..models.beneficiary import Beneficiary
  from ..models.clawback_view import ClawbackView
  from ..models.decision import Decision
  from ..models.payout_view import PayoutView





T = TypeVar("T", bound="ApplicationView")



@_attrs_define
class ApplicationView:
    """ 
        Attributes:
            id (str):
            policy_id (str):
            uscc (str):
            status (ApplicationViewStatus):
            amount_fen (int): Amount in fen (1 CNY = 100 fen)
            currency (Literal['CNY']):
            applied_on (datetime.date):
            beneficiaries (list[Beneficiary]):
            decision (Decision | None):
            payout (None | PayoutView | Unset):
            clawback (ClawbackView | None | Unset):
            receipt (None | str | Unset):
     """

    id: str
    policy_id: str
    uscc: str
    status: ApplicationViewStatus
    amount_fen: int
    currency: Literal['CNY']
    applied_on: datetime.date
    beneficiaries: list[Beneficiary]
    decision: Decision | None
    payout: None | PayoutView | Unset = UNSET
    clawback: ClawbackView | None | Unset = UNSET
    receipt: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.beneficiary import Beneficiary # noqa: PLC0415
        from ..models.clawback_view import ClawbackView # noqa: PLC0415
        from ..models.decision import Decision # noqa: PLC0415
        from ..models.payout_view import PayoutView # noqa: PLC0415
        id = self.id

        policy_id = self.policy_id

        uscc = self.uscc

        status = self.status.value

        amount_fen = self.amount_fen

        currency = self.currency

        applied_on = self.applied_on.isoformat()

        beneficiaries = []
        for beneficiaries_item_data in self.beneficiaries:
            beneficiaries_item = beneficiaries_item_data.to_dict()
            beneficiaries.append(beneficiaries_item)



        decision: dict[str, Any] | None
        if isinstance(self.decision, Decision):
            decision = self.decision.to_dict()
        else:
            decision = self.decision

        payout: dict[str, Any] | None | Unset
        if isinstance(self.payout, Unset):
            payout = UNSET
        elif isinstance(self.payout, PayoutView):
            payout = self.payout.to_dict()
        else:
            payout = self.payout

        clawback: dict[str, Any] | None | Unset
        if isinstance(self.clawback, Unset):
            clawback = UNSET
        elif isinstance(self.clawback, ClawbackView):
            clawback = self.clawback.to_dict()
        else:
            clawback = self.clawback

        receipt: None | str | Unset
        if isinstance(self.receipt, Unset):
            receipt = UNSET
        else:
            receipt = self.receipt


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "id": id,
            "policy_id": policy_id,
            "uscc": uscc,
            "status": status,
            "amount_fen": amount_fen,
            "currency": currency,
            "applied_on": applied_on,
            "beneficiaries": beneficiaries,
            "decision": decision,
        })
        if payout is not UNSET:
            field_dict["payout"] = payout
        if clawback is not UNSET:
            field_dict["clawback"] = clawback
        if receipt is not UNSET:
            field_dict["receipt"] = receipt

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.beneficiary import Beneficiary # noqa: PLC0415
        from ..models.clawback_view import ClawbackView # noqa: PLC0415
        from ..models.decision import Decision # noqa: PLC0415
        from ..models.payout_view import PayoutView # noqa: PLC0415
        d = dict(src_dict)
        id = d.pop("id")

        policy_id = d.pop("policy_id")

        uscc = d.pop("uscc")

        status = ApplicationViewStatus(d.pop("status"))




        amount_fen = d.pop("amount_fen")

        currency = cast(Literal['CNY'] , d.pop("currency"))
        if currency != 'CNY':
            raise ValueError(f"currency must match const 'CNY', got '{currency}'")

        applied_on = datetime.date.fromisoformat(d.pop("applied_on"))




        beneficiaries = []
        _beneficiaries = d.pop("beneficiaries")
        for beneficiaries_item_data in (_beneficiaries):
            beneficiaries_item = Beneficiary.from_dict(beneficiaries_item_data)



            beneficiaries.append(beneficiaries_item)


        def _parse_decision(data: object) -> Decision | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                decision_type_0 = Decision.from_dict(data)



                return decision_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Decision | None, data)

        decision = _parse_decision(d.pop("decision"))


        def _parse_payout(data: object) -> None | PayoutView | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                payout_type_0 = PayoutView.from_dict(data)



                return payout_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PayoutView | Unset, data)

        payout = _parse_payout(d.pop("payout", UNSET))


        def _parse_clawback(data: object) -> ClawbackView | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                clawback_type_0 = ClawbackView.from_dict(data)



                return clawback_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClawbackView | None | Unset, data)

        clawback = _parse_clawback(d.pop("clawback", UNSET))


        def _parse_receipt(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        receipt = _parse_receipt(d.pop("receipt", UNSET))


        application_view = cls(
            id=id,
            policy_id=policy_id,
            uscc=uscc,
            status=status,
            amount_fen=amount_fen,
            currency=currency,
            applied_on=applied_on,
            beneficiaries=beneficiaries,
            decision=decision,
            payout=payout,
            clawback=clawback,
            receipt=receipt,
        )


        application_view.additional_properties = d
        return application_view

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
