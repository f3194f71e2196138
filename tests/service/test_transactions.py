"""An endpoint's transaction ends before its answer is sent: a commit that fails is the
client's error answer, never a 200 followed by a lost write."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from qinqing_shared.db import Database
from qinqing_shared.deps import SessionDep
from qinqing_shared.problems import install_problem_handlers


def app_with(db: Database) -> FastAPI:
    app = FastAPI()
    app.state.runtime = SimpleNamespace(db=db)
    install_problem_handlers(app)

    @app.post("/writes")
    async def write(session: SessionDep) -> dict[str, str]:
        def refuse(*_args: Any) -> None:
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

        event.listen(session.sync_session, "before_commit", refuse, once=True)
        return {"status": "written"}  # the answer is ready; the commit is still to come

    return app


async def test_a_commit_that_fails_is_answered_as_such_not_200(tmp_path: Path) -> None:
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 't.db'}")
    try:
        transport = httpx.ASGITransport(app=app_with(db), raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            answer = await client.post("/writes")
    finally:
        await db.dispose()
    assert answer.status_code == 503
    assert answer.json()["type"] == "urn:qinqing:problem:database-unavailable"
