"""A database that went away is answered "retry" (503), never a bare 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from qinqing_shared.problems import install_problem_handlers


def _app(error: Exception) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise error

    return app


async def _get(app: FastAPI) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.get("/boom")


@pytest.mark.asyncio
async def test_lost_connection_is_a_retryable_problem() -> None:
    error = OperationalError("SELECT 1", {}, ConnectionResetError("connection was closed"))
    answer = await _get(_app(error))
    assert answer.status_code == 503
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"].endswith(":database-unavailable")
    assert answer.headers["retry-after"] == "1"


@pytest.mark.asyncio
async def test_other_database_errors_stay_internal() -> None:
    error = IntegrityError("INSERT", {}, ValueError("duplicate key"))
    answer = await _get(_app(error))
    assert answer.status_code == 500
    assert answer.json()["type"].endswith(":internal-error")


class _Refused(Exception):
    """What asyncpg raises while a restarted PostgreSQL recovers, as SQLAlchemy keeps it."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__("the database system is starting up")
        self.sqlstate = sqlstate


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("sqlstate", "status"),
    [
        ("57P03", 503),  # cannot connect now: starting up
        ("57P01", 503),  # admin shutdown
        ("08006", 503),  # connection failure
        ("23505", 500),  # a unique violation is no outage
        ("57014", 500),  # a statement cancelled (timeout) is no outage either
    ],
)
async def test_a_database_starting_up_or_shutting_down_is_retry(sqlstate: str, status: int) -> None:
    error = DBAPIError("SELECT 1", {}, _Refused(sqlstate))
    answer = await _get(_app(error))
    assert answer.status_code == status
