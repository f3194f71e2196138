"""How a public route is retired: announced first, removed after its sunset.

``/v1`` changes only by adding (new routes, new optional fields, new event subjects).
A route to be removed is marked with ``deprecated(...)`` for at least six months
before its sunset: its answers carry ``Deprecation`` (RFC 9745, when it was deprecated),
``Sunset`` (RFC 8594, when it stops answering) and a ``Link`` to what replaces it, and
the OpenAPI document marks it deprecated. A breaking change is a new version (``/v2``)
served beside the old one until the old one's sunset. docs/api-versions.md.
"""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime
from typing import Any

from fastapi import Depends, Response

from qinqing_shared.problems import NamedProblem

MIN_NOTICE = dt.timedelta(days=182)  # six months between the announcement and the sunset


class RouteRetired(NamedProblem):
    """Past its sunset: the route is gone; the ``Link`` says what replaces it."""

    status, slug, title = 410, "route-retired", "Route retired"


def deprecated(*, since: dt.datetime, sunset: dt.datetime, successor: str) -> Any:
    """``dependencies=[deprecated(...)]`` on a route (with ``deprecated=True``): its
    answers announce the end. ``successor`` is the URL of what replaces it."""
    if sunset - since < MIN_NOTICE:
        raise ValueError("a route is announced at least six months before its sunset")
    headers = {
        "Deprecation": f"@{int(since.timestamp())}",
        "Sunset": format_datetime(sunset.astimezone(dt.UTC), usegmt=True),
        "Link": f'<{successor}>; rel="successor-version"',
    }

    async def announce(response: Response) -> None:
        if dt.datetime.now(dt.UTC) >= sunset:
            retired = RouteRetired(f"This route was retired on {headers['Sunset']}.")
            retired.headers = dict(headers)
            raise retired
        response.headers.update(headers)

    return Depends(announce)
