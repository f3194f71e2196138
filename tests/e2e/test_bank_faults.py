"""The sandbox bank in each fault mode, end to end, with the checks of the chaos run."""

from __future__ import annotations

import json

import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform

pytestmark = pytest.mark.e2e


def fault_enterprises(platform: Platform, mode: str) -> list[str]:
    """18 demo enterprises of the mode's own, apart from those the chaos and resume tests
    use: an enterprise paid under one mode would only be refused as claimed under the
    next, and the mode would meet no payout."""
    city = json.loads(platform.dataset().read_text(encoding="utf-8"))
    first = 70 + 18 * chaos.BANK_MODES.index(mode)
    return [e["uscc"] for e in city["enterprises"][first : first + 18]]


@pytest.mark.parametrize("mode", chaos.BANK_MODES)
async def test_money_survives_a_misbehaving_bank(platform: Platform, mode: str) -> None:
    plan = chaos.Plan(
        applications=24,
        seed=1000 + chaos.BANK_MODES.index(mode),
        kill_every=3600,
        concurrency=8,
        settle_seconds=120,
    )
    # A bank that is down blocks payouts until it is back: 4 s of it from its first
    # refusal (the first payouts may take longer than that to reach it). Every other mode
    # lasts the whole run, and meets every payout: a handful of the 24 applications pay
    # (the others' employees are not eligible), and at a rate of one half the bank had
    # sometimes met none of them, so the run showed nothing.
    window = 4 if mode == "down" else plan.settle_seconds
    outcome = await chaos.bank_fault_run(
        platform, fault_enterprises(platform, mode), mode, plan, fault_seconds=window, rate=1.0
    )
    assert chaos.verdict(outcome) == []
    assert outcome.checks["faults_injected"] > 0  # the bank did misbehave, as asked
    if mode == "fail":
        reasons = [" ".join(a["decision"]["reasons"]) for a in outcome.answers.values()]
        assert any("The bank refused the payout: account frozen" in r for r in reasons)
