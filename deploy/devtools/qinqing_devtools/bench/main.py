"""``make bench``: the real instant flow and its reference chain, same machine, same run.

For each configuration (PostgreSQL, then SQLite): the reference chain's saturation
throughput, then the real platform's; then both at 25%, 50% and 75% of the reference's
capacity with an open-loop load (p50/p95/p99, errors); and the time from a payout's
commit to its event reaching an independent subscriber. One table, printed and written
with the machine's description to docs/benchmarks.md, with a plot of latency against
load. Loopback only, bounded in count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import nats

from qinqing_devtools import chaos, demo, nats_users
from qinqing_devtools.bench.cpu import CpuMeter, Groups, standard_groups
from qinqing_devtools.bench.lean import Keys, lean_chain, per_application
from qinqing_devtools.bench.lean import issue as lean_issue
from qinqing_devtools.bench.load import Stats, open_loop, saturation
from qinqing_devtools.bench.reference import chain
from qinqing_devtools.bench.report import write_report
from qinqing_devtools.nats_server import free_port
from qinqing_devtools.nats_server import start as start_nats
from qinqing_devtools.platform import BANK, SERVICES, Platform
from qinqing_devtools.postgres_server import LocalPostgres, binaries

HOPS = ("gateway", "catalog", "identity", "subsidy", "credit", "payment", "bank")
LOADS = (0.25, 0.5, 0.75)
# a load above this share of a system's own saturation throughput is not run
OVER_CAPACITY = 1.1


@dataclass
class Measured:
    saturation: Stats
    at_load: dict[float, Stats] = field(default_factory=dict)
    # Wall-clock span of each load level, to tell which events were sent under which load.
    windows: dict[float, tuple[float, float]] = field(default_factory=dict)
    # Per payout event: when it was written (epoch seconds) and how long until it arrived.
    deliveries: list[tuple[float, float]] = field(default_factory=list)
    # During saturation, per successful application: CPU ms by process group and for the
    # machine, and durable commits, acknowledged publishes and HTTP hops.
    cpu_ms: dict[str, float] = field(default_factory=dict)
    per_app: dict[str, float] = field(default_factory=dict)

    def delivery_ms(self, share: float) -> list[float]:
        """Delivery times of the events written while ``share`` of the load was offered."""
        start, end = self.windows.get(share, (0.0, 0.0))
        return sorted(ms for sent, ms in self.deliveries if start <= sent <= end)


@dataclass
class Config:
    name: str
    reference: Measured | None = None
    platform: Measured | None = None
    lean: Measured | None = None  # the lean reference (PostgreSQL only)

    @property
    def base(self) -> Measured:
        """What loads and targets are measured against: the lean reference if run."""
        base = self.lean or self.reference
        assert base is not None
        return base


@dataclass
class Probe:
    """What a run is measured with besides its latencies."""

    groups: Groups
    counters: Callable[[], Awaitable[dict[str, float]]]
    hops: Callable[[], Awaitable[float]] | None = None  # HTTP requests served so far


def bench_dataset(path: Path, enterprises: int) -> Path:
    """The demo city, plus enterprises that are each paid once by a roomy pilot policy."""
    city = demo.dataset(50)
    city["enterprises"] += [chaos.pilot_enterprise(n) for n in range(enterprises)]
    pilot = demo.rental_policy() | {
        "id": chaos.PILOT_POLICY,
        "name": "Rental subsidy pilot",
        "budget_fen": enterprises * chaos.PILOT_AMOUNT,
    }
    city["policies"].append(pilot)
    # the instant flow is what is measured: no proactive run evaluates the city meanwhile
    city["proactive_policies"] = []
    path.write_text(json.dumps(city), encoding="utf-8")
    return path


class Reference:
    """The seven reference hops as processes, like the platform's seven."""

    def pids(self) -> dict[str, int]:
        return {hop: process.pid for hop, process in zip(HOPS, self.processes, strict=True)}

    def __init__(self, var: Path, nats_url: str, database_server: str | None) -> None:
        self.var, self.nats_url, self.server = var, nats_url, database_server
        self.ports = {hop: free_port() for hop in HOPS}
        self.processes: list[subprocess.Popen[bytes]] = []

    def url(self, hop: str) -> str:
        return f"http://127.0.0.1:{self.ports[hop]}"

    def database_url(self, hop: str) -> str:
        if self.server:
            return f"{self.server.rsplit('/', 1)[0]}/bench_ref_{hop}"
        return f"sqlite+aiosqlite:///{(self.var / f'ref-{hop}.db').resolve()}"

    def start(self) -> None:
        if self.server:
            asyncio.run(_create(self.server, [f"bench_ref_{hop}" for hop in HOPS]))
        for hop in HOPS:
            env = {
                "REFERENCE_DATABASE_URL": self.database_url(hop),
                "REFERENCE_NATS_URL": self.nats_url,
            }
            log = (self.var / f"ref-{hop}.log").open("ab")
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "qinqing_devtools.bench.reference",
                        "--port",
                        str(self.ports[hop]),
                    ],
                    env={**_environ(), **env},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for hop in HOPS:
            _wait(self.url(hop) + "/readyz")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)


