"""The reference chain: bare ASGI hops doing only what the real hops must do.

Each hop commits ``commits`` durable transactions, awaits ``publishes`` JetStream
acknowledgements, then calls the next hops in order, with the same HTTP client, engine
settings and NATS client as the services. The request body carries the plan, so one
generic app serves every hop. Run: ``python -m qinqing_devtools.bench.reference --port N``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import uuid
from collections.abc import AsyncIterator
from typing import Any

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import Column, DateTime, MetaData, String, Table, insert

from qinqing_shared.cli import server_options
from qinqing_shared.db import Database
from qinqing_shared.events import CloudEvent, ensure_stream
from qinqing_shared.http import ServiceClient
from qinqing_shared.messaging import Messaging
from qinqing_shared.migrations import ensure_sqlite_dir
from qinqing_shared.uow import Units

metadata = MetaData()
rows = Table(
    "reference_rows",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("at", DateTime(timezone=True)),
)


class Hop(BaseModel):
    url: str = ""
    commits: int = 0
    publishes: int = 0
    together: list[Hop] = []  # called at once, before ``calls``
    calls: list[Hop] = []  # called one after the other
    later: list[Hop] = []  # called after the answer (the bank's callback)


class ReferenceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REFERENCE_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///var/reference.db"
    nats_url: str = "nats://127.0.0.1:4222"


def create_app() -> FastAPI:
    settings = ReferenceSettings()
    ensure_sqlite_dir(settings.database_url)
    db, messaging = Database(settings.database_url), Messaging(settings.nats_url, "reference")
    units = Units(db)
    pending: set[asyncio.Task[None]] = set()
    http = ServiceClient("reference", "", timeout=30).http  # the services' own client

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with db.engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        await messaging.connect_forever()
        await ensure_stream(messaging.js, "bench")
        yield
        await http.aclose()
        await messaging.close()
        await db.dispose()

    app = FastAPI(title="Reference hop", lifespan=lifespan)

    @app.post("/hop")
    async def hop(plan: Hop) -> dict[str, Any]:
        for _ in range(plan.commits):
            async with units.write() as uow:
                await uow.session.execute(
                    insert(rows).values(id=str(uuid.uuid4()), at=dt.datetime.now(dt.UTC))
                )
                await uow.commit()
        for _ in range(plan.publishes):
            event = CloudEvent(type="qinqing.bench.hop.done.v1", source="/bench", data={})
            await messaging.js.publish(event.type, event.body(), headers=event.headers())

        async def call(hop: Hop) -> None:
            (await http.post(hop.url + "/hop", json=hop.model_dump())).raise_for_status()

        await asyncio.gather(*(call(hop) for hop in plan.together))
        for hop in plan.calls:
            await call(hop)
        for hop in plan.later:
            task = asyncio.create_task(call(hop))
            pending.add(task)
            task.add_done_callback(pending.discard)
        return {"ok": True}

    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ready" if messaging.connected else "not ready"}

    return app


def chain(urls: dict[str, str]) -> Hop:
    """The instant flow's shape: per hop, the commits and publishes its service makes."""

    def at(name: str, commits: int, publishes: int, calls: list[Hop] | None = None) -> Hop:
        return Hop(url=urls[name], commits=commits, publishes=publishes, calls=calls or [])

    # gateway: claim the key, record the flow, two steps, end (last step + answer);
    # subsidy-svc decides eligibility and credit at once (submitted and approved events);
    # payment-svc: claim the key, reserve, settle (with the stored answer), publishing the
    # payout and its audit record; identity-svc: the profile read's audit record.
    bank = at("bank", 1, 0)
    bank.later = [at("payment", 0, 0)]  # the bank's callback, after it answered
    gateway = at(
        "gateway",
        5,
        0,
        [
            at("credit", 1, 1),
            at("subsidy", 1, 2),
            at("payment", 3, 2, [bank]),
        ],
    )
    # the gateway reads the enterprise's profile (the policy is its own copy)
    gateway.together = [at("identity", 1, 1)]
    return gateway


def main() -> None:
    parser = argparse.ArgumentParser(prog="reference-hop")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        "qinqing_devtools.bench.reference:create_app",
        factory=True,
        host="127.0.0.1",
        port=args.port,
        log_level="warning",
        **server_options(),
    )


if __name__ == "__main__":
    main()
