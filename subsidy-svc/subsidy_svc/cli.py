"""``subsidy-svc migrate | serve --port N`` (it has no demo data of its own)."""

from __future__ import annotations

from pathlib import Path

from qinqing_shared.cli import ServiceCommands
from subsidy_svc.config import Settings

commands = ServiceCommands(
    name="subsidy-svc",
    settings=Settings,
    app_factory="subsidy_svc.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
)
main = commands.main

if __name__ == "__main__":
    main()
