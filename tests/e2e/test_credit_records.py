"""Credit records filed by departments on the running platform: a black-list record
denies the next application (joint punishment), the rating explains the grade, credit
repair lifts a record only after the rules' period and by its own department, and the
history keeps everything."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import httpx
import nats
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform
from tests.e2e import pilots
from tests.e2e.test_ingest_nats import publish

pytestmark = pytest.mark.e2e

BUSINESS_DAY = dt.date(2026, 9, 1)  # the platform under test applies on this day
REPAIR = {
    "repair_commitment": "We have paid the judgment in full and commit to timely payment.",
    "reason": "Judgment paid; repair commitment signed",
}
# repaired a month before the business day, a year after the record came into force
REPAIRED = REPAIR | {"effective_on": "2026-08-01"}


def filed(record_id: str, uscc: str, kind: str, since: dt.date) -> dict[str, Any]:
    return {
        "record_id": record_id,
        "uscc": uscc,
        "kind": kind,
        "reason": "Unpaid court judgment" if kind == "blacklist" else "Late filing of reports",
        "valid_from": since.isoformat(),
    }


def credit(platform: Platform, client_id: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=platform.url("credit-svc"), timeout=30, auth=platform.auth(client_id)
    )


async def ours(events: Any, record_id: str) -> dict[str, Any]:
    """The next event about this record (other tests' records come too)."""
    while True:
        told: dict[str, Any] = json.loads((await events.next_msg(timeout=20)).data)
        if told["record_id"] == record_id:
            return told


async def rating(platform: Platform, uscc: str) -> dict[str, Any]:
    async with credit(platform, "demo-operator") as http:
        answer = await http.get(f"/enterprises/{uscc}/rating", params={"on": str(BUSINESS_DAY)})
    found: dict[str, Any] = answer.json()
    return found


async def test_a_black_list_record_denies_until_repaired(platform: Platform) -> None:
    body = await pilots.registered(platform, 8201)
    uscc = body["uscc"]
    admin = await nats.connect(platform.nats_admin_url)
    try:
        events = await admin.jetstream().subscribe("qinqing.credit.record.>", ordered_consumer=True)
        record = filed("BL-8201", uscc, "blacklist", dt.date(2025, 7, 1))
        async with credit(platform, "msa-department") as msa:
            first = await msa.post("/records", json=record)
            again = await msa.post("/records", json=record)
        seen = [await ours(events, "HZ-MSA:BL-8201")]
        assert (first.json()["outcome"], again.json()["outcome"]) == ("filed", "duplicate")
        assert first.json()["record"]["id"] == "HZ-MSA:BL-8201"
        grade = await rating(platform, uscc)
        assert (grade["grade"], grade["allowed"]) == ("D", False)
        assert grade["explanation"][-1] == "D: on a black list: no public funds (joint punishment)"
        denied = await pilots.final_answer(platform, uscc)
        assert denied["status"] == "rejected"
        async with credit(platform, "hrss-department") as hrss:
            other = await hrss.post("/records/HZ-MSA:BL-8201/lift", json=REPAIRED)
        assert other.status_code == 403
        async with credit(platform, "msa-department") as msa:
            lifted = await msa.post("/records/HZ-MSA:BL-8201/lift", json=REPAIRED)
            twice = await msa.post("/records/HZ-MSA:BL-8201/lift", json=REPAIRED)
        seen.append(await ours(events, "HZ-MSA:BL-8201"))
    finally:
        await admin.close()
    assert (lifted.status_code, lifted.json()["lifted_on"]) == (200, "2026-08-01")
    assert twice.json()["type"] == "urn:qinqing:problem:already-lifted"
    assert [(e["record_id"], e["kind"]) for e in seen] == [("HZ-MSA:BL-8201", "blacklist")] * 2
    assert seen[1]["lifted_on"] == "2026-08-01"
    assert (await rating(platform, uscc))["grade"] == "B"
    again = await pilots.final_answer(platform, uscc)
    assert again["status"] == "paid", again["decision"]
    async with credit(platform, "demo-operator") as http:
        history = (await http.get(f"/enterprises/{uscc}/records")).json()
    assert [(r["id"], r["lifted_on"]) for r in history] == [("HZ-MSA:BL-8201", "2026-08-01")]
    assert await audited(platform, uscc) == [
        ("msa-department", "credit-record.filed", "HZ-MSA:BL-8201"),
        ("msa-department", "credit-record.lifted", "HZ-MSA:BL-8201"),
    ]


async def audited(platform: Platform, uscc: str) -> list[tuple[str, str, str]]:
    """The enterprise's records of use about credit records, oldest first, once both are
    on the audit chain (appended by identity-svc from the events)."""
    url = f"{platform.url('identity-svc')}/enterprises/{uscc}/audit"
    found: list[tuple[str, str, str]] = []
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("demo-operator")) as http:
        for _ in range(100):
            entries = (await http.get(url)).json()
            found = [
                (e["actor"], e["action"], e["object_id"])
                for e in reversed(entries)
                if e["object_type"] == "credit-record"
            ]
            if len(found) >= 2:
                break
            await asyncio.sleep(0.2)
    return found


