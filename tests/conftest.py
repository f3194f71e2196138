"""Session-wide real servers: NATS (JetStream) and, when given, PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support import servers


@pytest.fixture(scope="session")
def nats_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with servers.nats(tmp_path_factory.mktemp("nats")) as url:
        yield url


@pytest.fixture(scope="session")
def database_server() -> Iterator[str | None]:
    with servers.database_server() as url:
        yield url
