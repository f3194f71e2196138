"""A fact no department has sent is unknown, never a negative: on the running platform,
an employee without a housing record is not paid on data alone, and the decision says
whose data is missing."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform

pytestmark = pytest.mark.e2e


async def test_no_housing_record_is_not_paid_and_says_whose_data_is_missing(
    platform: Platform,
) -> None:
    body = chaos.pilot_enterprise(5301)
    body["employees"] = [
        {k: v for k, v in person.items() if k != "owns_home_in_city"}
        for person in body["employees"]
    ]
    await chaos.register(platform, [body])
    auth = platform.auth(chaos.LOAD_APP)
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60, auth=auth) as client:
        final = await chaos.apply_until_final(
            client, body["uscc"], str(uuid.uuid4()), time.monotonic() + 60
        )
    assert final["status"] == "rejected"
    assert final["amount_fen"] == 0
    assert any(
        reason.endswith("owns no home in the city (no record from HZ-HOU)")
        for reason in final["decision"]["reasons"]
    ), final["decision"]["reasons"]