async def test_a_record_is_lifted_only_after_the_period_the_rules_set(
    platform: Platform,
) -> None:
    uscc = chaos.pilot_enterprise(8202)["uscc"]
    today = dt.date.today()  # the service's day, read now: a run may cross midnight
    since = today - dt.timedelta(days=30)
    tomorrow = REPAIR | {"effective_on": str(today + dt.timedelta(days=2))}
    async with credit(platform, "msa-department") as msa:
        await msa.post("/records", json=filed("BL-8202", uscc, "blacklist", since))
        early = await msa.post("/records/HZ-MSA:BL-8202/lift", json=REPAIR)
        ahead = await msa.post("/records/HZ-MSA:BL-8202/lift", json=tomorrow)
        reused = await msa.post("/records", json=filed("BL-8202", uscc, "violation", since))
    assert (early.status_code, early.json()["detail"]) == (
        409,
        "A blacklist record may be lifted 365 days after it came into force: "
        f"from {since + dt.timedelta(days=365)}.",
    )
    assert reused.json()["type"] == "urn:qinqing:problem:record-id-reused"
    assert (ahead.status_code, ahead.json()["detail"]) == (422, "effective_on is a day to come.")


@pytest.mark.parametrize(("n", "kind", "grade"), [(8203, "redlist", "A"), (8204, "violation", "C")])
async def test_the_grade_follows_the_records_in_force(
    platform: Platform, n: int, kind: str, grade: str
) -> None:
    uscc = chaos.pilot_enterprise(n)["uscc"]
    assert (await rating(platform, uscc))["grade"] == "B"
    async with credit(platform, "hrss-department") as hrss:
        answer = await hrss.post("/records", json=filed(f"R-{n}", uscc, kind, BUSINESS_DAY))
    assert answer.status_code == 200, answer.text
    found = await rating(platform, uscc)
    assert (found["grade"], found["allowed"]) == (grade, True)
    assert found["explanation"][0].startswith(f"{kind} of HZ-HRSS since {BUSINESS_DAY}:")


CREDIT_SUBJECT = "qinqing.ingest.HZ-HRSS.credit-record.v1"
CREDIT_REFUSED = "qinqing.credit.ingest.HZ-HRSS.refused.v1"


async def records_when(platform: Platform, uscc: str, count: int) -> list[dict[str, Any]]:
    """The enterprise's credit records, once there are ``count`` (polled)."""
    found: list[dict[str, Any]] = []
    async with credit(platform, "demo-operator") as http:
        for _ in range(100):
            found = (await http.get(f"/enterprises/{uscc}/records")).json()
            if len(found) >= count:
                break
            await asyncio.sleep(0.2)
    return found


async def test_a_credit_record_on_nats_is_filed_and_a_bad_one_replayed(
    platform: Platform,
) -> None:
    uscc = (await pilots.registered(platform, 8211))["uscc"]
    good = filed("N-CR-8211", uscc, "violation", dt.date(2026, 6, 1))
    bad = filed("N-CR-8212", uscc, "violation", dt.date(2026, 6, 1)) | {"kind": "gold-star"}
    admin = await nats.connect(platform.nats_admin_url)
    try:
        told = await admin.jetstream().subscribe(CREDIT_REFUSED, ordered_consumer=True)
        await publish(platform, "hrss-feed", CREDIT_SUBJECT, good)
        await publish(platform, "hrss-feed", CREDIT_SUBJECT, bad)
        refusal = json.loads((await told.next_msg(timeout=20)).data)
    finally:
        await admin.close()
    [record] = await records_when(platform, uscc, 1)
    assert (record["id"], record["kind"], record["department"]) == (
        "HZ-HRSS:N-CR-8211",
        "violation",
        "HZ-HRSS",
    )
    assert {k: refusal[k] for k in ("department", "kind", "record_id", "problem")} == {
        "department": "HZ-HRSS",
        "kind": "credit-record",
        "record_id": "N-CR-8212",
        "problem": "invalid-request",
    }
    letters = f"{platform.url('credit-svc')}/dead-letters"
    corrected = filed("N-CR-8212", uscc, "redlist", dt.date(2026, 6, 1))
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("demo-operator")) as http:
        letter = (await http.get(f"{letters}/{refusal['dead_letter_id']}")).json()
        assert (letter["kind"], letter["subject"]) == ("credit-record", CREDIT_SUBJECT)
        replayed = await http.post(f"{letters}/{letter['id']}/replay", json={"payload": corrected})
        assert replayed.status_code == 200, replayed.text
    records = await records_when(platform, uscc, 2)
    assert sorted((r["id"], r["kind"]) for r in records) == [
        ("HZ-HRSS:N-CR-8211", "violation"),
        ("HZ-HRSS:N-CR-8212", "redlist"),
    ]
