from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.amount_table_per import AmountTablePer
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.amount_table_amounts_fen import AmountTableAmountsFen
  from ..models.amount_table_shares_permille import AmountTableSharesPermille





T = TypeVar("T", bound="AmountTable")



@_attrs_define
class AmountTable:
    """ Amount per beneficiary, looked up by one fact (e.g. the degree); at most
    ``max_fen_per_enterprise`` for one enterprise's application, when the policy caps it
    (employees in the order the enterprise's record lists them, until the cap is met).

    Or one amount for the enterprise itself (``per`` "enterprise"): the amount looked up
    by ``by`` (e.g. its star as a taxpayer), or, with ``share_of``, a share of one of its
    figures (e.g. 60% of last year's unemployment-insurance contributions), the share
    in per mille looked up by ``by`` (e.g. the enterprise's size class), rounded down to
    the fen. Such a policy has no person rules and counts its claims per enterprise.

        Attributes:
            by (str):
            per (AmountTablePer | Unset): Who an amount is for (``share_of`` is always per enterprise) Default:
                AmountTablePer.PERSON.
            amounts_fen (AmountTableAmountsFen | Unset):
            max_fen_per_enterprise (int | None | Unset):
            share_of (None | str | Unset): An enterprise figure in fen, e.g. 'enterprise.ui_paid_fen'
            shares_permille (AmountTableSharesPermille | Unset): The share of ``share_of`` by the ``by`` fact, in ‰
     """

    by: str
    per: AmountTablePer | Unset = AmountTablePer.PERSON
    amounts_fen: AmountTableAmountsFen | Unset = UNSET
    max_fen_per_enterprise: int | None | Unset = UNSET
    share_of: None | str | Unset = UNSET
    shares_permille: AmountTableSharesPermille | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.amount_table_amounts_fen import AmountTableAmountsFen # noqa: PLC0415
        from ..models.amount_table_shares_permille import AmountTableSharesPermille # noqa: PLC0415
        by = self.by

        per: str | Unset = UNSET
        if not isinstance(self.per, Unset):
            per = self.per.value


        amounts_fen: dict[str, Any] | Unset = UNSET
        if not isinstance(self.amounts_fen, Unset):
            amounts_fen = self.amounts_fen.to_dict()

        max_fen_per_enterprise: int | None | Unset
        if isinstance(self.max_fen_per_enterprise, Unset):
            max_fen_per_enterprise = UNSET
        else:
            max_fen_per_enterprise = self.max_fen_per_enterprise

        share_of: None | str | Unset
        if isinstance(self.share_of, Unset):
            share_of = UNSET
        else:
            share_of = self.share_of

        shares_permille: dict[str, Any] | Unset = UNSET
        if not isinstance(self.shares_permille, Unset):
            shares_permille = self.shares_permille.to_dict()


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "by": by,
        })
        if per is not UNSET:
            field_dict["per"] = per
        if amounts_fen is not UNSET:
            field_dict["amounts_fen"] = amounts_fen
        if max_fen_per_enterprise is not UNSET:
            field_dict["max_fen_per_enterprise"] = max_fen_per_enterprise
        if share_of is not UNSET:
            field_dict["share_of"] = share_of
        if shares_permille is not UNSET:
            field_dict["shares_permille"] = shares_permille

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.amount_table_amounts_fen import AmountTableAmountsFen # noqa: PLC0415
        from ..models.amount_table_shares_permille import AmountTableSharesPermille # noqa: PLC0415
        d = dict(src_dict)
        by = d.pop("by")

        _per = d.pop("per", UNSET)
        per: AmountTablePer | Unset
        if isinstance(_per,  Unset):
            per = UNSET
        else:
            per = AmountTablePer(_per)




        _amounts_fen = d.pop("amounts_fen", UNSET)
        amounts_fen: AmountTableAmountsFen | Unset
        if isinstance(_amounts_fen,  Unset):
            amounts_fen = UNSET
        else:
            amounts_fen = AmountTableAmountsFen.from_dict(_amounts_fen)




        def _parse_max_fen_per_enterprise(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_fen_per_enterprise = _parse_max_fen_per_enterprise(d.pop("max_fen_per_enterprise", UNSET))


        def _parse_share_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        share_of = _parse_share_of(d.pop("share_of", UNSET))


        _shares_permille = d.pop("shares_permille", UNSET)
        shares_permille: AmountTableSharesPermille | Unset
        if isinstance(_shares_permille,  Unset):
            shares_permille = UNSET
        else:
            shares_permille = AmountTableSharesPermille.from_dict(_shares_permille)




        amount_table = cls(
            by=by,
            per=per,
            amounts_fen=amounts_fen,
            max_fen_per_enterprise=max_fen_per_enterprise,
            share_of=share_of,
            shares_permille=shares_permille,
        )


        amount_table.additional_properties = d
        return amount_table

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
