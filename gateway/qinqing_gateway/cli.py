"""``gateway migrate | serve --port N | clients register FILE | people register FILE |
keys rotate | keys retire KID``."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from qinqing_gateway.config import Settings
from qinqing_gateway.oauth import people
from qinqing_gateway.oauth.issuer import CALLER_TOKEN_SECONDS
from qinqing_gateway.oauth.registry import ClientSpec, Registry
from qinqing_shared.cli import ServiceCommands
from qinqing_shared.db import Database
from qinqing_shared.uow import Units

commands = ServiceCommands(
    name="gateway",
    settings=Settings,
    app_factory="qinqing_gateway.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
    keys=("oauth", "RS256", CALLER_TOKEN_SECONDS),  # the authorization server's token keys
)


async def register_clients(settings: Settings, entries: list[dict[str, Any]]) -> int:
    """Create or update clients (and an app's grants) from a JSON list; all or none."""
    specs = [(ClientSpec(**{k: v for k, v in e.items() if k != "grants"}), e) for e in entries]
    problems = [p for spec, _ in specs for p in spec.problems()]
    if problems:
        raise SystemExit("refused: " + "; ".join(problems))
    db = Database(settings.database_url)
    try:
        async with Units(db).write() as uow:
            registry = Registry(uow.session)
            for spec, entry in specs:
                await registry.register(spec)
                for uscc in entry.get("grants", []):
                    await registry.grant(uscc, spec.client_id, "seed")
            await uow.commit()
    finally:
        await db.dispose()
    return len(specs)


async def register_people(settings: Settings, entries: list[dict[str, Any]]) -> int:
    """Create or update the people who sign in: username, password, name, and either
    uscc (an enterprise's staff) or department and scopes (its officers)."""
    db = Database(settings.database_url)
    try:
        async with Units(db).write() as uow:
            for entry in entries:
                await people.register(uow.session, **entry)
            await uow.commit()
    finally:
        await db.dispose()
    return len(entries)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:2] == ["clients", "register"] and len(args) == 3:
        data = json.loads(Path(args[2]).read_text(encoding="utf-8"))
        entries = list(data.values()) if isinstance(data, dict) else data  # by id, or a list
        count = asyncio.run(register_clients(Settings(), entries))
        print(f"gateway: {count} clients registered")
    elif args[:2] == ["people", "register"] and len(args) == 3:
        entries = json.loads(Path(args[2]).read_text(encoding="utf-8"))
        count = asyncio.run(register_people(Settings(), entries))
        print(f"gateway: {count} people registered")
    else:
        commands.main(args)


if __name__ == "__main__":
    main()
