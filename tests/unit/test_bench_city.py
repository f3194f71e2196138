"""make bench-city's pieces, with no platform: the policy that pays the city (the job
retention refund as published, paid at once, never short of budget), the empty city it
starts from, and the processes whose memory it counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from qinqing_devtools.bench.city import (
    CityRun,
    city_policy,
    descendants,
    empty_city,
    memory_mib,
    settled,
)
from qinqing_devtools.demo import golden, job_retention_policy
from qinqing_shared.contracts.catalog import Policy


def test_the_city_is_paid_by_the_job_retention_refund_at_once_with_room_for_all() -> None:
    policy = Policy.model_validate(city_policy(1_000))
    retention = Policy.model_validate(job_retention_policy())
    assert (policy.id, policy.proactive, policy.notice_days) == ("hz-city-retention-2026", True, 0)
    assert policy.rules == retention.rules
    assert policy.budget_fen == 1_000 * 10**8


def test_the_platform_starts_with_the_golden_enterprises_and_nothing_proactive(
    tmp_path: Path,
) -> None:
    city = json.loads(empty_city(tmp_path / "city.json").read_text(encoding="utf-8"))
    assert [e["uscc"] for e in city["enterprises"]] == [e["uscc"] for e in golden()["enterprises"]]
    assert city["proactive_policies"] == []


def test_the_memory_counted_is_of_the_process_and_all_it_started() -> None:
    script = "import time; print('up', flush=True); time.sleep(30)"
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline() == "up\n"  # started
        found = descendants(os.getpid())
        assert (found[0], child.pid in found) == (os.getpid(), True)
        assert memory_mib([child.pid]) > 1.0
        assert memory_mib([2**22 + 7]) == 0.0  # no such process: nothing
    finally:
        child.kill()
        child.wait()


def test_a_run_is_over_when_every_payout_is_paid_or_refused_for_good() -> None:
    done = {"state": "done", "applications": {"paid": 6, "rejected": 1}}
    assert settled(done)
    assert not settled(done | {"applications": {"paid": 6, "approved": 1}})  # at the bank
    assert not settled({"state": "paying", "applications": {"paid": 7}})


def test_each_process_peak_is_reported_largest_first() -> None:
    run = CityRun(
        size=1_000,
        records=5_000,
        load_seconds=8.0,
        evaluated=1_000,
        paid=600,
        first_payout_seconds=5.0,
        evaluated_seconds=4.0,
        seconds=13.0,
        peak_mib=900.0,
        differences=0,
        cpu={},
        peak_by_process={"nats": 40.4, "postgres": 310.6, "gateway": 120.0},
    )
    assert run.memory_line() == (
        "    peak memory by process (MiB): postgres 311, gateway 120, nats 40"
    )
