"""The whole platform as local processes: NATS, migrations, demo data, six services."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qinqing_devtools import clients, demo, feeds, nats_server, nats_users


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    module: str
    prefix: str
    port: int
    seeds: bool = True


SERVICES = [
    # identity-svc and credit-svc take the city from its departments, once running (feed)
    ServiceSpec("identity-svc", "identity_svc", "IDENTITY", 8001, seeds=False),
    ServiceSpec("catalog-svc", "catalog_svc", "CATALOG", 8002),
    ServiceSpec("subsidy-svc", "subsidy_svc", "SUBSIDY", 8003, seeds=False),
    ServiceSpec("credit-svc", "credit_svc", "CREDIT", 8004, seeds=False),
    ServiceSpec("payment-svc", "payment_svc", "PAYMENT", 8005),
    ServiceSpec("gateway", "qinqing_gateway", "GATEWAY", 8000, seeds=False),
]
# The sandbox bank stands in for the bank outside the platform: its own process.
BANK = "sandbox-bank"
BANK_PORT = 8009


@dataclass(frozen=True)
class Wiring:
    """Where each process of the platform finds the others, and the secrets they share:
    the one description of its settings that the local runner and the compose stack's
    setup job (qinqing_devtools.stack) both turn into environment variables."""

    url: Callable[[str], str]  # a process's base URL, as the other processes call it
    database_url: Callable[[ServiceSpec], str]
    nats_url: Callable[[str], str]  # a NATS user's URL, with its password
    keys_dir: Callable[[ServiceSpec], str]
    issuer: str  # the authorization server's identifier, as callers see it
    jwks_url: str | None  # where the processes read its keys (None: <issuer>/.well-known/…)
    secrets: Path  # the folder the shared secrets are made and kept in
    dataset: str  # the demo city: its enterprises hold accounts at the sandbox bank
    bank_database_url: str


def wiring_env(w: Wiring) -> dict[str, str]:
    """Every process's settings (``<PREFIX>_…``), for the platform wired as ``w`` says."""
    env: dict[str, str] = {}
    for spec in SERVICES:
        env[f"{spec.prefix}_DATABASE_URL"] = w.database_url(spec)
        env[f"{spec.prefix}_NATS_URL"] = w.nats_url(spec.name)
        env[f"{spec.prefix}_OAUTH_ISSUER"] = w.issuer
        env[f"{spec.prefix}_KEYS_DIR"] = w.keys_dir(spec)
        env[f"GATEWAY_{spec.name.removesuffix('-svc').upper()}_URL"] = w.url(spec.name)
    if w.jwks_url:
        for prefix in [s.prefix for s in SERVICES] + ["SANDBOX_BANK"]:
            env[f"{prefix}_OAUTH_JWKS_URL"] = w.jwks_url
    peers = {name: w.url(name) for name in ("identity-svc", "catalog-svc", "credit-svc")}
    env["SUBSIDY_PEER_URLS"] = json.dumps(peers)
    env["CATALOG_PEER_URLS"] = json.dumps({"subsidy-svc": w.url("subsidy-svc")})
    env["PAYMENT_PEER_URLS"] = json.dumps(
        {"identity-svc": w.url("identity-svc"), "subsidy-svc": w.url("subsidy-svc")}
    )
    env["PAYMENT_BANK_URL"] = w.url(BANK)
    # the pages call the public API inside the platform, not through the public address
    env["GATEWAY_WEB_API_URL"] = w.url("gateway")
    env["GATEWAY_PORTAL_CLIENT_SECRET"] = clients.secret(w.secrets, "portal-client")
    webhook = clients.secret(w.secrets, "bank-webhook")
    env["PAYMENT_BANK_WEBHOOK_SECRET"] = env["SANDBOX_BANK_WEBHOOK_SECRET"] = webhook
    bank_key = clients.secret(w.secrets, "bank-api-key")  # the platform's key at the bank
    env["PAYMENT_BANK_API_KEY"] = env["SANDBOX_BANK_API_KEY"] = bank_key
    env["IDENTITY_BANK_API_KEY"], env["IDENTITY_BANK_URL"] = bank_key, w.url(BANK)
    env["SANDBOX_BANK_ACCOUNTS_FILE"] = w.dataset
    env["SANDBOX_BANK_OAUTH_ISSUER"] = w.issuer
    env["SANDBOX_BANK_DATABASE_URL"] = w.bank_database_url
    env["SANDBOX_BANK_CALLBACK_URL"] = w.url("payment-svc") + "/bank/confirmations"
    return env


