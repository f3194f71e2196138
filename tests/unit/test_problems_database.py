"""A database that went away is answered "retry" (503), never a bare 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import IntegrityError, OperationalError

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
