"""FastAPI dependencies every service uses: the runtime, the request session, the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_shared.app import Runtime
from qinqing_shared.outbox import Outbox


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed on success, rolled back on any error."""
    async for session in get_runtime(request).db.session():
        yield session


async def get_read_session(request: Request) -> AsyncIterator[AsyncSession]:
    """For endpoints that only read: no commit (on PostgreSQL, no transaction either)."""
    async for session in get_runtime(request).db.read_session():
        yield session


def get_outbox(request: Request) -> Outbox:
    outbox = get_runtime(request).outbox
    if outbox is None:
        raise RuntimeError("this service has no outbox")
    return outbox


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
# scope="function": the transaction ends (committed, or rolled back) before the answer
# is sent. With FastAPI's default ("request"), it ended after: a client could be told
# 200 before the commit, read its own write and not find it, or be told 200 for a
# commit that then failed.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session, scope="function")]
OutboxDep = Annotated[Outbox, Depends(get_outbox)]
