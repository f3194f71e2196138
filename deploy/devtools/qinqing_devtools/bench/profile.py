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
    parser.add_argument("--no-spy", action="store_true", help="CPU accounting only")
    parser.add_argument("--only", nargs="*", default=[], help="profile these processes only")
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
    command += ["--rate", "200", "--gil", "--format", "raw", "--output", str(out)]
    command += ["--native"] if native else ["--nonblocking"]
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
        if not count.isdigit():
            continue  # a frame name with a line break in it: not a sample line
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
    for marker in ("site-packages/", f"python{sys.version_info[0]}.{sys.version_info[1]}/"):
        if marker in path:
            path = path[path.index(marker) + len(marker) :]
            break
    else:  # the project's own code: its package and module
        path = "/".join(path.split("/")[-2:])
    return f"{name} ({path})"


def _package(frame: str) -> str:
    path = frame.partition(" (")[2]
    return path.split("/")[0].split(".py")[0] or "(native)"


async def drive(platform: Platform, rate: float, seconds: float, enterprises: int) -> int:
    path = f"/v1/policies/{chaos.PILOT_POLICY}/applications"
    usccs = [chaos.pilot_enterprise(n)["uscc"] for n in range(enterprises)]
    platform.grant(chaos.LOAD_APP, usccs)  # the enterprises let the load app apply
    auth = platform.auth(chaos.LOAD_APP)
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60, auth=auth) as client:

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
    return stats.done


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
            if name != "nats" and not args.no_spy and (not args.only or name in args.only)
        }
        before, commits = snapshot(platform, postgres), asyncio.run(pg_commits(postgres))
        paid = asyncio.run(drive(platform, args.rate, args.seconds, enterprises))
        used = {n: cpu - before[n] for n, cpu in snapshot(platform, postgres).items()}
        time.sleep(1.5)  # PostgreSQL publishes its counters about once a second
        commits = {n: c - commits[n] for n, c in asyncio.run(pg_commits(postgres)).items()}
        for spy in spies.values():
            spy.wait()
    finally:
        platform.stop()
        if postgres is not None:
            postgres.stop()
    print(f"\nCPU during the load (/proc): seconds, and ms per paid application ({paid}):")
    for name, seconds in sorted(used.items(), key=lambda item: -item[1]):
        print(f"{seconds:7.2f} s {seconds * 1000 / max(paid, 1):7.1f} ms  {name}")
    if commits:
        print("\nPostgreSQL commits per paid application, by database:")
        for name, count in sorted(commits.items(), key=lambda item: -item[1]):
            print(f"{count / max(paid, 1):7.1f}  {name}")
    report(args, list(spies))


async def pg_commits(postgres: LocalPostgres | None) -> dict[str, int]:
    if postgres is None:
        return {}
    import asyncpg

    conn = await asyncpg.connect(postgres.url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        rows = await conn.fetch(
            "SELECT datname, xact_commit FROM pg_stat_database WHERE datname LIKE 'qinqing_%'"
        )
    finally:
        await conn.close()
    return {row["datname"]: int(row["xact_commit"]) for row in rows}


def snapshot(platform: Platform, postgres: LocalPostgres | None) -> dict[str, float]:
    cpu = {name: cpu_seconds(p.pid) for name, p in platform.processes.items()}
    cpu["services (sum)"] = sum(cpu.values())
    if postgres is not None and postgres.process is not None:
        cpu["postgresql (all backends)"] = family_cpu_seconds(postgres.process.pid)
    cpu["machine (all cores, everything)"] = machine_cpu_seconds()
    return cpu


def _stat(pid: int | str) -> list[str]:
    # the fields after the command name: state is [0], so stat's field n is [n - 3]
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def cpu_seconds(pid: int, reaped: bool = False) -> float:
    """User plus system CPU a process has used so far; with its reaped children's."""
    fields = [int(f) for f in _stat(pid)[11:15]]
    return sum(fields if reaped else fields[:2]) / os.sysconf("SC_CLK_TCK")


def family_cpu_seconds(leader: int) -> float:
    """A process and its children (the postmaster and its backends), exited ones too."""
    total = cpu_seconds(leader, reaped=True)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != leader:
            try:
                if int(_stat(entry.name)[1]) == leader:  # its parent
                    total += cpu_seconds(int(entry.name))
            except (OSError, ValueError):
                continue  # gone meanwhile
    return total


def machine_cpu_seconds() -> float:
    """Busy CPU time of the whole machine (all cores) so far."""
    fields = [int(f) for f in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


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