class LeanReference(Reference):
    """The lean reference's seven hops (PostgreSQL only: raw asyncpg)."""

    prefix = "bench_lean"  # of its databases' names

    def database_url(self, hop: str) -> str:
        assert self.server is not None
        return f"{self.server.rsplit('/', 1)[0]}/{self.prefix}_{hop}".replace(
            "postgresql+asyncpg://", "postgresql://"
        )

    def databases(self) -> list[str]:
        return [f"{self.prefix}_{hop}" for hop in HOPS]

    def caller_token(self) -> str:
        keys = Keys(self.var / "lean-keys")
        return lean_issue(keys.issuer_private, "load-app", time.time())

    def start(self) -> None:
        assert self.server is not None
        asyncio.run(_create(self.server, self.databases()))
        Keys(self.var / "lean-keys")  # made once, before the hops read them
        for hop in HOPS:
            env = {
                "LEAN_DATABASE_URL": self.database_url(hop),
                "LEAN_NATS_URL": self.nats_url,
                "LEAN_KEYS": str((self.var / "lean-keys").resolve()),
            }
            log = (self.var / f"lean-{hop}.log").open("ab")
            command = [sys.executable, "-m", "qinqing_devtools.bench.lean"]
            command += ["--port", str(self.ports[hop]), "--hop", hop]
            self.processes.append(
                subprocess.Popen(
                    command, env={**_environ(), **env}, stdout=log, stderr=subprocess.STDOUT
                )
            )
        for hop in HOPS:
            _wait(self.url(hop) + "/readyz")

    def pids(self) -> dict[str, int]:
        return {hop: process.pid for hop, process in zip(HOPS, self.processes, strict=True)}


def _environ() -> dict[str, str]:
    import os

    return dict(os.environ)


def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).json().get("status") == "ready":
                return
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not ready")


async def _create(server: str, names: list[str]) -> None:
    import asyncpg

    conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        existing = {r["datname"] for r in await conn.fetch("SELECT datname FROM pg_database")}
        for name in names:
            if name not in existing:
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def measure(
    request: Any,
    capacity: float | None,
    args: argparse.Namespace,
    counter: list[int],
    probe: Probe,
) -> Measured:
    """Saturation (with its CPU, commits and publishes), then each load as a share of
    the base's capacity."""
    meter = CpuMeter(probe.groups)
    before, hops = await probe.counters(), await probe.hops() if probe.hops else 0.0
    meter.start()
    sat = await saturation(request, counter[0], args.concurrency, args.saturation_seconds)
    spent = meter.stop()
    await asyncio.sleep(3)  # consumers catch up; PostgreSQL reports commits within seconds
    after = await probe.counters()
    counter[0] += sat.done + sat.errors + 10
    measured = Measured(saturation=sat)
    paid = max(sat.done, 1)
    measured.cpu_ms = {name: ms / paid for name, ms in spent.items()}
    measured.per_app = {name: (after[name] - before[name]) / paid for name in after}
    if probe.hops:
        measured.per_app["hops"] = (await probe.hops() - hops) / paid
    for share in LOADS:
        rate = max(share * (capacity or sat.throughput), 0.5)
        if rate > OVER_CAPACITY * sat.throughput:
            measured.at_load[share] = Stats(offered_rps=rate, over_capacity=True)
            continue
        started = time.time()
        stats = await open_loop(request, counter[0], rate, args.seconds)
        measured.windows[share] = (started, time.time())
        counter[0] += int(rate * args.seconds) + 10
        measured.at_load[share] = stats
    return measured


