from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..types import UNSET, Unset
from typing import cast

if TYPE_CHECKING:
  from ..models.links import Links





T = TypeVar("T", bound="RequestIn")



@_attrs_define
class RequestIn:
    """ What an enterprise (or its app) submits at ``POST /v1/requests``.

        Attributes:
            uscc (str):
            topic (str):
            title (str):
            text (str):
            links (Links | Unset): What the request is about; the gateway checks each belongs to the enterprise.
     """

    uscc: str
    topic: str
    title: str
    text: str
    links: Links | Unset = UNSET





    def to_dict(self) -> dict[str, Any]:
        from ..models.links import Links # noqa: PLC0415
        uscc = self.uscc

        topic = self.topic

        title = self.title

        text = self.text

        links: dict[str, Any] | Unset = UNSET
        if not isinstance(self.links, Unset):
            links = self.links.to_dict()


        field_dict: dict[str, Any] = {}

        field_dict.update({
            "uscc": uscc,
            "topic": topic,
            "title": title,
            "text": text,
        })
        if links is not UNSET:
            field_dict["links"] = links

        return field_dict



    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.links import Links # noqa: PLC0415
        d = dict(src_dict)
        uscc = d.pop("uscc")

        topic = d.pop("topic")

        title = d.pop("title")

        text = d.pop("text")

        _links = d.pop("links", UNSET)
        links: Links | Unset
        if isinstance(_links,  Unset):
            links = UNSET
        else:
            links = Links.from_dict(_links)




        request_in = cls(
            uscc=uscc,
            topic=topic,
            title=title,
            text=text,
            links=links,
        )

        return request_in

