"""The example department subscriber (qinqing_devtools/examples) on the running platform:
it prints its department's payouts from the time it was told, resumes where it left
off after a restart, and loses nothing across a NATS restart."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from qinqing_devtools.platform import Platform
from tests.e2e.pilots import applied

pytestmark = pytest.mark.e2e


class Subscriber:
    """The example program as a process of its own; its JSON lines as they come."""

    def __init__(self, platform: Platform, durable: str, since: dt.datetime) -> None:
        self.command = [
            sys.executable,
            "-m",
            "qinqing_devtools.examples.department_subscriber",
            "--nats",
            platform.nats_user_url("hrss-subscriber"),  # a department's own NATS user
            "--gateway",
            platform.gateway_url,
            "--department",
            "HZ-HRSS",
            "--durable",
            durable,
            "--from-time",
            since.isoformat(),
        ]
        self.lines: list[dict[str, Any]] = []
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        self.lines = []
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._read, args=(self.process,), daemon=True).start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("{"):
                self.lines.append(json.loads(line))

    def stop(self) -> int:
        assert self.process is not None
        self.process.terminate()
        return self.process.wait(timeout=15)

    async def seen(self, key: str, value: str, within: float = 30) -> bool:
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if any(line.get(key) == value for line in self.lines):
                return True
            await asyncio.sleep(0.1)
        return False

    def payouts(self) -> list[str]:
        return [line["application_id"] for line in self.lines if "application_id" in line]


@pytest.fixture
def subscriber(platform: Platform) -> Iterator[Subscriber]:
    since = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8)))
    running = Subscriber(platform, f"hrss-e2e-{uuid.uuid4().hex[:8]}", since)
    running.start()
    try:
        yield running
    finally:
        if running.process is not None and running.process.poll() is None:
            running.stop()


async def paid(platform: Platform, pilot: int) -> str:
    answer = await applied(platform, pilot)
    assert answer["status"] == "paid"
    return str(answer["id"])


async def test_the_subscriber_resumes_after_a_restart_and_across_a_nats_restart(
    platform: Platform, subscriber: Subscriber
) -> None:
    durable = subscriber.command[subscriber.command.index("--durable") + 1]
    assert await subscriber.seen("ready", durable)
    assert subscriber.payouts() == []  # from now: none of the payouts before it
    first = await paid(platform, 7201)
    assert await subscriber.seen("application_id", first)
    assert subscriber.stop() == 0  # a clean stop on SIGTERM

    second = await paid(platform, 7202)  # made while the subscriber is down
    subscriber.start()
    assert await subscriber.seen("application_id", second)
    assert subscriber.payouts() == [second]  # resumed: the first is not sent again

    await asyncio.to_thread(platform.kill, "nats")
    await asyncio.to_thread(platform.restart, "nats")
    third = await paid(platform, 7203)
    assert await subscriber.seen("application_id", third, within=60)
    # NATS killed (-9) may have lost the latest acks it had not yet written: a payout
    # handled before may come again (at least once, as the program says), none is lost
    # and nothing else comes
    assert subscriber.payouts()[0] == second
    assert set(subscriber.payouts()) <= {first, second, third}, (first, second, third)
    line = next(x for x in subscriber.lines if x.get("application_id") == third)
    assert line["policy_id"] == "hz-rental-subsidy-2026"
    assert line["amount_fen"] == 1_000_000  # a bachelor's degree: 10,000 CNY
    assert line["event_id"]
    await asyncio.sleep(3)  # idle now: its fetches time out, and it keeps running
    assert subscriber.process is not None
    assert subscriber.process.poll() is None