async def bench_reference(
    reference: Reference, capacity: float | None, args: argparse.Namespace, probe: Probe
) -> Measured:
    plan = chain({hop: reference.url(hop) for hop in HOPS}).model_dump()
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=500)) as client:

        async def request(_i: int) -> bool:
            return (await client.post(reference.url("gateway") + "/hop", json=plan)).is_success

        measured = await measure(request, capacity, args, [0], probe)
    measured.per_app["hops"] = float(_hops(plan))
    return measured


def _hops(plan: dict[str, Any]) -> int:
    children = plan["together"] + plan["calls"] + plan.get("later", [])
    return 1 + sum(_hops(child) for child in children)


async def bench_lean(lean: LeanReference, args: argparse.Namespace, probe: Probe) -> Measured:
    plan = lean_chain({hop: lean.url(hop) for hop in HOPS})
    token = lean.caller_token()
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(
        timeout=30, limits=httpx.Limits(max_connections=500), headers=headers
    ) as client:

        async def request(_i: int) -> bool:
            return (await client.post(lean.url("gateway") + "/hop", json=plan)).is_success

        measured = await measure(request, None, args, [0], probe)
    measured.per_app["hops"] = float(per_application(plan)["hops"])
    return measured


async def bench_platform(
    platform: Platform, capacity: float, args: argparse.Namespace, probe: Probe
) -> Measured:
    path = f"/v1/policies/{chaos.PILOT_POLICY}/applications"
    usccs = [chaos.pilot_enterprise(n)["uscc"] for n in range(args.enterprises)]
    platform.grant(chaos.LOAD_APP, usccs)  # the enterprises let the load app apply
    async with httpx.AsyncClient(
        base_url=platform.gateway_url,
        timeout=30,
        limits=httpx.Limits(max_connections=500),
        auth=platform.auth(chaos.LOAD_APP),
    ) as client:

        async def request(i: int) -> bool:
            answer = await client.post(
                path,
                json={"uscc": usccs[i % len(usccs)]},
                headers={"Idempotency-Key": f"bench-{i}-{time.time_ns()}"},
            )
            return answer.status_code == 200 and answer.json()["status"] == "paid"

        delivery: list[tuple[float, float]] = []
        listener = await _listen(platform.nats_admin_url, delivery)
        try:
            measured = await measure(request, capacity, args, [0], probe)
        finally:
            await listener.close()
        measured.deliveries = delivery
        return measured


def counters(nats_url: str, server: str | None) -> Callable[[], Awaitable[dict[str, float]]]:
    """Commits made in the PostgreSQL server (all its databases) and messages in
    JetStream (all streams), so far."""

    async def read() -> dict[str, float]:
        found: dict[str, float] = {}
        client = await nats.connect(nats_url)
        try:
            js = client.jetstream()
            found["publishes"] = float(sum(s.state.messages for s in await js.streams_info()))
        finally:
            await client.close()
        if server:
            import asyncpg

            conn = await asyncpg.connect(server.replace("postgresql+asyncpg://", "postgresql://"))
            try:
                commits = await conn.fetchval("SELECT sum(xact_commit) FROM pg_stat_database")
            finally:
                await conn.close()
            found["commits"] = float(commits or 0)
        return found

    return read


