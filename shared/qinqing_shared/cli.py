"""The command line every service has: ``migrate``, ``seed FILE``, ``keys``, ``serve``."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_shared import logs
from qinqing_shared.auth.keys import Algorithm, KeyRing
from qinqing_shared.auth.signing import ATTESTATION_TTL
from qinqing_shared.db import Database
from qinqing_shared.httpserver import bounded_protocol
from qinqing_shared.migrations import upgrade
from qinqing_shared.settings import ServiceSettings
from qinqing_shared.uow import Units

Seeder = Callable[[AsyncSession, dict[str, Any]], Awaitable[int]]


# Peers keep their connections to a service open between calls: the server holds an
# idle connection longer than the clients do (see qinqing_shared.http), so a client
# never sends on a connection the server is closing, and no call pays a new handshake.
KEEP_ALIVE_SECONDS = 75


def server_options(settings: ServiceSettings | None = None) -> dict[str, Any]:
    """uvicorn settings every service (and the benchmark's reference hop) runs with.

    ``QINQING_LOOP`` (auto, asyncio, uvloop) and ``QINQING_HTTP`` (auto, h11, httptools)
    choose the event loop and HTTP parser; "auto" takes uvloop and httptools. Either
    parser bounds a request's head (``max_header_bytes``, see qinqing_shared.httpserver).
    """
    settings = settings or ServiceSettings()
    parser = os.environ.get("QINQING_HTTP", "auto")
    http: str | type[asyncio.Protocol] = parser
    if parser != "h11":
        http = bounded_protocol(settings.max_header_bytes, settings.header_timeout_seconds)
    return {
        "loop": os.environ.get("QINQING_LOOP", "auto"),
        "http": http,
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "access_log": False,
    }


@dataclass(frozen=True)
class ServiceCommands:
    name: str
    settings: Callable[[], ServiceSettings]
    app_factory: str
    migrations_dir: Path
    seeder: Seeder | None = None
    # the key ring ``keys rotate`` and ``keys retire`` work on: its folder, its algorithm,
    # and the longest what it signs lives (a service's signed answers: a day)
    keys: tuple[str, Algorithm, float] = ("signing", "EdDSA", ATTESTATION_TTL.total_seconds())

    def main(self, argv: list[str] | None = None) -> None:
        args = self._parser().parse_args(argv)
        settings = self.settings()
        if args.command == "migrate":
            upgrade(self.migrations_dir, settings.database_url)
        elif args.command == "seed":
            loaded = asyncio.run(self._seed(settings.database_url, _read(Path(args.file))))
            print(
                f"{self.name}: loaded {loaded} records" if loaded else f"{self.name}: data present"
            )
        elif args.command == "keys":
            print(self._keys(settings, args.action, args.kid, args.now))
        else:
            logs.configure(settings.service_name)
            uvicorn.run(
                self.app_factory,
                factory=True,
                host=args.host,
                port=args.port,
                log_level=args.log_level,
                log_config=None,  # uvicorn's own lines go through the JSON formatter too
                **server_options(settings),
            )

    def _parser(self) -> argparse.ArgumentParser:
        parser = argparse.ArgumentParser(prog=self.name)
        sub = parser.add_subparsers(dest="command", required=True)
        sub.add_parser("migrate", help="apply the database migrations")
        seed = sub.add_parser("seed", help="load demo data from a dataset file, once")
        seed.add_argument("file")
        keys = sub.add_parser("keys", help="rotate the signing key, or retire an old one")
        keys.add_argument("action", choices=["rotate", "retire"])
        keys.add_argument("kid", nargs="?", help="the key to retire")
        keys.add_argument("--now", action="store_true", help="retire a leaked key at once")
        serve = sub.add_parser("serve", help="run the HTTP service")
        serve.add_argument("--host", default="127.0.0.1")
        serve.add_argument("--port", type=int, required=True)
        serve.add_argument("--log-level", default="warning")
        return parser

    def _keys(self, settings: ServiceSettings, action: str, kid: str | None, at_once: bool) -> str:
        folder, algorithm, live_seconds = self.keys
        ring = KeyRing(settings.key_folder / folder, algorithm)
        if action == "rotate":
            key = ring.rotate()
            return f"{self.name}: {key.kid} signs from now on (a running service takes it at once)"
        if kid is None:
            raise SystemExit("keys retire needs the key id: " + ", ".join(k.kid for k in ring.keys))
        try:
            ring.retire(kid, live_seconds=live_seconds, at_once=at_once)
        except ValueError as exc:
            raise SystemExit(f"{self.name}: {exc}") from exc
        return f"{self.name}: {kid} retired; what it signed no longer verifies"

    async def _seed(self, url: str, dataset: dict[str, Any]) -> int:
        if self.seeder is None:
            return 0
        db = Database(url)
        try:
            async with Units(db).write() as uow:
                count = await self.seeder(uow.session, dataset)
                await uow.commit()
                return count
        finally:
            await db.dispose()


def _read(file: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(file.read_text(encoding="utf-8"))
    return data
