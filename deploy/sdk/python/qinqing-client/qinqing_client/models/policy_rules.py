from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.policy_rules_claims_after_clawback import PolicyRulesClaimsAfterClawback
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.amount_table import AmountTable
  from ..models.rule import Rule





T = TypeVar("T", bound="PolicyRules")



@_attrs_define
class PolicyRules:
    """ 
        Attributes:
            enterprise (list[Rule]):
            person (list[Rule]):
            amount (AmountTable): Amount per beneficiary, looked up by one fact (e.g. the degree); at most
                ``max_fen_per_enterprise`` for one enterprise's application, when the policy caps it
                (employees in the order the enterprise's record lists them, until the cap is met).

                Or one amount for the enterprise itself (``per`` "enterprise"): the amount looked up
                by ``by`` (e.g. its star as a taxpayer), or, with ``share_of``, a share of one of its
                figures (e.g. 60% of last year's unemployment-insurance contributions), the share
                in per mille looked up by ``by`` (e.g. the enterprise's size class), rounded down to
                the fen. Such a policy has no person rules and counts its claims per enterprise.
            claims_per_person_per_year (int | Unset):  Default: 1.
            claims_after_clawback (PolicyRulesClaimsAfterClawback | Unset):  Default: PolicyRulesClaimsAfterClawback.KEPT.
     """

    enterprise: list[Rule]
    person: list[Rule]
    amount: AmountTable
    claims_per_person_per_year: int | Unset = 1
    claims_after_clawback: PolicyRulesClaimsAfterClawback | Unset = PolicyRulesClaimsAfterClawback.KEPT
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_table import AmountTable # noqa: PLC0415
        from ..models.rule import Rule # noqa: PLC0415
        enterprise = []
        for enterprise_item_data in self.enterprise:
            enterprise_item = enterprise_item_data.to_dict()
            enterprise.append(enterprise_item)



        person = []
        for person_item_data in self.person:
            person_item = person_item_data.to_dict()
            person.append(person_item)



        amount = self.amount.to_dict()

        claims_per_person_per_year = self.claims_per_person_per_year

        claims_after_clawback: str | Unset = UNSET
        if not isinstance(self.claims_after_clawback, Unset):
            claims_after_clawback = self.claims_after_clawback.value



        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "enterprise": enterprise,
            "person": person,
            "amount": amount,
        })
        if claims_per_person_per_year is not UNSET:
            field_dict["claims_per_person_per_year"] = claims_per_person_per_year
        if claims_after_clawback is not UNSET:
            field_dict["claims_after_clawback"] = claims_after_clawback

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.amount_table import AmountTable # noqa: PLC0415
        from ..models.rule import Rule # noqa: PLC0415
        d = dict(src_dict)
        enterprise = []
        _enterprise = d.pop("enterprise")
        for enterprise_item_data in (_enterprise):
            enterprise_item = Rule.from_dict(enterprise_item_data)



            enterprise.append(enterprise_item)


        person = []
        _person = d.pop("person")
        for person_item_data in (_person):
            person_item = Rule.from_dict(person_item_data)



            person.append(person_item)


        amount = AmountTable.from_dict(d.pop("amount"))




        claims_per_person_per_year = d.pop("claims_per_person_per_year", UNSET)

        _claims_after_clawback = d.pop("claims_after_clawback", UNSET)
        claims_after_clawback: PolicyRulesClaimsAfterClawback | Unset
        if isinstance(_claims_after_clawback,  Unset):
            claims_after_clawback = UNSET
        else:
            claims_after_clawback = PolicyRulesClaimsAfterClawback(_claims_after_clawback)




        policy_rules = cls(
            enterprise=enterprise,
            person=person,
            amount=amount,
            claims_per_person_per_year=claims_per_person_per_year,
            claims_after_clawback=claims_after_clawback,
        )


        policy_rules.additional_properties = d
        return policy_rules

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