def served_requests(platform: Platform) -> Callable[[], Awaitable[float]]:
    """HTTP requests the platform's services have answered (their /metrics), so far."""

    async def read() -> float:
        total = 0.0
        async with httpx.AsyncClient(timeout=30, auth=platform.auth(chaos.OPERATOR)) as http:
            for spec in SERVICES:
                text = (await http.get(platform.url(spec.name) + "/metrics")).text
                for line in text.splitlines():
                    if line.startswith("qinqing_http_requests_total{"):
                        total += float(line.rsplit(" ", 1)[1])
        return total

    return read


async def _listen(url: str, delivery: list[tuple[float, float]]) -> Any:
    """An independent subscriber: how long after its commit each payout event arrives."""
    import datetime as dt

    client = await nats.connect(url)

    async def on_message(msg: Any) -> None:
        sent = dt.datetime.fromisoformat(msg.headers["ce-time"])
        elapsed = (dt.datetime.now(dt.UTC) - sent).total_seconds() * 1000
        delivery.append((sent.timestamp(), elapsed))

    await client.subscribe("qinqing.payment.payout.completed.v1", cb=on_message)
    return client


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="qinqing-bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--seconds", type=float, default=12, help="per load level")
    parser.add_argument("--saturation-seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--enterprises", type=int, default=4000)
    parser.add_argument("--configs", default="postgresql,sqlite")
    parser.add_argument("--var", type=Path, default=Path("var/bench"))
    parser.add_argument("--out", type=Path, default=Path("docs/benchmarks.md"))
    return parser.parse_args(argv)


def run_config(name: str, args: argparse.Namespace) -> Config:
    var = args.var / name
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    nats_url = f"nats://127.0.0.1:{free_port()}"
    users = nats_users.ensure(var)  # the platform's users: the reference connects as ops
    nats_process = start_nats(
        nats_url, var / "nats", var / "nats.log", nats_users.authorization(users)
    )
    postgres = None
    server = None
    if name == "postgresql":
        postgres = LocalPostgres(var / "pg", free_port())
        postgres.init()
        postgres.start()
        server = postgres.url
    config = Config(name)
    try:
        admin = nats_users.url_for(nats_url, nats_users.ADMIN, users[nats_users.ADMIN])
        count = counters(admin, server)
        capacity: float | None = None
        if server:
            lean = LeanReference(var, admin, server)
            lean.start()
            try:
                probe = Probe(standard_groups(lean.pids()), count)
                config.lean = asyncio.run(bench_lean(lean, args, probe))
            finally:
                lean.stop()
            capacity = config.lean.saturation.throughput
        reference = Reference(var, admin, server)
        reference.start()
        try:
            probe = Probe(standard_groups(reference.pids()), count)
            config.reference = asyncio.run(bench_reference(reference, capacity, args, probe))
        finally:
            reference.stop()
        platform = Platform(
            var=var,
            nats_url=nats_url,
            own_nats=False,
            database_server=server,
            dataset_file=bench_dataset(var / "city.json", args.enterprises),
            ports={s.name: free_port() for s in SERVICES} | {BANK: free_port()},
        )
        platform.start()
        try:
            own = {n: p.pid for n, p in platform.processes.items() if n != "nats"}
            probe = Probe(standard_groups(own), count, served_requests(platform))
            base = config.base.saturation.throughput
            config.platform = asyncio.run(bench_platform(platform, base, args, probe))
        finally:
            platform.stop()
    finally:
        nats_process.terminate()
        nats_process.wait(timeout=10)
        if postgres is not None:
            postgres.stop()
    return config


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    names = [n for n in args.configs.split(",") if n]
    if "postgresql" in names and binaries() is None:
        print("PostgreSQL server binaries not found: SQLite only", file=sys.stderr)
        names.remove("postgresql")
    configs = [run_config(name, args) for name in names]
    print(write_report(configs, args.out))


if __name__ == "__main__":
    main()
