"""FastAPI dependencies every service uses: the runtime and the request's unit of work."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request

from qinqing_shared.app import Runtime
from qinqing_shared.uow import ReadUnit, UnitOfWork


class Uncommitted(RuntimeError):
    """An endpoint returned without committing (or rolling back) its unit of work."""


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_write_unit(request: Request) -> AsyncIterator[UnitOfWork]:
    """The request's read-write unit: the endpoint commits it; any error rolls it back.

    An endpoint that returns without ``commit()`` is a bug, and fails loudly here
    rather than losing its writes in silence.
    """
    async with get_runtime(request).units.write() as uow:
        yield uow
        if not uow.committed:
            raise Uncommitted(f"{request.url.path}: the endpoint returned without commit()")


async def get_read_unit(request: Request) -> AsyncIterator[ReadUnit]:
    """For endpoints that only read: no commit (on PostgreSQL, no transaction either)."""
    async with get_runtime(request).units.read() as unit:
        yield unit


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
# scope="function": the unit ends before the answer is sent. With FastAPI's default
# ("request") it ended after: a failed commit could follow a 200.
WriteUnitDep = Annotated[UnitOfWork, Depends(get_write_unit, scope="function")]
ReadUnitDep = Annotated[ReadUnit, Depends(get_read_unit, scope="function")]
