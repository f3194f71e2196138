"""``identity-svc migrate | serve --port N | audit-verify``.

No ``seed``: the register holds only what departments sent (qinqing_devtools.feeds sends
the demo city through the ingest API, as each department)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from identity_svc import audit
from identity_svc.config import Settings
from qinqing_shared.cli import ServiceCommands
from qinqing_shared.db import Database
from qinqing_shared.uow import Units

commands = ServiceCommands(
    name="identity-svc",
    settings=Settings,
    app_factory="identity_svc.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
)


async def verify_audit(settings: Settings) -> audit.Verification:
    db = Database(settings.database_url)
    try:
        async with Units(db).read() as unit:
            return await audit.verify(unit.session)
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> None:
    """The service's commands, and ``audit-verify``: recompute the audit chain."""
    args = sys.argv[1:] if argv is None else argv
    if args != ["audit-verify"]:
        commands.main(args)
        return
    found = asyncio.run(verify_audit(Settings()))
    if found.intact:
        print(f"audit chain intact: {found.entries} entries, head {found.head}")
        return
    print(f"audit chain BROKEN at entry {found.first_broken} (of {found.entries} read)")
    raise SystemExit(1)


if __name__ == "__main__":
    main()
