"""Short chaos run: applications while services, the bank and NATS are killed with -9.

The long version is ``make chaos`` (docs/chaos.md). Seeded: the same applications and
the same kill order every run.
"""

from __future__ import annotations

import json

import pytest

from qinqing_devtools import chaos, chaos_commitments
from qinqing_devtools.platform import BANK, SERVICES, Platform

pytestmark = pytest.mark.e2e


def chaos_enterprises(platform: Platform, count: int) -> list[str]:
    """Demo enterprises the other end-to-end tests leave alone (not golden, not the last)."""
    city = json.loads(platform.dataset().read_text(encoding="utf-8"))
    return [e["uscc"] for e in city["enterprises"][6 : 6 + count]]


async def test_money_survives_kill_minus_nine(platform: Platform) -> None:
    targets = [s.name for s in SERVICES] + [BANK] + (["nats"] if platform.owns("nats") else [])
    plan = chaos.Plan(
        applications=120,
        seed=20261126,
        kill_every=1.5,  # not used: the kills follow the answers
        kill_after_answers=20,  # 5 kills, at 20, 40, ... 100 answers, on any machine
        targets=tuple(targets),
        concurrency=12,
        settle_seconds=180,
    )
    outcome = await chaos.run(platform, chaos_enterprises(platform, 60), plan)
    assert len(outcome.kills) == 5, outcome.kills
    assert outcome.statuses["paid"] > 0
    assert outcome.statuses["rejected"] > 0
    assert chaos.verdict(outcome) == []


async def test_ingest_commitments_and_clawbacks_survive_kill_minus_nine(
    platform: Platform,
) -> None:
    targets = [s.name for s in SERVICES] + [BANK] + (["nats"] if platform.owns("nats") else [])
    controls = chaos.controls_for(platform, targets)
    outcome = await chaos_commitments.run(
        platform, list(range(8401, 8407)), controls, seed=20261128, kill_every=None
    )
    assert outcome.problems == []
    assert (outcome.paid, outcome.broken, outcome.kept, len(outcome.kills)) == (6, 3, 3, 3)
    checks = await chaos.check(platform)
    assert (checks["ledger_balanced"], checks["outboxes_drained"]) == (True, True)
    assert checks["differences"] == []
