"""Async database engine and the request session that commits once on success."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import orjson
from sqlalchemy import MetaData, Table, event, inspect, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    """Metadata with a constraint naming convention, so migrations name things stably."""
    return MetaData(naming_convention=NAMING)


def as_utc(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def table_of(model: Any) -> Table:
    """A mapped class's table, for Core statements that need no ORM bookkeeping."""
    table = _TABLES.get(model)
    if table is None:
        found = inspect(model).local_table
        assert isinstance(found, Table)
        table = _TABLES[model] = found
    return table


_TABLES: dict[Any, Table] = {}


async def insert_ignore(session: AsyncSession, model: Any, values: dict[str, Any]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING, on PostgreSQL and SQLite alike; True if inserted.

    The statement is built once per table and dialect, the values go as parameters: a
    statement with the values inside costs SQLAlchemy twice as much CPU per call.
    """
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    result = await session.execute(_insert_ignoring(table_of(model), dialect), values)
    return bool(getattr(result, "rowcount", 0) == 1)


async def insert_ignore_many(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """``insert_ignore`` of several rows in one statement (executemany)."""
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    await session.execute(_insert_ignoring(table_of(model), dialect), rows)


async def inserted_of(
    session: AsyncSession, model: Any, rows: list[dict[str, Any]], key: str
) -> set[Any]:
    """``insert_ignore`` of several rows in one statement (INSERT ... VALUES (...), (...)
    ON CONFLICT DO NOTHING RETURNING key): the ``key`` of each row inserted, not of
    those that were there. Give the rows in a stable order (by key): two transactions
    that insert the same keys then wait on each other in the same order, never in a
    circle."""
    if not rows:
        return set()
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    table = table_of(model)
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(rows).on_conflict_do_nothing().returning(table.c[key])
    return set((await session.execute(statement)).scalars())


@functools.cache
def _insert_ignoring(table: Table, dialect: str) -> Any:
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return insert(table).on_conflict_do_nothing()


def json_text(value: Any) -> str:
    """JSON columns are written with orjson: a tenth of the standard library's CPU on
    the large documents the platform keeps (decisions with their trace, flow steps)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


JSON_CODEC: dict[str, Any] = {"json_serializer": json_text, "json_deserializer": orjson.loads}


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(url: str) -> AsyncEngine:
    """An engine for the service's own database; SQLite gets WAL and immediate writes."""
    if is_sqlite(url):
        # One connection per process: SQLite takes one writer at a time anyway, and
        # waiting for the pool is a cheap asyncio wait where SQLite's busy handler polls.
        engine = create_async_engine(
            url,
            **JSON_CODEC,
            connect_args={"timeout": 30},
            pool_size=1,
            max_overflow=0,
            pool_timeout=300,
            hide_parameters=True,  # errors never log values (ID numbers, accounts)
        )
        _tune_sqlite(engine)
        return engine
    # No pre-ping: it costs a round trip per transaction; a connection the server dropped
    # fails once, the pool then discards all older ones, and the caller is told to retry
    # (problems.py answers 503 database-unavailable; workers retry by themselves).
    return create_async_engine(
        url, **JSON_CODEC, pool_size=10, max_overflow=20, pool_timeout=120, hide_parameters=True
    )


def _autocommit(engine: AsyncEngine) -> AsyncEngine:
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def _tune_sqlite(engine: AsyncEngine) -> None:
    # BEGIN IMMEDIATE takes the write lock up front: a deferred transaction that later
    # writes can fail at once with SQLITE_BUSY in WAL mode, whatever the busy timeout.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """One engine and session factories per service process; sessions are opened only
    by units of work (``qinqing_shared.uow``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False)
        # On PostgreSQL every statement of these sessions commits by itself (no BEGIN and
        # COMMIT round trips): for reads, which under READ COMMITTED take a snapshot per
        # statement anyway, and for writes of a single statement. On SQLite: ordinary.
        bind = self.engine if is_sqlite(url) else _autocommit(self.engine)
        self.autocommit = async_sessionmaker(bind, expire_on_commit=False)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - readiness reports any failure as not ready
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()
