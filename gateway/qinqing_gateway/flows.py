"""Where the saga keeps its flows: the repository, and the units of work it runs in.

The saga sees only ``FlowUnits``: ``SqlFlowUnits`` on the gateway's database (through
``qinqing_shared.uow``), or a fake in memory in the saga's unit tests.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import AsyncIterator
from typing import Any, Protocol

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_gateway.models import Flow, FlowStatus, FlowStep
from qinqing_shared.db import insert_ignore, insert_ignore_many, table_of
from qinqing_shared.idempotency import Claim
from qinqing_shared.uow import UnitOfWork, Units


class Flows(Protocol):
    async def add(self, flow: Flow, steps: dict[str, dict[str, Any]]) -> bool:
        """Record a new flow and its first steps; False (nothing written) if a flow of
        that id exists: another request under the same key created it."""

    async def get(self, application_id: str) -> tuple[Flow, dict[str, Any]] | None: ...

    async def record(self, application_id: str, step: str, result: dict[str, Any]) -> None:
        """Keep a step's result; a result already recorded stays (the first one wins)."""

    async def end(self, application_id: str, status: FlowStatus, answer: dict[str, Any]) -> None:
        """The flow's final state and the answer it gives from now on."""

    async def stale(self, cutoff: dt.datetime, limit: int) -> list[str]:
        """Running flows that neither they nor any step of theirs wrote since ``cutoff``."""

    async def take(self, application_id: str, cutoff: dt.datetime) -> bool:
        """This instance's lease on a stale flow: its time moved to now if it is still
        running and nobody moved it since ``cutoff``; False if another instance did."""

    async def running(self) -> int:
        """Flows not yet final: being advanced, waiting for the bank, or to be resumed."""


class FlowReader(Protocol):
    @property
    def flows(self) -> Flows: ...


class FlowUnit(FlowReader, Protocol):
    async def answer(self, status: int, body: dict[str, Any]) -> None: ...

    async def commit(self) -> None: ...


class FlowUnits(Protocol):
    def write(
        self, claim: Claim | None = None, *, autocommit: bool = False
    ) -> contextlib.AbstractAsyncContextManager[FlowUnit]: ...

    def read(self) -> contextlib.AbstractAsyncContextManager[FlowReader]: ...


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


_FLOWS = table_of(Flow)
# Built once, the values go as parameters (see qinqing_shared.db.insert_ignore).
_INSERT_STEPS = insert(table_of(FlowStep))
_END_FLOW = (
    update(_FLOWS)
    .where(_FLOWS.c.application_id == bindparam("id"))
    .values(status=bindparam("state"), result=bindparam("answer"), updated_at=bindparam("at"))
)
# A stale flow taken by one instance: the update of one row is atomic, so of two
# instances sweeping at once one moves it and the other finds it moved (0 rows).
_TAKE_FLOW = (
    update(_FLOWS)
    .where(
        _FLOWS.c.application_id == bindparam("id"),
        _FLOWS.c.status == FlowStatus.RUNNING,
        _FLOWS.c.updated_at < bindparam("cutoff"),
    )
    .values(updated_at=bindparam("at"))
)


