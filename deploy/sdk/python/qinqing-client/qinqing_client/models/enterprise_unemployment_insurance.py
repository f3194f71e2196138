from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.enterprise_unemployment_insurance_size_class import EnterpriseUnemploymentInsuranceSizeClass
from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.fact_source import FactSource





T = TypeVar("T", bound="EnterpriseUnemploymentInsurance")



@_attrs_define
class EnterpriseUnemploymentInsurance:
    """ The enterprise's last year of unemployment insurance, as HRSS sent it.

        Attributes:
            year (int):
            months_paid (int):
            paid_fen (int):
            average_insured (int):
            new_claimants (int):
            size_class (EnterpriseUnemploymentInsuranceSizeClass):
            source (FactSource | None | Unset):
     """

    year: int
    months_paid: int
    paid_fen: int
    average_insured: int
    new_claimants: int
    size_class: EnterpriseUnemploymentInsuranceSizeClass
    source: FactSource | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.fact_source import FactSource # noqa: PLC0415
        year = self.year

        months_paid = self.months_paid

        paid_fen = self.paid_fen

        average_insured = self.average_insured

        new_claimants = self.new_claimants

        size_class = self.size_class.value

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
            "months_paid": months_paid,
            "paid_fen": paid_fen,
            "average_insured": average_insured,
            "new_claimants": new_claimants,
            "size_class": size_class,
        })
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fact_source import FactSource # noqa: PLC0415
        d = dict(src_dict)
        year = d.pop("year")

        months_paid = d.pop("months_paid")

        paid_fen = d.pop("paid_fen")

        average_insured = d.pop("average_insured")

        new_claimants = d.pop("new_claimants")

        size_class = EnterpriseUnemploymentInsuranceSizeClass(d.pop("size_class"))




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


        enterprise_unemployment_insurance = cls(
            year=year,
            months_paid=months_paid,
            paid_fen=paid_fen,
            average_insured=average_insured,
            new_claimants=new_claimants,
            size_class=size_class,
            source=source,
        )


        enterprise_unemployment_insurance.additional_properties = d
        return enterprise_unemployment_insurance

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
