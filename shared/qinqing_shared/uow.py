"""The unit of work: the one way a service opens a transaction (or reads its database).

``units.write()`` opens a read-write unit: its session, its outbox (events written in the
transaction are published after the commit) and, optionally, the Idempotency-Key claim
whose answer it stores. Nothing is kept unless ``commit()`` is called; leaving the
block without it rolls back. ``units.read()`` opens a read-only unit: it has no commit
(on PostgreSQL its statements run without a transaction, each with its own snapshot).

What the structure rules out, so that no one has to remember it:

- two units open at once in one task: on SQLite a process has one connection, and the
  second would wait for the first forever; anywhere it would split one piece of work
  over two transactions (``NestedUnit``);
- a call to another service while a unit is open: a transaction held across the
  network holds its locks (and SQLite's only connection) for as long as the peer takes
  (``ensure_no_open_unit``, called by ``qinqing_shared.http``);
- an endpoint that returns without committing what it wrote (``deps``: ``Uncommitted``).

Cosmic Python's ``unit_of_work.py`` and Polar's read/write sessions are the models.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_shared.db import Database
from qinqing_shared.problems import database_unavailable

if TYPE_CHECKING:
    from qinqing_shared.idempotency import Claim, IdempotencyStore
    from qinqing_shared.outbox import Outbox


class NestedUnit(RuntimeError):
    """A unit was opened while another is open in the same task."""


class HeldAcrossCall(RuntimeError):
    """A peer service was called while a unit is open in the same task."""


class ReadUnit:
    """A read-only unit of work: its session, never committed."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.closed = False


class UnitOfWork(ReadUnit):
    """A read-write unit: one transaction, its outbox, and maybe an Idempotency-Key."""

    def __init__(
        self,
        session: AsyncSession,
        outbox: Outbox | None,
        keys: IdempotencyStore | None,
        claim: Claim | None,
    ) -> None:
        super().__init__(session)
        self._outbox = outbox
        self._keys = keys
        self.claim = claim
        self.committed = False
        self._answering = False

    @property
    def outbox(self) -> Outbox:
        if self._outbox is None:
            raise RuntimeError("this service publishes no events (it has no outbox)")
        return self._outbox

    async def answer(self, status: int, body: dict[str, Any]) -> None:
        """Store the final answer under the unit's Idempotency-Key, in this transaction
        (with the change it answers): a retry replays it, and never does the work again.
        The claim counts as answered once the commit succeeds, not before."""
        if self.claim is None or self._keys is None:
            raise RuntimeError("this unit holds no Idempotency-Key claim")
        await self._keys.done(self.session, self.claim, status, body)
        self._answering = True

    async def commit(self) -> None:
        await self.session.commit()
        self.committed = True
        if self._answering and self.claim is not None:
            self.claim.answered = True


_OPEN: ContextVar[ReadUnit | None] = ContextVar("qinqing_open_unit", default=None)


def ensure_no_open_unit(doing: str) -> None:
    """Refuse ``doing`` (a call to a peer) while this task holds a unit open."""
    unit = _OPEN.get()
    if unit is not None and not unit.closed:
        raise HeldAcrossCall(
            f"{doing} while a unit of work is open: commit (or leave the unit) first; "
            "a transaction must never wait on the network"
        )


def _enter(unit: ReadUnit) -> None:
    current = _OPEN.get()
    if current is not None and not current.closed:
        raise NestedUnit(
            "a unit of work is already open in this task: finish it before opening another"
        )
    _OPEN.set(unit)


@contextlib.contextmanager
def _unreachable_is_unavailable() -> Iterator[None]:
    """A database that cannot be reached at all (refused, reset, timed out: a restart)
    is "retry" (503 ``database-unavailable``), as a dropped connection already is (the
    problem handlers answer SQLAlchemy's own errors); a unit's body makes no other
    network call (``HeldAcrossCall``), so such an error can only be the database's."""
    try:
        yield
    except (ConnectionError, TimeoutError) as exc:
        raise database_unavailable() from exc


class Units:
    """Opens this service's units of work; a service holds one (``Runtime.units``)."""

    def __init__(
        self,
        db: Database,
        outbox: Outbox | None = None,
        keys: IdempotencyStore | None = None,
    ) -> None:
        self.db = db
        self.outbox = outbox
        self.keys = keys

    @contextlib.asynccontextmanager
    async def write(
        self, claim: Claim | None = None, *, autocommit: bool = False
    ) -> AsyncIterator[UnitOfWork]:
        """One transaction; rolled back unless ``commit()`` was called.

        ``autocommit=True`` is for a unit of one write statement, or of writes that
        stand each on its own: on PostgreSQL each statement commits as it runs (no
        BEGIN and COMMIT round trips). Never for writes that must hold together.
        """
        factory = self.db.autocommit if autocommit else self.db.sessionmaker
        with _unreachable_is_unavailable():
            async with factory() as session:
                unit = UnitOfWork(session, self.outbox, self.keys, claim)
                _enter(unit)
                try:
                    yield unit
                finally:
                    unit.closed = True
                    if not unit.committed:
                        await session.rollback()

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[ReadUnit]:
        """Reads only: never commits (on PostgreSQL, no transaction at all)."""
        with _unreachable_is_unavailable():
            async with self.db.autocommit() as session:
                unit = ReadUnit(session)
                _enter(unit)
                try:
                    yield unit
                finally:
                    unit.closed = True