class SqlFlows:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, flow: Flow, steps: dict[str, dict[str, Any]]) -> bool:
        # the result is left out (NULL, not JSON null) until the end
        values = {c.key: getattr(flow, c.key) for c in _FLOWS.columns if c.key != "result"}
        if not await insert_ignore(self.session, Flow, values):
            return False
        rows = [_step(flow.application_id, k, v) for k, v in steps.items()]
        await self.session.execute(_INSERT_STEPS, rows)
        return True

    async def existing(self, application_ids: list[str]) -> set[str]:
        """Which of these flows exist already."""
        query = select(Flow.application_id).where(Flow.application_id.in_(application_ids))
        return set((await self.session.scalars(query)).all())

    async def add_many(self, new: list[Flow], steps: dict[str, dict[str, Any]]) -> None:
        """Record new flows (none of them exists) and each one's first steps, by its id."""
        if not new:
            return
        columns = [c.key for c in _FLOWS.columns if c.key != "result"]
        await self.session.execute(
            insert(_FLOWS), [{c: getattr(flow, c) for c in columns} for flow in new]
        )
        rows = [
            _step(flow.application_id, step, result)
            for flow in new
            for step, result in steps[flow.application_id].items()
        ]
        await self.session.execute(_INSERT_STEPS, rows)

    async def record_many(self, step: str, results: dict[str, dict[str, Any]]) -> None:
        """Several flows' results of one step, by flow; one already recorded stays."""
        if results:
            rows = [_step(application_id, step, r) for application_id, r in results.items()]
            await insert_ignore_many(self.session, FlowStep, rows)

    async def end_many(self, ended: dict[str, tuple[FlowStatus, dict[str, Any]]]) -> None:
        """Several flows' final states and answers, by flow."""
        now = _now()
        values = [
            {"id": i, "state": status, "answer": answer, "at": now}
            for i, (status, answer) in ended.items()
        ]
        await self.session.execute(_END_FLOW, values)

    async def get(self, application_id: str) -> tuple[Flow, dict[str, Any]] | None:
        flow = await self.session.get(Flow, application_id)
        if flow is None:
            return None
        steps = await self.session.scalars(
            select(FlowStep).where(FlowStep.application_id == application_id)
        )
        return flow, {s.step: s.result for s in steps}

    async def record(self, application_id: str, step: str, result: dict[str, Any]) -> None:
        # Two runners of one flow (a live request, a sweep) record the same idempotent
        # result: the first one stays. The step's time is the flow's sign of life.
        await insert_ignore(self.session, FlowStep, _step(application_id, step, result))

    async def end(self, application_id: str, status: FlowStatus, answer: dict[str, Any]) -> None:
        values = {"id": application_id, "state": status, "answer": answer, "at": _now()}
        await self.session.execute(_END_FLOW, values)

    async def stale(self, cutoff: dt.datetime, limit: int) -> list[str]:
        recent_step = (
            select(FlowStep.step)
            .where(FlowStep.application_id == Flow.application_id, FlowStep.completed_at >= cutoff)
            .exists()
        )
        query = (
            select(Flow.application_id)
            .where(Flow.status == FlowStatus.RUNNING, Flow.updated_at < cutoff, ~recent_step)
            .order_by(Flow.created_at)
            .limit(limit)
        )
        return list((await self.session.scalars(query)).all())

    async def take(self, application_id: str, cutoff: dt.datetime) -> bool:
        values = {"id": application_id, "cutoff": cutoff, "at": _now()}
        result = await self.session.execute(_TAKE_FLOW, values)
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def running(self) -> int:
        query = select(func.count()).where(Flow.status == FlowStatus.RUNNING)
        return int(await self.session.scalar(query) or 0)


async def of_enterprise(
    session: AsyncSession, uscc: str, client_id: str | None, offset: int, limit: int
) -> tuple[list[Flow], int]:
    """An enterprise's applications, newest first (only ``client_id``'s when given),
    and how many there are in all."""
    where = [Flow.uscc == uscc]
    if client_id is not None:
        where.append(Flow.client_id == client_id)
    total = await session.scalar(select(func.count()).select_from(Flow).where(*where))
    query = select(Flow).where(*where).order_by(Flow.created_at.desc(), Flow.application_id)
    flows = (await session.scalars(query.offset(offset).limit(limit))).all()
    return list(flows), int(total or 0)


def _step(application_id: str, step: str, result: dict[str, Any]) -> dict[str, Any]:
    return {
        "application_id": application_id,
        "step": step,
        "result": result,
        "completed_at": _now(),
    }


class SqlFlowReader:
    def __init__(self, session: AsyncSession) -> None:
        self.flows = SqlFlows(session)


class SqlFlowUnit:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow
        self.flows = SqlFlows(uow.session)

    async def answer(self, status: int, body: dict[str, Any]) -> None:
        await self.uow.answer(status, body)

    async def commit(self) -> None:
        await self.uow.commit()


class SqlFlowUnits:
    """The saga's units of work on the gateway's database."""

    def __init__(self, units: Units) -> None:
        self.units = units

    @contextlib.asynccontextmanager
    async def write(
        self, claim: Claim | None = None, *, autocommit: bool = False
    ) -> AsyncIterator[FlowUnit]:
        async with self.units.write(claim, autocommit=autocommit) as uow:
            yield SqlFlowUnit(uow)

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[FlowReader]:
        async with self.units.read() as unit:
            yield SqlFlowReader(unit.session)
