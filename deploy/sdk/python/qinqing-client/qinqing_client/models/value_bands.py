from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
  from ..models.band import Band





T = TypeVar("T", bound="ValueBands")



@_attrs_define
class ValueBands:
    """ Where the value a clause compares with depends on another fact: e.g. a layoff
    rate of at most 5.5%, but 20% for an enterprise of 30 insured staff or fewer. The
    first band (in ascending ``up_to``) that holds gives the value; none: the clause's
    own ``value``. An unknown ``by`` fact leaves the clause unknown.

        Attributes:
            by (str): The fact that chooses the value, e.g. 'enterprise.insured_average'
            bands (list[Band]):
     """

    by: str
    bands: list[Band]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)





    def to_dict(self) -> dict[str, Any]:
        from ..models.band import Band # noqa: PLC0415
        by = self.by

        bands = []
        for bands_item_data in self.bands:
            bands_item = bands_item_data.to_dict()
            bands.append(bands_item)




        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({
            "by": by,
            "bands": bands,
        })

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.band import Band # noqa: PLC0415
        d = dict(src_dict)
        by = d.pop("by")

        bands = []
        _bands = d.pop("bands")
        for bands_item_data in (_bands):
            bands_item = Band.from_dict(bands_item_data)



            bands.append(bands_item)


        value_bands = cls(
            by=by,
            bands=bands,
        )


        value_bands.additional_properties = d
        return value_bands

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
