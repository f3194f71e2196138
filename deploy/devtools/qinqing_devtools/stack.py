"""The compose stack's setup jobs (deploy/compose.yaml), run inside the app image.

``python -m qinqing_devtools.stack setup``: once per stack, before anything else starts;
makes every secret (the OAuth clients', the NATS users', each service's PostgreSQL
role's, the bank's keys), NATS's configuration, and each process's settings file
(``settings/<process>.env``, read by the image's entrypoint), all in the stack's setup
volume. A second run keeps what the first made: secrets are made at first start, never
shipped, and never changed behind a running stack's back.

``python -m qinqing_devtools.stack k8s --dir DIR``: the same secrets, made once in DIR
on an operator's machine, printed as Kubernetes Secrets for deploy/k8s (docs/deploy.md):
each process's settings, each service's signing keys, and the setup secret the
migrations job reads. Nothing of it is in the repository.

``python -m qinqing_devtools.stack migrate``: before the services start, every time the
stack comes up; makes each service's database and role, applies its migrations,
registers the OAuth clients and people with the gateway and, with
``QINQING_DEMO_DATA=1``, loads the catalog and budgets of the demo city (once; a second
load changes nothing).

``python -m qinqing_devtools.stack feed``: once the services answer, with
``QINQING_DEMO_DATA=1``, the demo city's departments send what they hold, each as
itself: facts to identity-svc, credit records to credit-svc (qinqing_devtools.feeds; no
seeding shortcut into those services' tables). Sent again, every record is a duplicate.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from qinqing_devtools import clients, demo, feeds, nats_server, nats_users
from qinqing_devtools.platform import (
    BANK,
    BANK_PORT,
    SERVICES,
    ServiceSpec,
    Wiring,
    database_name,
    wiring_env,
)
from qinqing_shared.auth.keys import Algorithm, KeyRing

SETUP_DIR = Path("/run/qinqing")
DATA_DIR = Path("/var/lib/qinqing")  # each container's own volume
# PostgreSQL's host: the compose stack's container; CloudNativePG's read-write service
# (``<cluster>-rw``) on Kubernetes
POSTGRES = os.environ.get("QINQING_POSTGRES_HOST", "postgres") + ":5432"
NATS = "nats://nats:4222"
PORTS = {s.name: s.port for s in SERVICES} | {BANK: BANK_PORT}
PROCESSES = [s.name for s in SERVICES] + [BANK]


def prefix(process: str) -> str:
    if process == BANK:
        return "SANDBOX_BANK_"
    return next(s.prefix for s in SERVICES if s.name == process) + "_"


def database_url(setup: Path, spec: ServiceSpec) -> str:
    """The service's own database, as its own role (it reaches no other database)."""
    name = database_name(spec, "")
    password = clients.secret(setup, f"postgres-{spec.name}")
    return f"postgresql+asyncpg://{name}:{password}@{POSTGRES}/{name}"


def dataset_path(setup: Path) -> Path:
    return setup / demo.file_name(demo_enterprises())


def demo_enterprises() -> int:
    return int(os.environ.get("QINQING_DEMO_ENTERPRISES", "3000"))


def wiring(setup: Path) -> Wiring:
    users = nats_users.ensure(setup)
    return Wiring(
        url=lambda name: f"http://{name}:{PORTS[name]}",
        database_url=lambda spec: database_url(setup, spec),
        nats_url=lambda user: nats_users.url_for(NATS, user, users[user]),
        keys_dir=lambda spec: str(DATA_DIR / "keys"),
        # what callers outside the stack see, and what tokens name as their issuer;
        # the processes read its keys inside the stack
        issuer=os.environ.get("QINQING_PUBLIC_URL", "http://127.0.0.1:8000"),
        jwks_url=f"http://gateway:{PORTS['gateway']}/.well-known/jwks.json",
        secrets=setup,
        dataset=str(dataset_path(setup)),
        bank_database_url=f"sqlite+aiosqlite:///{DATA_DIR / 'bank.db'}",
    )


def quoted(value: str) -> str:
    """A value for a POSIX shell's ``.``: single-quoted, single quotes escaped."""
    return "'" + value.replace("'", "'\\''") + "'"


