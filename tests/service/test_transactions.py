"""The unit of work: what an endpoint commits is committed before its answer, what it
does not commit is never kept, and the traps a transaction can fall into are refused."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import Column, Integer, MetaData, String, Table, event, func, insert, select
from sqlalchemy.exc import OperationalError

from qinqing_shared.db import Database
from qinqing_shared.deps import WriteUnitDep
from qinqing_shared.http import ServiceClient
from qinqing_shared.problems import Problem, install_problem_handlers
from qinqing_shared.uow import HeldAcrossCall, NestedUnit, Units

NOTES = Table("notes", MetaData(), Column("id", Integer, primary_key=True), Column("text", String))


@pytest.fixture
async def units(tmp_path: Path) -> AsyncIterator[Units]:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 't.db'}")
    async with db.engine.begin() as conn:
        await conn.run_sync(NOTES.metadata.create_all)
    yield Units(db)
    await db.dispose()


async def notes(units: Units) -> int:
    async with units.read() as unit:
        return int(await unit.session.scalar(select(func.count()).select_from(NOTES)) or 0)


def app_with(units: Units) -> FastAPI:
    app = FastAPI()
    app.state.runtime = SimpleNamespace(units=units)
    install_problem_handlers(app)

    @app.post("/failing-commit")
    async def failing_commit(uow: WriteUnitDep) -> dict[str, str]:
        def refuse(*_args: Any) -> None:
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

        event.listen(uow.session.sync_session, "before_commit", refuse, once=True)
        await uow.session.execute(insert(NOTES).values(text="lost"))
        await uow.commit()
        return {"status": "written"}

    @app.post("/forgetful")
    async def forgetful(uow: WriteUnitDep) -> dict[str, str]:
        await uow.session.execute(insert(NOTES).values(text="never committed"))
        return {"status": "written?"}

    @app.post("/written")
    async def written(uow: WriteUnitDep) -> dict[str, str]:
        await uow.session.execute(insert(NOTES).values(text="kept"))
        await uow.commit()
        return {"status": "written"}

    return app


async def post(units: Units, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app_with(units), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.post(path)


async def test_a_commit_that_fails_is_answered_as_such_not_200(units: Units) -> None:
    answer = await post(units, "/failing-commit")
    assert answer.status_code == 503
    assert answer.json()["type"] == "urn:qinqing:problem:database-unavailable"
    assert await notes(units) == 0


async def test_an_endpoint_that_returns_without_commit_fails_and_keeps_nothing(
    units: Units,
) -> None:
    answer = await post(units, "/forgetful")
    assert answer.status_code == 500
    assert await notes(units) == 0


async def test_a_committed_write_is_there_when_the_answer_arrives(units: Units) -> None:
    answer = await post(units, "/written")
    assert answer.status_code == 200
    assert await notes(units) == 1


async def write_then_fail(units: Units) -> None:
    async with units.write() as uow:
        await uow.session.execute(insert(NOTES).values(text="dropped too"))
        raise RuntimeError("the work failed")


async def test_leaving_a_unit_without_commit_rolls_it_back(units: Units) -> None:
    async with units.write() as uow:
        await uow.session.execute(insert(NOTES).values(text="dropped"))
    with pytest.raises(RuntimeError):
        await write_then_fail(units)
    assert await notes(units) == 0


async def test_a_second_unit_in_the_same_task_is_refused(units: Units) -> None:
    """On SQLite it would wait for the first one's connection forever."""
    async with units.write() as _outer:
        with pytest.raises(NestedUnit):
            async with units.read():
                pass
    async with units.read():  # the first one closed: a new one is fine
        pass


async def test_calling_a_service_with_a_unit_open_is_refused(units: Units) -> None:
    client = ServiceClient("peer-svc", "http://127.0.0.1:9")
    try:
        async with units.read():
            with pytest.raises(HeldAcrossCall):
                await client.request("GET", "/anything")
    finally:
        await client.aclose()


async def test_a_database_that_does_not_answer_at_all_is_503_to_retry() -> None:
    """Refused at connect (PostgreSQL restarting): retry, not an internal error."""
    units = Units(Database("postgresql+asyncpg://postgres@127.0.0.1:9/nowhere"))
    try:
        with pytest.raises(Problem) as unavailable:
            async with units.read() as unit:
                await unit.session.execute(select(1))
    finally:
        await units.db.dispose()
    assert (unavailable.value.status, unavailable.value.slug) == (503, "database-unavailable")
    assert unavailable.value.headers == {"Retry-After": "1"}
