"""Real servers for tests: from the environment, from Docker, or started here."""

from __future__ import annotations

import contextlib
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

from qinqing_devtools import nats_server, nats_users
from qinqing_devtools.nats_server import free_port


def docker_answers() -> bool:
    try:
        result = subprocess.run(["docker", "info"], capture_output=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


@contextlib.contextmanager
def nats(tmp: Path) -> Iterator[str]:
    """NATS_URL when set; else a JetStream container; else the bundled nats-server."""
    if url := os.environ.get("NATS_URL"):
        yield url
    elif docker_answers():
        from testcontainers.core.container import DockerContainer

        with DockerContainer("nats:2.10").with_command("-js").with_exposed_ports(4222) as c:
            yield f"nats://{c.get_container_host_ip()}:{c.get_exposed_port(4222)}"
    else:
        url = f"nats://127.0.0.1:{free_port()}"
        users = nats_users.ensure(tmp)  # no anonymous access; tests connect as the operators
        process = nats_server.start(
            url, tmp / "nats", tmp / "nats.log", nats_users.authorization(users)
        )
        try:
            yield nats_users.url_for(url, nats_users.ADMIN, users[nats_users.ADMIN])
        finally:
            process.terminate()
            process.wait(timeout=10)


@contextlib.contextmanager
def database_server() -> Iterator[str | None]:
    """A PostgreSQL server URL (DATABASE_URL, or a container), or None for SQLite."""
    if url := os.environ.get("DATABASE_URL"):
        yield url
    elif os.environ.get("QINQING_TEST_POSTGRES") == "docker" and docker_answers():
        from testcontainers.postgres import PostgresContainer

        with PostgresContainer("postgres:16", driver="asyncpg") as pg:
            yield pg.get_connection_url()
    else:
        yield None


def unique_suffix() -> str:
    return "_t" + uuid.uuid4().hex[:10]
