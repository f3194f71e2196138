"""``make bench-city``: cities of growing size (qinqing_devtools.bigcity), each decided and
paid by one proactive policy on a fresh platform on PostgreSQL, timed (docs/benchmarks.md).

For each size: a fresh platform (its own PostgreSQL cluster and NATS, as ``make bench``
starts them) with no enterprise of the demo city, the city loaded through the
departments' batch ingest (timed apart), then a department publishes the job
retention refund again as a proactive policy with no notice period
(``hz-city-retention-2026``). The run is followed through its progress endpoint until
it is done: enterprises evaluated per second, payouts per second, the time to the
first payout, and the peak memory of every process (the services, the sandbox bank,
PostgreSQL and NATS). Then reconciliation, which must find no difference.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import nats

from qinqing_devtools import bigcity, demo, feeds, nats_users
from qinqing_devtools.bench.cpu import CpuMeter
from qinqing_devtools.bench.profile import record, summarise
from qinqing_devtools.nats_server import free_port
from qinqing_devtools.nats_server import start as start_nats
from qinqing_devtools.platform import BANK, SERVICES, Platform
from qinqing_devtools.postgres_server import LocalPostgres

POLICY_ID = "hz-city-retention-2026"
OPERATOR = "demo-operator"
POLL_SECONDS = 0.5
SEED = 20261127


def city_policy(size: int) -> dict[str, Any]:
    """The job retention refund, paid at once (no notice period), with room for all."""
    return demo.job_retention_policy() | {
        "id": POLICY_ID,
        "name": "Job retention refund, the city benchmark",
        "notice_days": 0,
        "budget_fen": size * 10**8,  # a million yuan an enterprise: never the limit
    }


def empty_city(path: Path) -> Path:
    """The demo city's catalog and golden enterprises, nothing published proactively."""
    city = demo.dataset(0) | {"proactive_policies": []}
    path.write_text(json.dumps(city), encoding="utf-8")
    return path


@dataclass
class CityRun:
    size: int
    records: int
    load_seconds: float
    evaluated: int
    paid: int
    first_payout_seconds: float | None
    evaluated_seconds: float | None  # every enterprise decided (notices given)
    seconds: float
    peak_mib: float
    differences: int | None
    # CPU ms by process while enterprises were evaluated, and while notices were paid
    cpu: dict[str, dict[str, float]]
    # each process's own peak (MiB), to tell which one grows with the city
    peak_by_process: dict[str, float]

    def memory_line(self) -> str:
        peaks = sorted(self.peak_by_process.items(), key=lambda kv: -kv[1])
        return "    peak memory by process (MiB): " + ", ".join(f"{k} {v:,.0f}" for k, v in peaks)

    def cpu_lines(self) -> list[str]:
        """CPU ms per enterprise evaluated, and per payout, by process."""
        lines = []
        for phase, count in (("evaluating", self.evaluated), ("paying", self.paid)):
            spent = self.cpu.get(phase, {})
            each = ", ".join(f"{k} {v / max(count, 1):.1f}" for k, v in sorted(spent.items()))
            lines.append(
                f"    CPU ms per {'enterprise' if phase == 'evaluating' else 'payout'} "
                f"while {phase}: {each}"
            )
        return lines

    def line(self) -> str:
        per = self.paid / self.seconds if self.seconds else 0.0
        first = f"{self.first_payout_seconds:.1f} s" if self.first_payout_seconds else "none"
        return (
            f"{self.size:>9,} enterprises | loaded in {self.load_seconds:.0f} s "
            f"({self.size / self.load_seconds:.0f}/s, {self.records:,} records) | "
            f"decided {self.evaluated:,} in {self.evaluated_seconds or 0:.1f} s "
            f"({self.evaluated / (self.evaluated_seconds or self.seconds):.1f}/s), "
            f"paid {self.paid:,} by {self.seconds:.0f} s ({per:.2f} payouts/s overall) | "
            f"first payout after {first} | peak memory {self.peak_mib:,.0f} MiB | "
            f"reconciliation: {self.differences} differences"
        )


