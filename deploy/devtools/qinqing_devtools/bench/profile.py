"""``make profile``: where each service spends its CPU under an open-loop load.

Starts the platform (SQLite, or PostgreSQL with ``--postgres``) on the bench dataset,
drives the instant flow at ``--rate`` applications per second, and meanwhile samples
every process with py-spy. Writes one speedscope file per process under ``--var`` and
prints, per process, its CPU share and the frames that cost most (inclusive samples).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from qinqing_devtools import chaos
from qinqing_devtools.bench.load import open_loop
from qinqing_devtools.bench.main import bench_dataset
from qinqing_devtools.nats_server import free_port
from qinqing_devtools.platform import BANK, SERVICES, Platform
from qinqing_devtools.postgres_server import LocalPostgres


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="qinqing-profile", description=__doc__)
    parser.add_argument("--rate", type=float, default=8.0, help="applications per second")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--native", action="store_true", help="include C frames")
    parser.add_argument("--var", type=Path, default=Path("var/profile"))
    return parser.parse_args(argv)


def py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(found).exists():
        raise SystemExit("py-spy is not installed: pip install py-spy")
    return found


def record(pid: int, seconds: float, out: Path, native: bool) -> subprocess.Popen[bytes]:
    """py-spy on one process: only the thread holding the GIL, so waiting is not counted."""
    command = [py_spy(), "record", "--pid", str(pid), "--duration", str(int(seconds))]
    command += ["--rate", "200", "--gil", "--format", "raw", "--output", str(out), "--nonblocking"]
    command += ["--native"] if native else []
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class Profile:
    """One process's samples: own time by package and by frame, inclusive for ours."""

    total: int = 0
    own_by_package: collections.Counter[str] = field(default_factory=collections.Counter)
    own_by_frame: collections.Counter[str] = field(default_factory=collections.Counter)
    ours: collections.Counter[str] = field(default_factory=collections.Counter)


def summarise(raw: Path) -> Profile:
    profile = Profile()
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        samples, frames = int(count), [_short(f) for f in stack.split(";")]
        profile.total += samples
        profile.own_by_frame[frames[-1]] += samples
        profile.own_by_package[_package(frames[-1])] += samples
        for frame in set(frames):
            if "qinqing" in frame or "_svc/" in frame:
                profile.ours[frame] += samples
    return profile


def _short(frame: str) -> str:
    name, _, where = frame.partition(" (")
    path = where.rstrip(")")
    for marker in ("site-packages/", "lib/python3.11/", "/lib/python3"):
        if marker in path:
            path = path[path.index(marker) + len(marker) :]
            break
    return f"{name} ({path})"


def _package(frame: str) -> str:
    path = frame.partition(" (")[2]
    return path.split("/")[0].split(".py")[0] or "(native)"


async def drive(platform: Platform, rate: float, seconds: float, enterprises: int) -> None:
    path = f"/v1/policies/{chaos.PILOT_POLICY}/applications"
    usccs = [chaos.pilot_enterprise(n)["uscc"] for n in range(enterprises)]
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60) as client:

        async def request(i: int) -> bool:
            answer = await client.post(
                path,
                json={"uscc": usccs[i % len(usccs)]},
                headers={"Idempotency-Key": f"profile-{i}-{time.time_ns()}"},
            )
            return answer.status_code == 200

        stats = await open_loop(request, 0, rate, seconds)
    print(
        f"load: {stats.done} paid, {stats.errors} errors at {rate}/s; "
        f"p50 {stats.percentile(50):.0f} ms, p99 {stats.percentile(99):.0f} ms"
    )


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    shutil.rmtree(args.var, ignore_errors=True)
    args.var.mkdir(parents=True)
    postgres = None
    if args.postgres:
        postgres = LocalPostgres(args.var / "pg", free_port())
        postgres.init()
        postgres.start()
    enterprises = int(args.rate * args.seconds) + 100
    platform = Platform(
        var=args.var,
        nats_url=f"nats://127.0.0.1:{free_port()}",
        database_server=postgres.url if postgres else None,
        dataset_file=bench_dataset(args.var / "city.json", enterprises),
        ports={s.name: free_port() for s in SERVICES} | {BANK: free_port()},
    )
    platform.start()
    try:
        spies = {
            name: record(process.pid, args.seconds, args.var / f"{name}.txt", args.native)
            for name, process in platform.processes.items()
            if name != "nats"
        }
        before = {name: cpu_seconds(p.pid) for name, p in platform.processes.items()}
        asyncio.run(drive(platform, args.rate, args.seconds, enterprises))
        used = {n: cpu_seconds(p.pid) - before[n] for n, p in platform.processes.items()}
        for spy in spies.values():
            spy.wait()
    finally:
        platform.stop()
        if postgres is not None:
            postgres.stop()
    print("\nCPU seconds per process during the load (from /proc, py-spy included):")
    for name, seconds in sorted(used.items(), key=lambda item: -item[1]):
        print(f"{seconds:7.2f}  {name}")
    report(args, list(spies))


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(args: argparse.Namespace, names: list[str]) -> None:
    for name in names:
        raw = args.var / f"{name}.txt"
        if not raw.exists():
            print(f"\n== {name}: no profile")
            continue
        profile = summarise(raw)
        # py-spy samples 200 times a second: samples / 200 / seconds = share of a core.
        print(f"\n== {name}: {profile.total / 200 / args.seconds:.0%} of a core")
        for title, counter in (
            ("own time by package", profile.own_by_package),
            ("own time by frame", profile.own_by_frame),
            ("inclusive, project code", profile.ours),
        ):
            print(f"-- {title}")
            for frame, samples in counter.most_common(args.top):
                print(f"{samples / max(profile.total, 1):6.1%}  {frame}")


if __name__ == "__main__":
    main()
