"""``credit-svc migrate | serve --port N``.

No ``seed``: credit records are only what departments filed (qinqing_devtools.feeds files
the demo city's through ``POST /records``, as each department)."""

from __future__ import annotations

from pathlib import Path

from credit_svc.config import Settings
from qinqing_shared.cli import ServiceCommands

commands = ServiceCommands(
    name="credit-svc",
    settings=Settings,
    app_factory="credit_svc.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
)
main = commands.main

if __name__ == "__main__":
    main()
