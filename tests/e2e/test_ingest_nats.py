"""Departments' facts over NATS on the running platform: a record published by the
department's feed is taken like a REST one; a bad one is never lost (a dead letter, the
department told on its own subject, replayed after correction); a feed cannot publish
another department's facts."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import nats
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform
from qinqing_shared.events import CloudEvent
from tests.e2e.test_access import bearer, gateway_token
from tests.e2e.test_ingest import AS_OF, home, without_home

pytestmark = pytest.mark.e2e

HOME_SUBJECT = "qinqing.ingest.HZ-HOU.home-ownership.v1"
REFUSED = "qinqing.identity.ingest.HZ-HOU.refused.v1"


async def publish(platform: Platform, user: str, subject: str, record: dict[str, Any]) -> None:
    department = subject.split(".")[2]
    event = CloudEvent(type=subject, source=f"/departments/{department}", data=record)
    client = await nats.connect(platform.nats_user_url(user))
    try:
        await client.jetstream(timeout=3).publish(subject, event.body(), headers=event.headers())
    finally:
        await client.close()


async def home_source(platform: Platform, n: int, within: float = 20) -> dict[str, Any] | None:
    """Pilot ``n``'s employee's home-ownership source, once identity holds one."""
    uscc = chaos.pilot_enterprise(n)["uscc"]
    headers = bearer(gateway_token(platform, "identity-svc"))
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(base_url=platform.url("identity-svc"), timeout=10) as http:
        while time.monotonic() < deadline:
            profile = (await http.get(f"/enterprises/{uscc}/profile", headers=headers)).json()
            source: dict[str, Any] | None = profile["employees"][0]["sources"].get("home-ownership")
            if source is not None:
                return source
            await asyncio.sleep(0.3)
    return None


def person_of(n: int) -> str:
    return str(chaos.pilot_enterprise(n)["employees"][0]["id_number"])


async def test_a_record_on_nats_is_taken_as_the_departments_own(platform: Platform) -> None:
    await without_home(platform, 8101)
    await publish(platform, "hou-feed", HOME_SUBJECT, home(person_of(8101), False, "N-8101", AS_OF))
    assert await home_source(platform, 8101) == {
        "department": "HZ-HOU",
        "record_id": "N-8101",
        "as_of": AS_OF.isoformat(),
    }


async def test_a_bad_record_waits_as_a_dead_letter_and_is_replayed_corrected(
    platform: Platform,
) -> None:
    await without_home(platform, 8102)
    admin = await nats.connect(platform.nats_admin_url)
    try:
        told = await admin.jetstream().subscribe(REFUSED, ordered_consumer=True)
        bad = home(person_of(8102), False, "N-8102", AS_OF)
        bad["data"]["owns_home_in_city"] = "perhaps"
        await publish(platform, "hou-feed", HOME_SUBJECT, bad)
        refusal: dict[str, Any] = {}
        while refusal.get("record_id") != "N-8102":  # other tests' refusals come too
            refusal = json.loads((await told.next_msg(timeout=20)).data)
    finally:
        await admin.close()
    assert {k: refusal[k] for k in ("department", "kind", "record_id", "problem")} == {
        "department": "HZ-HOU",
        "kind": "home-ownership",
        "record_id": "N-8102",
        "problem": "invalid-request",
    }
    operator = platform.auth("demo-operator")
    letters = f"{platform.url('identity-svc')}/dead-letters"
    async with httpx.AsyncClient(timeout=30, auth=operator) as http:
        letter = (await http.get(f"{letters}/{refusal['dead_letter_id']}")).json()
        assert (letter["kind"], letter["subject"]) == ("ingest-record", HOME_SUBJECT)
        assert letter["error"].startswith("invalid-request: data.owns_home_in_city:")
        still_bad = await http.post(f"{letters}/{letter['id']}/replay", json={})
        assert still_bad.status_code == 422  # as it was: refused again, kept
        corrected = home(person_of(8102), False, "N-8102", AS_OF)
        replayed = await http.post(f"{letters}/{letter['id']}/replay", json={"payload": corrected})
        assert replayed.status_code == 200, replayed.text
    assert await home_source(platform, 8102, within=1) == {
        "department": "HZ-HOU",
        "record_id": "N-8102",
        "as_of": AS_OF.isoformat(),
    }


async def test_a_department_replays_its_own_dead_letters_and_sees_no_others(
    platform: Platform,
) -> None:
    await without_home(platform, 8104)
    admin = await nats.connect(platform.nats_admin_url)
    try:
        told = await admin.jetstream().subscribe(REFUSED, ordered_consumer=True)
        bad = home(person_of(8104), False, "N-8104", AS_OF)
        bad["data"]["owns_home_in_city"] = "perhaps"
        await publish(platform, "hou-feed", HOME_SUBJECT, bad)
        letter_id = json.loads((await told.next_msg(timeout=20)).data)["dead_letter_id"]
    finally:
        await admin.close()
    letters = f"{platform.url('identity-svc')}/dead-letters"
    async with (
        httpx.AsyncClient(timeout=30, auth=platform.auth("housing-department")) as housing,
        httpx.AsyncClient(timeout=30, auth=platform.auth("hrss-department")) as hrss,
    ):
        theirs = [letter["id"] for letter in (await housing.get(letters)).json()]
        others = [letter["id"] for letter in (await hrss.get(letters)).json()]
        peeked = await hrss.get(f"{letters}/{letter_id}")
        forged = await hrss.post(f"{letters}/{letter_id}/replay", json={})
        corrected = home(person_of(8104), False, "N-8104", AS_OF)
        replayed = await housing.post(f"{letters}/{letter_id}/replay", json={"payload": corrected})
    assert letter_id in theirs
    assert letter_id not in others
    assert (peeked.status_code, forged.status_code) == (404, 404)
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["replayed_by"] == "housing-department"
    assert await home_source(platform, 8104, within=1) == {
        "department": "HZ-HOU",
        "record_id": "N-8104",
        "as_of": AS_OF.isoformat(),
    }


async def test_a_feed_cannot_publish_another_departments_facts(platform: Platform) -> None:
    admin = await nats.connect(platform.nats_admin_url)
    try:
        before = (await admin.jetstream().stream_info("QINQING_INGEST")).state.messages
        forged = home(person_of(8103), False, "N-8103", AS_OF)
        with pytest.raises(Exception):  # noqa: B017, PT011 - refused by NATS: no ack comes
            await publish(platform, "hrss-feed", HOME_SUBJECT, forged)
        after = (await admin.jetstream().stream_info("QINQING_INGEST")).state.messages
    finally:
        await admin.close()
    assert after == before