def setup(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    secrets = clients.ensure(folder)
    clients.people(folder)
    if not dataset_path(folder).exists():
        demo.write(dataset_path(folder), demo_enterprises())
    env = wiring_env(wiring(folder))
    for process in PROCESSES:
        own = {k: v for k, v in sorted(env.items()) if k.startswith(prefix(process))}
        text = "".join(f"{k}={quoted(v)}\n" for k, v in own.items())
        clients.write_secret(folder / "settings" / f"{process}.env", text)
    authorization = nats_users.authorization(nats_users.ensure(folder))
    conf = nats_server.config("0.0.0.0", 4222, DATA_DIR / "jetstream", authorization)
    clients.write_secret(folder / "nats.conf", conf + "http_port: 8222\n")
    _postgres_password(folder)
    _readable_by_group(folder / "prometheus-client-secret", secrets["prometheus"]["client_secret"])
    print(f"setup: secrets and settings of {len(PROCESSES)} processes in {folder}")


def _postgres_password(folder: Path) -> None:
    """The superuser's password, for the PostgreSQL container's user."""
    _readable_by_group(folder / "postgres-password", clients.secret(folder, "postgres-superuser"))


def _readable_by_group(path: Path, secret: str) -> None:
    """A secret for a container that runs as a user of its own (PostgreSQL, Prometheus):
    its images add that user to the qinqing group, which may read the file (0640)."""
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secret)  # no newline: read whole as the secret


def superuser_password(folder: Path) -> str:
    """The setup job's (compose), or CloudNativePG's superuser secret mounted as a file."""
    path = os.environ.get("QINQING_POSTGRES_PASSWORD_FILE") or folder / "postgres-password"
    return Path(path).read_text(encoding="utf-8").strip()


async def create_databases(folder: Path, password: str) -> None:
    """Each service's role and database (owned by the role), made when missing."""
    import asyncpg

    conn = await asyncpg.connect(f"postgresql://postgres:{password}@{POSTGRES}/postgres")
    try:
        roles = {r["rolname"] for r in await conn.fetch("SELECT rolname FROM pg_roles")}
        databases = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        for spec in SERVICES:
            name = database_name(spec, "")
            secret = clients.secret(folder, f"postgres-{spec.name}")
            if name not in roles:
                await conn.execute(f"CREATE ROLE \"{name}\" LOGIN PASSWORD '{secret}'")
            if name not in databases:
                await conn.execute(f'CREATE DATABASE "{name}" OWNER "{name}"')
                await conn.execute(f'REVOKE ALL ON DATABASE "{name}" FROM PUBLIC')
    finally:
        await conn.close()


def migrate(folder: Path) -> None:
    asyncio.run(create_databases(folder, superuser_password(folder)))
    demo_data = os.environ.get("QINQING_DEMO_DATA", "1") == "1"
    for spec in SERVICES:
        _command(folder, spec, "migrate")
        if spec.name == "gateway":
            _command(folder, spec, "clients", "register", str(folder / "secrets/clients.json"))
            _command(folder, spec, "people", "register", str(folder / "secrets/people.json"))
        if spec.seeds and demo_data:
            _command(folder, spec, "seed", str(dataset_path(folder)))
    print("migrate: every database is at its latest migration")


def feed(folder: Path, timeout: float = 300) -> None:
    if os.environ.get("QINQING_DEMO_DATA", "1") != "1":
        print("feed: no demo data (QINQING_DEMO_DATA=0)")
        return
    dataset = dataset_path(folder)
    if not dataset.exists():
        demo.write(dataset, demo_enterprises())
    urls = {
        name: os.environ.get(f"QINQING_{name.upper()}_URL", default) for name, default in FEED_URLS
    }
    _wait_ready(list(urls.values()), timeout)
    secrets = json.loads((folder / "secrets" / "clients.json").read_text(encoding="utf-8"))

    def auth_of(client_id: str) -> clients.TokenAuth:
        return clients.TokenAuth(urls["gateway"], client_id, secrets[client_id]["client_secret"])

    city = json.loads(dataset.read_text(encoding="utf-8"))
    as_of = dt.date.today()  # the departments' data, true as of the day it was sent
    refused = asyncio.run(feeds.feed_city(urls, auth_of, city, as_of))
    if any(refused.values()):
        raise SystemExit(f"feed: the departments' records were refused: {refused}")
    count = len(city["enterprises"])
    print(f"feed: the demo city's departments sent their records ({count} enterprises)")