def memory_mib(pids: list[int]) -> float:
    """The memory these processes use together, in MiB: each one's proportional set
    size (its own pages, and its share of those it shares, such as PostgreSQL's shared
    buffers, which a sum of resident sizes would count once per backend); a process
    gone counts 0."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def descendants(pid: int) -> list[int]:
    """The process and every process it started, and theirs (PostgreSQL's backends)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


class Watch:
    """The run's progress as operators see it, and the memory of every process of this
    platform: its services, the bank, its PostgreSQL cluster and its NATS."""

    def __init__(self, platform: Platform, roots: list[int]) -> None:
        self.platform = platform
        self.named = {n: p.pid for n, p in platform.processes.items()}
        self.postgres, self.nats = roots
        self.peak = 0.0
        self.peaks: dict[str, float] = {}

    def groups(self) -> dict[str, list[int]]:
        """Each service and the bank, PostgreSQL with its backends, NATS: for CpuMeter."""
        found = {name: [pid] for name, pid in self.named.items()}
        return found | {"postgres": descendants(self.postgres), "nats": [self.nats]}

    def memory(self) -> None:
        """The peak of all the platform's processes together, and each one's own (one
        look at /proc for both)."""
        found = {name: memory_mib(pids) for name, pids in self.groups().items()}
        self.peak = max(self.peak, sum(found.values()))
        for name, mib in found.items():
            self.peaks[name] = max(self.peaks.get(name, 0.0), mib)

    async def progress(self, client: httpx.AsyncClient) -> dict[str, Any] | None:
        path = f"/v1/policies/{POLICY_ID}/versions/1/proactive-run"
        answer = await client.get(path)
        if answer.status_code == 404:  # the run has not started yet
            return None
        answer.raise_for_status()
        found: dict[str, Any] = answer.json()
        return found


# an application still on its way (approved: at the bank, or its answer not heard yet)
UNSETTLED = ("eligible", "approved")


def settled(run: dict[str, Any]) -> bool:
    """Every enterprise decided, and every payout of the run paid or refused for good."""
    moving = sum(int(run["applications"].get(status, 0)) for status in UNSETTLED)
    return bool(run["state"] == "done") and moving == 0


async def reconciled(client: httpx.AsyncClient, within: float = 120) -> int:
    """The differences reconciliation finds once the last events are published and the
    bank's last confirmations heard (at most ``within`` seconds after the run)."""
    deadline = time.monotonic() + within
    while True:
        report = (await client.get("/v1/reconciliation")).json()
        found = len(report.get("differences", []))
        if found == 0 or time.monotonic() > deadline:
            return found
        await asyncio.sleep(2)


async def drained(platform: Platform) -> None:
    """Wait until the gateway has heard of every fact the load sent (each is a recheck
    of proactive policies: none is in force yet, but one published meanwhile would be
    evaluated twice)."""
    client = await nats.connect(platform.nats_admin_url)
    try:
        js = client.jetstream()
        for _ in range(600):
            info = await js.consumer_info("QINQING_IDENTITY", "gateway-proactive-facts")
            if info.num_pending == 0 and info.num_ack_pending == 0:
                return
            await asyncio.sleep(0.5)
    finally:
        await client.close()


def spying(platform: Platform, seconds: float, only: list[str]) -> dict[str, Path]:
    """py-spy on the named processes from now for ``seconds`` (the run's first part)."""
    found = {}
    for name in only:
        out = platform.var / f"spy-{name}.txt"
        record(platform.processes[name].pid, seconds, out, native=False)
        found[name] = out
    return found


def spied(found: dict[str, Path]) -> list[str]:
    """Each process's share of samples by package, and its busiest frames of our own."""
    lines = []
    for name, out in found.items():
        for _ in range(60):  # py-spy writes its file when its time is up
            if out.exists():
                break
            time.sleep(1)
        if not out.exists():
            continue
        profile = summarise(out)
        total = max(profile.total, 1)
        packages = ", ".join(
            f"{k} {100 * v / total:.0f}%" for k, v in profile.own_by_package.most_common(8)
        )
        ours = ", ".join(f"{k} {100 * v / total:.0f}%" for k, v in profile.ours.most_common(8))
        lines += [f"    {name}: {packages}", f"      inclusive, ours: {ours}"]
    return lines


async def measure(
    platform: Platform, size: int, roots: list[int], spy: float = 0, only: tuple[str, ...] = ()
) -> CityRun:
    identity = platform.url("identity-svc")
    loaded = await bigcity.load(identity, platform.auth, SEED, size)
    if loaded.refused:
        raise RuntimeError(f"{loaded.refused} records of the city were refused")
    await drained(platform)
    watch = Watch(platform, roots)
    meter = CpuMeter(watch.groups)
    cpu: dict[str, dict[str, float]] = {}
    auth = platform.auth(OPERATOR)
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60, auth=auth) as client:
        started = time.monotonic()
        meter.start()
        spies = spying(platform, spy, list(only)) if spy else {}
        catalog, policy = platform.url("catalog-svc"), city_policy(size)
        await feeds.publish_policies(catalog, platform.auth, [policy])
        first: float | None = None
        evaluated: float | None = None
        while True:
            watch.memory()
            run = await watch.progress(client)
            paid = (run or {}).get("applications", {}).get("paid", 0)
            if paid and first is None:
                first = time.monotonic() - started
            if run is not None and run["state"] != "evaluating" and evaluated is None:
                evaluated = time.monotonic() - started
                cpu["evaluating"] = meter.stop()
                meter.start()
            if run is not None and settled(run):
                break
            await asyncio.sleep(POLL_SECONDS)
        seconds = time.monotonic() - started
        cpu["paying"] = meter.stop()
        differences = await reconciled(client)
    for line in spied(spies):
        print(line, flush=True)
    return CityRun(
        size=size,
        records=loaded.records,
        load_seconds=loaded.seconds,
        evaluated=int(run["evaluated"]),
        paid=int(paid),
        first_payout_seconds=first,
        evaluated_seconds=evaluated,
        seconds=seconds,
        peak_mib=watch.peak,
        differences=differences,
        cpu=cpu,
        peak_by_process=watch.peaks,
    )


