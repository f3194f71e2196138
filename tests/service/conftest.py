"""A real, migrated database per service under test, and its app with a live lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from qinqing_shared.migrations import upgrade
from tests.service.auth_support import trust_test_keys
from tests.support.servers import unique_suffix


async def _admin(server: str, statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture
def service_db(database_server: str | None, tmp_path: Path) -> Iterator[Callable[..., str]]:
    """``make("payment_svc")`` -> the URL of a fresh database with its migrations applied
    (``make("payment_svc", "b")``: a second one for the same service)."""
    created: list[str] = []

    def make(module_name: str, second: str = "") -> str:
        # Migrations run their own event loop: give them a thread of their own.
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(_make, module_name, second).result()

    def _make(module_name: str, second: str) -> str:
        module = importlib.import_module(module_name)
        migrations = Path(str(module.__file__)).parent / "migrations"
        if database_server:
            name = f"qq_{module_name}{unique_suffix()}"
            asyncio.run(_admin(database_server, f'CREATE DATABASE "{name}"'))
            created.append(name)
            url = f"{database_server.rsplit('/', 1)[0]}/{name}"
        else:
            url = f"sqlite+aiosqlite:///{tmp_path / module_name}{second}.db"
        upgrade(migrations, url)
        return url

    yield make
    for name in created:
        assert database_server is not None
        asyncio.run(_admin(database_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextlib.asynccontextmanager
async def running(
    app: FastAPI, headers: dict[str, str] | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan (database, NATS, relay, consumers), called in-process;
    it trusts the test issuer and signers, and ``headers`` go with every call."""
    trust_test_keys(app)
    async with app.router.lifespan_context(app):
        runtime: Any = app.state.runtime
        await asyncio.wait_for(runtime.messaging.ready.wait(), 15)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://svc", headers=headers
        ) as client:
            yield client


from tests.service.payment_support import payments  # noqa: E402,F401 - shared fixture
