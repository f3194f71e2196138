"""A flow cut off by a crashed service is resumed by the gateway, not repeated."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import uuid

import httpx
import pytest
from sqlalchemy import text

from qinqing_devtools.platform import SERVICES, Platform
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.db import create_engine
from subsidy_svc.eligibility.engine import evaluate
from tests.e2e.conftest import BUSINESS_DATE
from tests.e2e.test_flagship import POLICY, events_for

pytestmark = pytest.mark.e2e


def eligible_generated_enterprise(platform: Platform, skip: int = 0) -> str:
    """A demo enterprise (not a golden one) that the policy pays: found by its facts
    (``skip`` the first ones found, for a test of its own)."""
    city = json.loads(platform.dataset().read_text(encoding="utf-8"))
    policy = Policy.model_validate(city["policies"][0])
    listed = {r["uscc"] for r in city["credit_records"]}
    on = dt.date.fromisoformat(BUSINESS_DATE)
    for raw in reversed(city["enterprises"][6:]):
        enterprise = EnterpriseProfile.model_validate(raw)
        if enterprise.uscc not in listed and evaluate(policy, enterprise, on, {}).eligible:
            if skip == 0:
                return enterprise.uscc
            skip -= 1
    raise AssertionError("the demo city has no eligible enterprise")


async def test_a_payout_cut_off_by_a_crash_is_resumed_once(
    api: httpx.AsyncClient, operator: httpx.AsyncClient, platform: Platform
) -> None:
    uscc = eligible_generated_enterprise(platform)
    platform.grant("demo-app", [uscc])
    platform.kill("payment-svc")
    try:
        key = str(uuid.uuid4())
        for _ in range(20):  # a 503 before any flow (e.g. a busy database) released the key
            cut = await api.post(POLICY, json={"uscc": uscc}, headers={"Idempotency-Key": key})
            assert cut.status_code == 503, cut.text
            if "application_id" in cut.json():
                break
            await asyncio.sleep(float(cut.headers.get("Retry-After", "1")))
        application_id = cut.json()["application_id"]  # cut at the payout: its flow kept
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


async def test_a_flow_cut_before_its_decision_reads_the_profile_again_and_keeps_none(
    api: httpx.AsyncClient, platform: Platform
) -> None:
    """The gateway keeps no employee's data at rest: a flow resumed before eligibility
    reads the profile from identity-svc again."""
    uscc = eligible_generated_enterprise(platform, skip=1)
    platform.grant("demo-app", [uscc])
    platform.kill("subsidy-svc")
    try:
        cut = await api.post(
            POLICY, json={"uscc": uscc}, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
        assert cut.status_code == 503, cut.text
        application_id = cut.json()["application_id"]
    finally:
        platform.restart("subsidy-svc")
    for _ in range(100):
        app = (await api.get(f"/applications/{application_id}")).json()
        if app["status"] != "processing":
            break
        await asyncio.sleep(0.2)
    assert app["status"] == "paid"
    gateway = next(s for s in SERVICES if s.name == "gateway")
    engine = create_engine(platform.database_url(gateway))
    try:
        async with engine.connect() as conn:
            kept = (
                await conn.execute(
                    text(
                        "SELECT result FROM flow_steps"
                        " WHERE application_id = :a AND step = 'enterprise'"
                    ),
                    {"a": application_id},
                )
            ).scalar_one()
    finally:
        await engine.dispose()
    stored = kept if isinstance(kept, dict) else json.loads(kept)
    assert set(stored) == {"uscc", "bank_account"}