def run_size(
    var: Path, size: int, concurrency: int, spy: float = 0, only: tuple[str, ...] = ()
) -> CityRun:
    shutil.rmtree(var, ignore_errors=True)
    var.mkdir(parents=True)
    nats_url = f"nats://127.0.0.1:{free_port()}"
    users = nats_users.ensure(var)
    nats_process = start_nats(
        nats_url, var / "nats", var / "nats.log", nats_users.authorization(users)
    )
    postgres = LocalPostgres(var / "pg", free_port())
    postgres.init()
    postgres.start()
    platform = Platform(
        var=var,
        nats_url=nats_url,
        own_nats=False,
        database_server=postgres.url,
        dataset_file=empty_city(var / "city.json"),
        ports={s.name: free_port() for s in SERVICES} | {BANK: free_port()},
        extra_env={"GATEWAY_PROACTIVE_PAY_CONCURRENCY": str(concurrency)},
    )
    try:
        platform.start()
        assert postgres.process is not None
        roots = [postgres.process.pid, nats_process.pid]
        return asyncio.run(measure(platform, size, roots, spy, only))
    finally:
        platform.stop()
        postgres.stop()
        nats_process.terminate()
        nats_process.wait(30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench-city", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 3_000])
    parser.add_argument("--concurrency", type=int, default=16, help="payouts at once")
    parser.add_argument("--var", type=Path, default=Path("var/bench-city"))
    parser.add_argument("--spy", type=float, default=0, help="py-spy the first seconds")
    parser.add_argument("--spy-on", nargs="+", default=["identity-svc", "gateway", "subsidy-svc"])
    args = parser.parse_args(argv)
    print(f"bench-city on {os.cpu_count()} cores; sizes {args.sizes}", flush=True)
    for size in args.sizes:
        spy_on = tuple(args.spy_on)
        done = run_size(args.var / str(size), size, args.concurrency, args.spy, spy_on)
        print("\n".join([done.line(), done.memory_line(), *done.cpu_lines()]), flush=True)


if __name__ == "__main__":
    main()
