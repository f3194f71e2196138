"""A deprecated route announces its end on every answer, and in the OpenAPI document."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from fastapi import FastAPI

from qinqing_shared.problems import install_problem_handlers
from qinqing_shared.versioning import deprecated

SINCE = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
SUNSET = dt.datetime(2027, 7, 1, tzinfo=dt.UTC)


def app() -> FastAPI:
    made = FastAPI()

    @made.get(
        "/v1/old",
        deprecated=True,
        dependencies=[deprecated(since=SINCE, sunset=SUNSET, successor="/v2/new")],
    )
    async def old() -> dict[str, str]:
        return {"still": "here"}

    @made.get("/v1/kept")
    async def kept() -> dict[str, str]:
        return {}

    return made


async def test_a_deprecated_route_answers_with_its_deprecation_sunset_and_successor() -> None:
    served = app()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=served), base_url="http://api"
    ) as client:
        old, kept = await client.get("/v1/old"), await client.get("/v1/kept")
    assert old.json() == {"still": "here"}
    assert old.headers["Deprecation"] == f"@{int(SINCE.timestamp())}"  # RFC 9745
    assert old.headers["Sunset"] == "Thu, 01 Jul 2027 00:00:00 GMT"  # RFC 8594
    assert old.headers["Link"] == '</v2/new>; rel="successor-version"'
    assert "Deprecation" not in kept.headers
    assert served.openapi()["paths"]["/v1/old"]["get"]["deprecated"] is True


async def test_past_its_sunset_a_route_answers_410_with_its_successor() -> None:
    served = FastAPI()
    install_problem_handlers(served)
    gone = deprecated(
        since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        sunset=dt.datetime(2025, 8, 1, tzinfo=dt.UTC),
        successor="/v2/new",
    )

    @served.get("/v1/gone", deprecated=True, dependencies=[gone])
    async def old() -> dict[str, str]:
        return {"still": "here"}

    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=served), base_url="http://api"
    ) as client:
        answer = await client.get("/v1/gone")
    assert answer.status_code == 410
    assert answer.json()["type"] == "urn:qinqing:problem:route-retired"
    assert answer.headers["Link"] == '</v2/new>; rel="successor-version"'


def test_less_than_six_months_notice_is_refused() -> None:
    with pytest.raises(ValueError, match="six months"):
        deprecated(since=SINCE, sunset=SINCE + dt.timedelta(days=90), successor="/v2/new")
