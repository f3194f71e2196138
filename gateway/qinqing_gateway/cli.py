"""``gateway migrate | serve --port N``."""

from __future__ import annotations

from pathlib import Path

from qinqing_gateway.config import Settings
from qinqing_shared.cli import ServiceCommands

commands = ServiceCommands(
    name="gateway",
    settings=Settings,
    app_factory="qinqing_gateway.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
)
main = commands.main

if __name__ == "__main__":
    main()
