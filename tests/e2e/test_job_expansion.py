"""The one-off job expansion subsidy (一次性扩岗补助), the catalog's second real policy,
on the running platform: 1,500 yuan for each recent graduate an enterprise hires and
insures, decided from the departments' data alone (docs/policies.md)."""

from __future__ import annotations

from typing import Any

import pytest

from qinqing_devtools import chaos
from qinqing_devtools.demo import JOB_EXPANSION_POLICY_ID
from qinqing_devtools.platform import Platform
from tests.e2e import pilots

pytestmark = pytest.mark.e2e

PATH = f"/v1/policies/{JOB_EXPANSION_POLICY_ID}/applications"


async def applied(platform: Platform, uscc: str) -> dict[str, Any]:
    return await pilots.final_answer(platform, uscc, PATH)


async def test_a_recent_graduate_hired_and_insured_pays_1500_yuan_once(platform: Platform) -> None:
    hired = await pilots.registered(platform, 8160)  # a bachelor of 2024, 12 months insured
    paid = await applied(platform, hired["uscc"])
    assert (paid["status"], paid["amount_fen"]) == ("paid", 150_000)
    assert paid["decision"]["policy_version"] == 1
    passed = {e["clause"] for e in paid["decision"]["trace"] if e["passed"]}
    assert {"graduate", "recent", "insured"} <= passed
    # the same graduate, now on another enterprise's record: counted for one only
    other = await pilots.registered(platform, 8162, employees=hired["employees"])
    again = await applied(platform, other["uscc"])
    assert again["status"] == "rejected"
    assert any("at most 1 claim(s) per person in 2026" in r for r in again["decision"]["reasons"])


async def test_a_graduate_of_six_years_ago_is_not_a_recent_one(platform: Platform) -> None:
    employee = chaos.pilot_enterprise(8161)["employees"][0]
    older = employee | {"education": {"degree": "master", "graduation_year": 2020}}
    enterprise = await pilots.registered(platform, 8161, employees=[older])
    answer = await applied(platform, enterprise["uscc"])
    assert (answer["status"], answer["amount_fen"]) == ("rejected", 0)
    reasons = answer["decision"]["reasons"]  # an app reads them without the person's values
    assert any("graduated this year or within the two years before" in r for r in reasons)
    recent = [e for e in answer["decision"]["trace"] if e["clause"] == "recent"]
    assert [e["passed"] for e in recent] == [False]
