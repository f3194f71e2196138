"""CPU time spent while a load runs: the machine's, and each process group's.

Read from /proc (Linux): the machine's busy time from /proc/stat, a process's user and
system time from /proc/<pid>/stat. Groups are the platform's (or a reference's) own
processes by name, PostgreSQL's backends, NATS and the load driver itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")
Groups = Callable[[], dict[str, list[int]]]  # group name -> its processes now


def machine_busy_ms() -> float:
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) * TICK_MS


def process_ms(pid: int) -> float:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    after_name = raw.rsplit(")", 1)[1].split()
    return (int(after_name[11]) + int(after_name[12])) * TICK_MS  # utime, stime


def by_command(name: str) -> list[int]:
    """Processes whose command is ``name`` (PostgreSQL's backends, nats-server)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def standard_groups(own: dict[str, int]) -> Groups:
    """``own`` (name -> pid) plus postgres, nats and the driver (this process)."""

    def groups() -> dict[str, list[int]]:
        found = {name: [pid] for name, pid in own.items()}
        found["postgres"] = by_command("postgres")
        found["nats"] = by_command("nats-server")
        found["driver"] = [os.getpid()]
        return found

    return groups


@dataclass
class CpuMeter:
    groups: Groups
    _start: dict[int, float] = field(default_factory=dict)
    _machine: float = 0.0

    def start(self) -> None:
        self._machine = machine_busy_ms()
        self._start = {pid: process_ms(pid) for pids in self.groups().values() for pid in pids}

    def stop(self) -> dict[str, float]:
        """CPU milliseconds per group since ``start``, and the whole machine's."""
        spent = {"machine": machine_busy_ms() - self._machine}
        for name, pids in self.groups().items():
            spent[name] = sum(process_ms(pid) - self._start.get(pid, 0.0) for pid in pids)
        return spent
