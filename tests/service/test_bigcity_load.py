"""A slice of the big city (qinqing_devtools.bigcity) loaded into identity-svc through
the departments' own batch ingest, as each department sends it: every record taken,
none refused, and what identity-svc then holds is what the city says."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Generator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from identity_svc.config import Settings
from identity_svc.main import create_app
from identity_svc.models import (
    Employment,
    Enterprise,
    Person,
    TaxRecord,
    UnemploymentInsuranceRecord,
)
from qinqing_devtools import bigcity, feeds
from tests.service.auth_support import as_department, as_gateway
from tests.service.conftest import running

SEED, SIZE = 20261127, 120


class AsDepartment(httpx.Auth):
    """The token of the department whose demo client ``client_id`` is."""

    def __init__(self, client_id: str) -> None:
        self.code = next(code for code, c in feeds.CLIENTS.items() if c == client_id)

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, Any, None]:
        request.headers.update(as_department(self.code))
        yield request


@pytest.fixture
async def identity(service_db: Callable[[str], str], nats_url: str) -> AsyncIterator[Any]:
    settings = Settings(database_url=service_db("identity_svc"), nats_url=nats_url)
    app = create_app(settings.model_copy(update={"audit_chain": False}))
    async with running(app, as_gateway("identity-svc")) as client:
        yield client, app


async def count(app: Any, model: Any) -> int:
    async with app.state.runtime.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_slice_of_the_city_is_taken_whole_through_the_departments_ingest(
    identity: Any,
) -> None:
    client, app = identity
    city = [e for s in bigcity.slices(SEED, SIZE, SIZE) for e in s]
    done = await bigcity.load(
        "http://svc", AsDepartment, SEED, SIZE, per_slice=50, transport=client._transport
    )
    people = sum(len(e["employees"]) for e in city)
    assert (done.enterprises, done.refused) == (SIZE, 0)
    assert done.records == sum(len(r) for r in feeds.records(city, bigcity.AS_OF).values())
    assert await count(app, Enterprise) == SIZE
    assert (await count(app, Person), await count(app, Employment)) == (people, people)
    assert await count(app, TaxRecord) == sum(1 for e in city if e.get("tax"))
    insured = sum(1 for e in city if e.get("unemployment_insurance"))
    assert await count(app, UnemploymentInsuranceRecord) == insured
    sample = city[77]
    profile = (await client.get(f"/enterprises/{sample['uscc']}/profile")).json()
    assert [p["id_number"] for p in profile["employees"]] == [
        p["id_number"] for p in sample["employees"]
    ]