@dataclass
class Platform:
    """Start with ``start()``, stop with ``stop()``; data stays under ``var``."""

    var: Path
    nats_url: str = "nats://127.0.0.1:4222"
    database_server: str | None = None
    database_suffix: str = ""
    ports: dict[str, int] = field(
        default_factory=lambda: {s.name: s.port for s in SERVICES} | {BANK: BANK_PORT}
    )
    enterprises: int = 3000
    dataset_file: Path | None = None
    extra_env: dict[str, str] = field(default_factory=dict)
    # False when the caller started NATS itself, with nats_users' configuration
    own_nats: bool = True
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    _auth: dict[str, clients.TokenAuth] = field(default_factory=dict)
    # (client, uscc) this Platform has granted: each is written once (a grant is a run of
    # the gateway's command, seconds of CPU; tests and fault runs grant the same again)
    _granted: set[tuple[str, str]] = field(default_factory=set, repr=False)

    @property
    def gateway_url(self) -> str:
        return self.url("gateway")

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def database_url(self, spec: ServiceSpec) -> str:
        if self.database_server:
            base = self.database_server.rsplit("/", 1)[0]
            return f"{base}/{database_name(spec, self.database_suffix)}"
        return f"sqlite+aiosqlite:///{(self.var / f'{spec.module}.db').resolve()}"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(wiring_env(self.wiring()))
        # load and fault runs send far more than an app may: a quota of their own
        env["GATEWAY_CLIENT_RATE_LIMITS"] = json.dumps({"load-app": "1000000/minute"})
        # and the departments send a city's records to identity-svc (qinqing_devtools.bigcity)
        senders = {client: "1000000/minute" for client in feeds.CLIENTS.values()}
        env["IDENTITY_CLIENT_RATE_LIMITS"] = json.dumps(senders)
        env.update(self.extra_env)
        return env

    def wiring(self) -> Wiring:
        return Wiring(
            url=self.url,
            database_url=self.database_url,
            nats_url=self.nats_user_url,
            keys_dir=lambda spec: str((self.var / "keys" / spec.name).resolve()),
            issuer=self.gateway_url,
            jwks_url=None,
            secrets=self.var,
            dataset=str(self.dataset().resolve()),
            bank_database_url=f"sqlite+aiosqlite:///{(self.var / 'bank.db').resolve()}",
        )

    def credentials(self, client_id: str) -> dict[str, Any]:
        """A demo client's registration and secret (see qinqing_devtools.clients)."""
        return clients.ensure(self.var)[client_id]

    def auth(self, client_id: str) -> clients.TokenAuth:
        """httpx auth that sends a fresh access token of this demo client."""
        if client_id not in self._auth:
            secret = self.credentials(client_id)["client_secret"]
            self._auth[client_id] = clients.TokenAuth(self.gateway_url, client_id, secret)
        return self._auth[client_id]

    def grant(self, client_id: str, usccs: list[str]) -> None:
        """Enterprises let an app act for them (the seed path, for load and fault runs),
        those this Platform has not granted it yet, in one run of the gateway's command.
        A grant an enterprise revokes through the API is not granted again here."""
        new = [u for u in dict.fromkeys(usccs) if (client_id, u) not in self._granted]
        if not new:
            return
        self.register(self.credentials(client_id) | {"grants": new})
        self._granted.update((client_id, uscc) for uscc in new)

    def register(self, entry: dict[str, Any]) -> None:
        """Register (or update) a client with the gateway's authorization server."""
        path = self.var / "secrets" / f"register-{entry['client_id']}.json"
        clients.write_secret(path, json.dumps([entry]))
        gateway = next(s for s in SERVICES if s.name == "gateway")
        self._command(gateway, "clients", "register", str(path))

    def register_person(self, username: str, password: str, name: str, **of: Any) -> None:
        """A person who signs in (as ``make run``'s demo people): ``uscc=`` of an
        enterprise's staff, or ``department=`` and ``scopes=`` of an officer."""
        path = self.var / "secrets" / f"person-{username}.json"
        person = {"username": username, "password": password, "name": name, **of}
        clients.write_secret(path, json.dumps([person]))
        gateway = next(s for s in SERVICES if s.name == "gateway")
        self._command(gateway, "people", "register", str(path))

    def start(self) -> None:
        self.var.mkdir(parents=True, exist_ok=True)
        self._ensure_nats()
        self.prepare()
        self.start_bank()
        for spec in SERVICES:
            self._spawn(spec)
        self.wait_ready()
        self.feed()

    def feed(self) -> None:
        """The demo city's departments send what they hold: facts to identity-svc, credit
        records to credit-svc, each as itself (qinqing_devtools.feeds). Once per dataset:
        sent again, every record would be a duplicate."""
        dataset = self.dataset()
        done = self.var / f"fed-{dataset.name}"
        if done.exists():
            return
        city = json.loads(dataset.read_text(encoding="utf-8"))
        urls = {name: self.url(f"{name}-svc") for name in ("identity", "credit", "catalog")}
        as_of = dt.date.today()  # the departments' data, true as of the day it was sent
        refused = asyncio.run(feeds.feed_city(urls, self.auth, city, as_of))
        if any(refused.values()):
            raise RuntimeError(f"the departments' records were refused: {refused}")
        done.write_text(json.dumps({"fed_on": as_of.isoformat()}), encoding="utf-8")

    def nats_user_url(self, user: str) -> str:
        """The NATS URL with a user's own credentials (see nats_users)."""
        password = nats_users.ensure(self.var)[user]
        return nats_users.url_for(self.nats_url, user, password)

    @property
    def nats_admin_url(self) -> str:
        """For the operators' tooling and the tests' harness: may do anything."""
        return self.nats_user_url(nats_users.ADMIN)

    def _ensure_nats(self) -> None:
        """The platform's own NATS, with its users: never a server it did not start."""
        process = self.processes.get("nats")
        if not self.own_nats or (process is not None and process.poll() is None):
            return
        host, port = nats_server.host_port(self.nats_url)
        if nats_server.answers(host, port):
            raise RuntimeError(f"port {port} is taken: the platform starts its own NATS")
        authorization = nats_users.authorization(nats_users.ensure(self.var))
        self.processes["nats"] = nats_server.start(
            self.nats_url, self.var / "nats", self.var / "logs" / "nats.log", authorization
        )

    def dataset(self) -> Path:
        if self.dataset_file is not None:
            return self.dataset_file
        path = self.var / demo.file_name(self.enterprises)
        if not path.exists():
            demo.write(path, self.enterprises)
        return path

    def prepare(self) -> None:
        """Create databases, apply migrations and load the demo data, services in parallel."""
        if self.database_server:
            asyncio.run(create_databases(self.database_server, self.database_suffix))
        dataset = self.dataset()
        with ThreadPoolExecutor(len(SERVICES)) as pool:
            list(pool.map(lambda spec: self._prepare_one(spec, dataset), SERVICES))

    def _prepare_one(self, spec: ServiceSpec, dataset: Path) -> None:
        self._command(spec, "migrate")
        if spec.name == "gateway":
            clients.ensure(self.var)
            self._command(spec, "clients", "register", str(self.var / "secrets/clients.json"))
            clients.people(self.var)
            self._command(spec, "people", "register", str(self.var / "secrets/people.json"))
        if spec.seeds:
            self._command(spec, "seed", str(dataset))

    def _command(self, spec: ServiceSpec, *args: str) -> None:
        result = subprocess.run(
            [sys.executable, "-m", f"{spec.module}.cli", *args],
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise RuntimeError(f"{spec.name} {args[0]} failed:\n{result.stderr[-3000:]}")

    def _spawn(self, spec: ServiceSpec) -> None:
        self._process(spec.name, f"{spec.module}.cli", "serve")

    def start_bank(self) -> None:
        self._process(BANK, "qinqing_devtools.sandbox_bank", "serve")
        self._wait(BANK, 30, "/openapi.json")

    def _process(self, name: str, module: str, command: str) -> None:
        log = self.var / "logs" / f"{name}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", module, command, "--port", str(self.ports[name])],
            env=self.env(),
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        for spec in SERVICES:
            self._wait(spec.name, timeout)

    def _wait(self, name: str, timeout: float, path: str = "/readyz") -> None:
        deadline = time.monotonic() + timeout
        while not self.ready(name, path):
            process = self.processes.get(name)
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"{name} exited; see {self.var}/logs/{name}.log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not ready after {timeout}s")
            time.sleep(0.2)

    def ready(self, service: str, path: str = "/readyz") -> bool:
        try:
            with urllib.request.urlopen(self.url(service) + path, timeout=2) as answer:
                body = json.load(answer)
                return path != "/readyz" or bool(body["status"] == "ready")
        except OSError:
            return False

    def owns(self, name: str) -> bool:
        return name in self.processes

    def kill(self, service: str) -> None:
        """Kill a process at once (SIGKILL), as a crash would."""
        process = self.processes.pop(service)
        process.kill()
        process.wait()

    def restart(self, service: str) -> None:
        if service == "nats":
            self._ensure_nats()
            return
        if service == BANK:
            self.start_bank()
            return
        spec = next(s for s in SERVICES if s.name == service)
        self._spawn(spec)
        self.wait_ready()

    def stop(self) -> None:
        """Stop every process this platform started, NATS last; none is left behind."""
        for name in [s.name for s in SERVICES] + [BANK, "nats"]:
            process = self.processes.pop(name, None)
            if process is None or process.poll() is not None:
                continue
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def first_exited(self) -> str | None:
        return next((n for n, p in self.processes.items() if p.poll() is not None), None)


def database_name(spec: ServiceSpec, suffix: str) -> str:
    return f"qinqing_{spec.module.removesuffix('_svc').removeprefix('qinqing_')}{suffix}"


async def _admin(server: str, statements: list[str]) -> None:
    import asyncpg

    dsn = server.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


async def create_databases(server: str, suffix: str) -> None:
    import asyncpg

    dsn = server.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        existing = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        for spec in SERVICES:
            name = database_name(spec, suffix)
            if name not in existing:
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_databases(server: str, suffix: str) -> None:
    names = [database_name(spec, suffix) for spec in SERVICES]
    await _admin(server, [f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in names])
