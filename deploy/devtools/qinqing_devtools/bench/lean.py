"""The lean reference: the instant flow's shape on the leanest stack measured here.

The same seven processes, hops, commits, acknowledged publishes, token checks,
signatures and inbox consumers as the platform has (``lean_chain``), each hop a bare
aiohttp app on uvloop with raw asyncpg (statements prepared per connection, no reset
on release), aiohttp's client and orjson; no framework, no ORM, no validation beyond
what the work needs. It tells the shape's real limit on this machine: the difference
between it and the platform is the cost of the platform's stack (issue 10).

Run: ``python -m qinqing_devtools.bench.lean --port N --hop NAME [--consume KIND]``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import jwt
import nats
import orjson
import uvloop
from aiohttp import web
from nats.js.api import StreamConfig

from qinqing_shared.auth.keys import KeyRing

STREAM, ISSUER, AUDIENCE = "LEAN", "http://lean-issuer", "lean"
TOKEN_SECONDS = 300
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS lean_rows (id text PRIMARY KEY, at timestamptz NOT NULL)",
    "CREATE TABLE IF NOT EXISTS lean_inbox (id text PRIMARY KEY)",
    "CREATE TABLE IF NOT EXISTS lean_head (id int PRIMARY KEY, n bigint NOT NULL)",
    "INSERT INTO lean_head VALUES (1, 0) ON CONFLICT DO NOTHING",
]
INSERT_ROW = "INSERT INTO lean_rows (id, at) VALUES ($1, $2)"
INBOX = "INSERT INTO lean_inbox (id) VALUES ($1) ON CONFLICT DO NOTHING"
HEAD = "UPDATE lean_head SET n = n + 1 WHERE id = 1"


def hop(
    url: str,
    commits: int = 0,
    publishes: tuple[str, ...] = (),
    signs: int = 0,
    verifies: int = 0,
    calls: list[dict[str, Any]] | None = None,
    together: list[dict[str, Any]] | None = None,
    token: bool = True,
    later: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One hop's work; ``later`` are calls made after it answered (a bank's callback)."""
    return {
        "url": url,
        "commits": commits,
        "publishes": list(publishes),
        "signs": signs,
        "verifies": verifies,
        "calls": calls or [],
        "together": together or [],
        "token": token,
        "later": later or [],
    }


def lean_chain(urls: dict[str, str]) -> dict[str, Any]:
    """The platform's flow, hop by hop: commits, publishes, tokens and signatures.

    gateway: the caller's token; claim the key, record the flow, two steps, the end.
    the policy is the gateway's own copy (catalog-svc is not called per application);
    identity signs the profile and publishes its audit record; credit signs its
    verdict; subsidy verifies profile, policy and verdict, publishes the application
    submitted and decided, and signs the order; payment
    verifies the order and the payee, reserves, settles, publishes the payout and its
    audit record; the bank takes its API key, and calls payment-svc back once it has
    answered (the platform's sandbox bank does, as a real bank notifies).
    Consumers (``CONSUMERS``): identity appends the audit records, catalog and subsidy
    take each payout.
    """
    return hop(
        urls["gateway"],
        commits=5,
        together=[hop(urls["identity"], commits=1, publishes=("audit",), signs=1)],
        calls=[
            hop(urls["credit"], commits=1, publishes=("event",), signs=1),
            hop(urls["subsidy"], commits=1, publishes=("event", "event"), verifies=3, signs=1),
            hop(
                urls["payment"],
                commits=3,
                publishes=("payout", "audit"),
                verifies=2,
                # the bank answers, then calls payment-svc back with the outcome
                calls=[
                    hop(
                        urls["bank"],
                        commits=1,
                        token=False,
                        later=[hop(urls["payment"], token=False)],
                    )
                ],
            ),
        ],
    )


CONSUMERS = {"identity": ("audit",), "catalog": ("payout",), "subsidy": ("payout",)}


def totals(plan: dict[str, Any]) -> dict[str, int]:
    """Hops, commits and publishes per application, consumers' commits included."""
    counts = {"hops": 1, "commits": plan["commits"], "publishes": len(plan["publishes"])}
    for child in plan["together"] + plan["calls"] + plan["later"]:
        for key, value in totals(child).items():
            counts[key] += value
    return counts


def per_application(plan: dict[str, Any]) -> dict[str, int]:
    counts = totals(plan)
    consumed = {"audit": 1, "payout": 2}  # how many consumers take each kind
    published = _kinds(plan)
    counts["commits"] += sum(consumed.get(kind, 0) for kind in published)
    return counts


def _kinds(plan: dict[str, Any]) -> list[str]:
    found = list(plan["publishes"])
    for child in plan["together"] + plan["calls"] + plan["later"]:
        found += _kinds(child)
    return found


class Keys:
    """The issuer's key (the gateway hop signs service tokens with it) and a signer's."""

    def __init__(self, folder: Path) -> None:
        issuer = KeyRing(folder / "issuer", "RS256").current
        signer = KeyRing(folder / "signer", "EdDSA").current
        self.issuer_private, self.issuer_public = issuer.private, issuer.private.public_key()
        self.signer_private, self.signer_public = signer.private, signer.private.public_key()
        self.attestation = self.sign()
        self._token, self._token_until = "", 0.0

    def token(self) -> str:
        """A service token for the next hop, made again a minute before it expires."""
        now = time.time()
        if now > self._token_until - 60:
            self._token = issue(self.issuer_private, "lean-service", now)
            self._token_until = now + TOKEN_SECONDS
        return self._token

    def check(self, header: str) -> bool:
        try:
            jwt.decode(
                header.removeprefix("Bearer "),
                self.issuer_public,
                algorithms=["RS256"],
                audience=AUDIENCE,
                issuer=ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "client_id", "jti"]},
            )
        except jwt.InvalidTokenError:
            return False
        return True

    def sign(self) -> str:
        claims = {"sub": str(uuid.uuid4()), "iss": "lean", "iat": int(time.time())}
        return jwt.encode(claims, self.signer_private, algorithm="EdDSA")

    def verify(self) -> None:
        jwt.decode(self.attestation, self.signer_public, algorithms=["EdDSA"])


