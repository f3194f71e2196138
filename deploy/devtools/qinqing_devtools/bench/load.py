"""Load: a closed loop for saturation, an open loop (fixed arrival rate) for latency."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

Request = Callable[[int], Awaitable[bool]]  # the i-th request; True when it succeeded


@dataclass
class Stats:
    offered_rps: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    # offered more than the system's own saturation throughput: not run (it would only
    # measure a queue, for minutes), reported as such
    over_capacity: bool = False

    @property
    def done(self) -> int:
        return len(self.latencies_ms)

    @property
    def throughput(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies_ms:
            return float("nan")
        if len(self.latencies_ms) == 1:
            return self.latencies_ms[0]
        return statistics.quantiles(self.latencies_ms, n=100, method="inclusive")[int(p) - 1]


async def _timed(request: Request, i: int, stats: Stats) -> None:
    started = time.perf_counter()
    try:
        ok = await request(i)
    except Exception:  # noqa: BLE001 - any failure is an error of the run
        ok = False
    if ok:
        stats.latencies_ms.append((time.perf_counter() - started) * 1000)
    else:
        stats.errors += 1


async def saturation(request: Request, first: int, concurrency: int, seconds: float) -> Stats:
    """Closed loop: ``concurrency`` clients back to back for ``seconds``."""
    stats, counter = Stats(), iter(range(first, first + 10**9))
    deadline = time.perf_counter() + seconds

    async def client() -> None:
        while time.perf_counter() < deadline:
            await _timed(request, next(counter), stats)

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    stats.seconds = time.perf_counter() - started
    return stats


async def open_loop(request: Request, first: int, rate: float, seconds: float) -> Stats:
    """Fixed arrival rate: request i leaves at i / rate whatever the others are doing."""
    stats = Stats(offered_rps=rate)
    count = max(1, int(rate * seconds))
    started = time.perf_counter()
    tasks = []
    for i in range(count):
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(_timed(request, first + i, stats)))
    await asyncio.wait(tasks, timeout=seconds + 60)
    stats.seconds = time.perf_counter() - started
    return stats
