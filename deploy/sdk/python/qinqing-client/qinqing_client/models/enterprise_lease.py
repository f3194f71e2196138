from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.fact_source import FactSource





T = TypeVar("T", bound="EnterpriseLease")



@_attrs_define
class EnterpriseLease:
    """ The enterprise's registered lease of business premises over its last year, as
    housing sent it.

        Attributes:
            year (int):
            rent_paid_fen (int):
            area_m2 (int):
            incubation_base (None | str | Unset):
            source (FactSource | None | Unset):
     """

    year: int
    rent_paid_fen: int
    area_m2: int
    incubation_base: None | str | Unset = UNSET
    source: FactSource | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.fact_source import FactSource # noqa: PLC0415
        year = self.year

        rent_paid_fen = self.rent_paid_fen

        area_m2 = self.area_m2

        incubation_base: None | str | Unset
        if isinstance(self.incubation_base, Unset):
            incubation_base = UNSET
        else:
            incubation_base = self.incubation_base

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
            "rent_paid_fen": rent_paid_fen,
            "area_m2": area_m2,
        })
        if incubation_base is not UNSET:
            field_dict["incubation_base"] = incubation_base
        if source is not UNSET:
            field_dict["source"] = source

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.fact_source import FactSource # noqa: PLC0415
        d = dict(src_dict)
        year = d.pop("year")

        rent_paid_fen = d.pop("rent_paid_fen")

        area_m2 = d.pop("area_m2")

        def _parse_incubation_base(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        incubation_base = _parse_incubation_base(d.pop("incubation_base", UNSET))


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


        enterprise_lease = cls(
            year=year,
            rent_paid_fen=rent_paid_fen,
            area_m2=area_m2,
            incubation_base=incubation_base,
            source=source,
        )


        enterprise_lease.additional_properties = d
        return enterprise_lease

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