def issue(private: Any, client_id: str, now: float) -> str:
    claims = {
        "iss": ISSUER,
        "sub": client_id,
        "client_id": client_id,
        "aud": AUDIENCE,
        "iat": int(now),
        "exp": int(now) + TOKEN_SECONDS,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, private, algorithm="RS256", headers={"typ": "at+jwt"})


async def _no_reset(_conn: asyncpg.Connection) -> None:
    """Nothing to reset on release: the hops leave no session state behind."""


class LeanHop:
    def __init__(self, name: str, consume: tuple[str, ...]) -> None:
        self.name, self.consume = name, consume
        self.keys = Keys(Path(os.environ["LEAN_KEYS"]))
        self.pool: asyncpg.Pool | None = None
        self.nc: Any = None
        self.js: Any = None
        self.http: aiohttp.ClientSession | None = None
        self.consumers: list[asyncio.Task[None]] = []
        self.later: set[asyncio.Task[None]] = set()

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        dsn = os.environ["LEAN_DATABASE_URL"]
        self.pool = await asyncpg.create_pool(dsn, min_size=2, max_size=10, reset=_no_reset)
        async with self.pool.acquire() as conn:
            for statement in SCHEMA:
                await conn.execute(statement)
        self.nc = await nats.connect(os.environ["LEAN_NATS_URL"])
        self.js = self.nc.jetstream()
        with contextlib.suppress(Exception):  # already made by another hop
            await self.js.add_stream(StreamConfig(name=STREAM, subjects=["lean.>"]))
        connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=60)
        self.http = aiohttp.ClientSession(connector=connector)
        self.consumers = [asyncio.create_task(self._consume(kind)) for kind in self.consume]
        try:
            yield
        finally:
            for task in self.consumers:
                task.cancel()
            await asyncio.gather(*self.consumers, return_exceptions=True)
            await self.http.close()
            await self.nc.close()
            await self.pool.close()

    async def handle(self, request: web.Request) -> web.Response:
        plan = orjson.loads(await request.read())
        if plan["token"] and not self.keys.check(request.headers.get("Authorization", "")):
            return web.Response(status=401)
        assert self.pool is not None
        for _ in range(plan["commits"]):
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute(INSERT_ROW, str(uuid.uuid4()), dt.datetime.now(dt.UTC))
        for kind in plan["publishes"]:
            event_id = str(uuid.uuid4())
            body = orjson.dumps({"id": event_id, "type": f"lean.{kind}", "data": {}})
            await self.js.publish(f"lean.{kind}", body, headers={"Nats-Msg-Id": event_id})
        for _ in range(plan["verifies"]):
            self.keys.verify()
        signed = [self.keys.sign() for _ in range(plan["signs"])]
        await asyncio.gather(*(self._call(child) for child in plan["together"]))
        for child in plan["calls"]:
            await self._call(child)
        for child in plan["later"]:
            task = asyncio.create_task(self._call(child))
            self.later.add(task)
            task.add_done_callback(self.later.discard)
        return web.Response(body=orjson.dumps({"ok": True, "signed": signed}))

    async def _call(self, child: dict[str, Any]) -> None:
        assert self.http is not None
        headers = {"Content-Type": "application/json"}
        if child["token"]:
            headers["Authorization"] = "Bearer " + self.keys.token()
        async with self.http.post(
            child["url"] + "/hop", data=orjson.dumps(child), headers=headers
        ) as answer:
            await answer.read()
            answer.raise_for_status()

    async def _consume(self, kind: str) -> None:
        assert self.pool is not None
        sub = await self.js.pull_subscribe(f"lean.{kind}", durable=f"lean-{self.name}-{kind}")
        while True:
            try:
                messages = await sub.fetch(batch=50, timeout=1)
            except nats.errors.TimeoutError:
                continue
            for msg in messages:
                event_id = (msg.headers or {}).get("Nats-Msg-Id", "")
                async with self.pool.acquire() as conn, conn.transaction():
                    if await conn.execute(INBOX, event_id) == "INSERT 0 1":
                        await conn.execute(HEAD)
                await msg.ack()

    async def ready(self, _request: web.Request) -> web.Response:
        ok = self.nc is not None and self.nc.is_connected
        return web.Response(body=orjson.dumps({"status": "ready" if ok else "not ready"}))


def main() -> None:
    parser = argparse.ArgumentParser(prog="lean-hop")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--hop", required=True)
    args = parser.parse_args()
    lean = LeanHop(args.hop, CONSUMERS.get(args.hop, ()))

    async def context(_app: web.Application) -> AsyncIterator[None]:
        async with lean.running():
            yield

    app = web.Application()
    app.cleanup_ctx.append(context)
    app.router.add_post("/hop", lean.handle)
    app.router.add_get("/readyz", lean.ready)
    uvloop.install()
    web.run_app(app, host="127.0.0.1", port=args.port, access_log=None, print=None)


if __name__ == "__main__":
    main()
