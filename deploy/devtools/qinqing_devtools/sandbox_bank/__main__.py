"""``python -m qinqing_devtools.sandbox_bank --port N``: the sandbox bank's process."""

from __future__ import annotations

import argparse

import uvicorn

from qinqing_shared.cli import server_options


def main() -> None:
    parser = argparse.ArgumentParser(prog="sandbox-bank")
    parser.add_argument("command", choices=["serve"], nargs="?", default="serve")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    options = parser.parse_args()
    uvicorn.run(
        "qinqing_devtools.sandbox_bank.app:create_app",
        factory=True,
        host=options.host,
        port=options.port,
        log_level="warning",
        **server_options(),
    )


if __name__ == "__main__":
    main()
