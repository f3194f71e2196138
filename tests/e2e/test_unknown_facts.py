"""A fact no department has sent is unknown, never a negative: on the running platform,
an employee without a housing record is not paid on data alone, and the decision says
whose data is missing."""

from __future__ import annotations

import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform
from tests.e2e import pilots

pytestmark = pytest.mark.e2e


async def test_no_housing_record_is_not_paid_and_says_whose_data_is_missing(
    platform: Platform,
) -> None:
    employees = [
        {k: v for k, v in person.items() if k != "owns_home_in_city"}
        for person in chaos.pilot_enterprise(5301)["employees"]
    ]
    final = await pilots.applied(platform, 5301, employees=employees)
    assert final["status"] == "rejected"
    assert final["amount_fen"] == 0
    assert any(
        reason.endswith("owns no home in the city (no record from HZ-HOU)")
        for reason in final["decision"]["reasons"]
    ), final["decision"]["reasons"]
