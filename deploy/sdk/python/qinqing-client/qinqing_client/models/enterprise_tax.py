from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.enterprise_tax_credit_rating import EnterpriseTaxCreditRating
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.fact_source import FactSource





T = TypeVar("T", bound="EnterpriseTax")



@_attrs_define
class EnterpriseTax:
    """ The enterprise's last tax year the tax bureau sent, with its source.

        Attributes:
            year (int):
            revenue_fen (int):
            tax_paid_fen (int):
            credit_rating (EnterpriseTaxCreditRating):
            prior_tax_paid_fen (int | None | Unset):
            source (FactSource | None | Unset):
     """

    year: int
    revenue_fen: int
    tax_paid_fen: int
    credit_rating: EnterpriseTaxCreditRating
    prior_tax_paid_fen: int | None | Unset = UNSET
    source: FactSource | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.fact_source import FactSource # noqa: PLC0415
        year = self.year

        revenue_fen = self.revenue_fen

        tax_paid_fen = self.tax_paid_fen

        credit_rating = self.credit_rating.value

        prior_tax_paid_fen: int | None | Unset
        if isinstance(self.prior_tax_paid_fen, Unset):
            prior_tax_paid_fen = UNSET
        else:
            prior_tax_paid_fen = self.prior_tax_paid_fen

        source: dict[str, Any] | None | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        elif isinstance(self.source, FactSource):
            source = self.source.to_dict()
        else:
            source = self.source


        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "year": year,
            "revenue_fen": revenue_fen,
            "tax_paid_fen": tax_paid_fen,
            "credit_rating": credit_rating,
        })
        if prior_tax_paid_fen is not UNSET:
            field_dict["prior_tax_paid_fen"] = prior_tax_paid_fen
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fact_source import FactSource # noqa: PLC0415
        d = dict(src_dict)
        year = d.pop("year")

        revenue_fen = d.pop("revenue_fen")

        tax_paid_fen = d.pop("tax_paid_fen")

        credit_rating = EnterpriseTaxCreditRating(d.pop("credit_rating"))




        def _parse_prior_tax_paid_fen(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        prior_tax_paid_fen = _parse_prior_tax_paid_fen(d.pop("prior_tax_paid_fen", UNSET))


        def _parse_source(data: object) -> FactSource | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                source_type_0 = FactSource.from_dict(data)



                return source_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(FactSource | None | Unset, data)

        source = _parse_source(d.pop("source", UNSET))


        enterprise_tax = cls(
            year=year,
            revenue_fen=revenue_fen,
            tax_paid_fen=tax_paid_fen,
            credit_rating=credit_rating,
            prior_tax_paid_fen=prior_tax_paid_fen,
            source=source,
        )


        enterprise_tax.additional_properties = d
        return enterprise_tax

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
