"""A flow cut off by a crashed service is resumed by the gateway, not repeated."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid

import httpx
import pytest

from qinqing_devtools.platform import Platform
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile
from subsidy_svc.eligibility.engine import evaluate
from tests.e2e.conftest import BUSINESS_DATE
from tests.e2e.test_flagship import POLICY, events_for

pytestmark = pytest.mark.e2e


def eligible_generated_enterprise(platform: Platform) -> str:
    """A demo enterprise (not a golden one) that the policy pays: found by its facts."""
    city = json.loads(platform.dataset().read_text(encoding="utf-8"))
    policy = Policy.model_validate(city["policies"][0])
    listed = {r["uscc"] for r in city["credit_records"]}
    on = dt.date.fromisoformat(BUSINESS_DATE)
    for raw in reversed(city["enterprises"][6:]):
        enterprise = EnterpriseProfile.model_validate(raw)
        if enterprise.uscc not in listed and evaluate(policy, enterprise, on, {}).eligible:
            return enterprise.uscc
    raise AssertionError("the demo city has no eligible enterprise")


async def test_a_payout_cut_off_by_a_crash_is_resumed_once(
    api: httpx.AsyncClient, operator: httpx.AsyncClient, platform: Platform
) -> None:
    uscc = eligible_generated_enterprise(platform)
    platform.grant("demo-app", [uscc])
    platform.kill("payment-svc")
    try:
        cut = await api.post(
            POLICY, json={"uscc": uscc}, headers={"Idempotency-Key": (key := str(uuid.uuid4()))}
        )
        assert cut.status_code == 503, cut.text
        application_id = cut.json()["application_id"]
        assert (await api.get(f"/applications/{application_id}")).json()["status"] == "processing"
    finally:
        platform.restart("payment-svc")
    for _ in range(100):
        app = (await api.get(f"/applications/{application_id}")).json()
        if app["status"] != "processing":
            break
        await asyncio.sleep(0.2)
    assert app["status"] == "paid"
    assert app["amount_fen"] > 0
    replay = await api.post(POLICY, json={"uscc": uscc}, headers={"Idempotency-Key": key})
    assert replay.json()["id"] == application_id
    assert len(await events_for(platform, application_id)) == 1
    assert (await operator.get("/ledger/balance")).json()["balanced"]