# where the feed job reaches the services (compose's names; the k8s Job sets its own)
FEED_URLS = (
    ("gateway", "http://gateway:8000"),
    ("identity", "http://identity-svc:8001"),
    ("credit", "http://credit-svc:8004"),
    ("catalog", "http://catalog-svc:8002"),
)


def _wait_ready(urls: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    for url in urls:
        while True:
            try:
                if httpx.get(url + "/readyz", timeout=3).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"feed: {url} did not answer ready in {timeout:.0f}s")
            time.sleep(1)


def _command(folder: Path, spec: ServiceSpec, *args: str) -> None:
    """One of the service's own commands, with the service's own settings."""
    env = dict(os.environ) | read_settings(folder / "settings" / f"{spec.name}.env")
    result = subprocess.run([sys.executable, "-m", f"{spec.module}.cli", *args], env=env, text=True)
    if result.returncode:
        raise SystemExit(f"{spec.name} {args[0]} failed (exit {result.returncode})")


def read_settings(path: Path) -> dict[str, str]:
    """A settings file as ``setup`` wrote it (KEY='value' lines)."""
    env = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        env[key] = value[1:-1].replace("'\\''", "'")
    return env


# the key rings each service signs with (qinqing_shared.app, qinqing_gateway.main)
KEY_RINGS: dict[str, tuple[tuple[str, Algorithm], ...]] = {
    spec.name: (("signing", "EdDSA"),) for spec in SERVICES if spec.name != "gateway"
} | {"gateway": (("oauth", "RS256"), ("receipts", "EdDSA"))}


def k8s_secrets(folder: Path) -> list[dict[str, Any]]:
    """Kubernetes Secrets: ``<process>-settings`` (its environment),
    ``<service>-keys-<ring>`` (the key files of each ring it signs with, shared by all its
    instances), ``nats-auth`` (the NATS users, for the NATS chart) and ``qinqing-setup``
    (what ``migrate`` reads)."""
    setup(folder)
    documents = []
    for process in PROCESSES:
        env = read_settings(folder / "settings" / f"{process}.env")
        documents.append(_secret(f"{process}-settings", env))
    for service, rings in KEY_RINGS.items():
        for ring_name, algorithm in rings:
            ring = KeyRing(folder / "keys" / service / ring_name, algorithm)
            names = [f"{key.kid}.{algorithm}.pem" for key in ring.keys]
            files = {n: (ring.folder / n).read_text(encoding="utf-8") for n in names}
            documents.append(_secret(f"{service}-keys-{ring_name}", files))
    users = nats_users.authorization(nats_users.ensure(folder))
    documents.append(_secret("nats-auth", {"auth.conf": users}))
    setup_files = {
        f"settings.{s.name}.env": (folder / "settings" / f"{s.name}.env").read_text(
            encoding="utf-8"
        )
        for s in SERVICES  # migrate runs each service's own commands with its settings
    } | {
        f"secrets.{name}": read(folder / "secrets" / name)
        for name in ("clients.json", "people.json", *(f"postgres-{s.name}" for s in SERVICES))
    }
    documents.append(_secret("qinqing-setup", setup_files))
    return documents


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _secret(name: str, data: dict[str, str]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": name, "labels": {"app.kubernetes.io/part-of": "qinqing"}},
        "type": "Opaque",
        "stringData": data,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="qinqing-stack", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["setup", "migrate", "feed", "k8s"])
    parser.add_argument("--dir", type=Path, default=SETUP_DIR, help="the setup volume")
    args = parser.parse_args(argv)
    if args.command == "setup":
        setup(args.dir)
    elif args.command == "migrate":
        migrate(args.dir)
    elif args.command == "feed":
        feed(args.dir)
    else:
        print(yaml.safe_dump_all(k8s_secrets(args.dir), sort_keys=False), end="")


if __name__ == "__main__":
    main()
