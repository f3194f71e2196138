"""Benefits paid without applying (免申即享), on the running platform: a department
publishes a proactive policy; the platform evaluates every enterprise with the engine
that decides applications, gives each eligible one a notice, and pays it through the
instant flow with no application; the ineligible are not paid, a black-listed one is
refused by its credit as an applicant would be. An enterprise reads its notices and
may decline one before its notice period ends. An amended version pays nobody twice."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import httpx
import nats
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.demo import rental_policy
from qinqing_devtools.platform import Platform
from tests.e2e.test_commitments import housing_says
from tests.e2e.test_flagship import BLACKLISTED, EMPLOYEE_RULES_FAIL, PAID_BACHELOR_MASTER
from tests.e2e.test_ingest import without_home

pytestmark = pytest.mark.e2e

PAID_AT_ONCE = "hz-proactive-rental-2026"
WITH_NOTICE = "hz-proactive-notice-2026"


def proactive(policy_id: str, version: int, notice_days: int, bachelor_fen: int) -> dict[str, Any]:
    policy = rental_policy()
    amounts = {"bachelor": bachelor_fen, "master": 2 * bachelor_fen, "doctor": 3 * bachelor_fen}
    return policy | {
        "id": policy_id,
        "name": f"Proactive rental subsidy ({policy_id})",
        "name_zh": f"员工租房补贴（免申即享，{policy_id}）",
        "version": version,
        "budget_fen": 20_000_000_000,
        "proactive": True,
        "notice_days": notice_days,
        "rules": policy["rules"] | {"amount": {"by": "person.degree", "amounts_fen": amounts}},
    }


async def published(platform: Platform, policy: dict[str, Any]) -> None:
    catalog = f"{platform.url('catalog-svc')}/policies/{policy['id']}"
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("hrss-department")) as hrss:
        if policy["version"] == 1:
            drafted = await hrss.post(f"{catalog}/drafts", json=policy)
            assert drafted.status_code == 201, drafted.text
            answer = await hrss.post(f"{catalog}/drafts/1/publish")
        else:
            answer = await hrss.put(catalog, json=policy)
    assert answer.status_code == 200, answer.text


async def run_until(platform: Platform, policy_id: str, version: int, state: str) -> dict[str, Any]:
    """The run as its department follows it, once it reaches ``state``."""
    path = f"/v1/policies/{policy_id}/versions/{version}/proactive-run"
    auth = platform.auth("hrss-department")
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30, auth=auth) as hrss:
        for _ in range(600):
            answer = await hrss.get(path)
            if answer.status_code == 200 and answer.json()["state"] == state:
                return dict(answer.json())
            await asyncio.sleep(0.2)
    raise AssertionError(f"the run of {policy_id}@{version} did not reach {state}: {answer.text}")


async def settled(operator: httpx.AsyncClient, run: dict[str, Any], policy_id: str) -> None:
    """Wait until no application of the run is still at the bank."""
    for _ in range(300):
        path = f"/policies/{policy_id}/versions/{run['policy_version']}/proactive-run"
        apps = (await operator.get(path)).json()["applications"]
        if set(apps) <= {"paid", "rejected"}:
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"applications of {policy_id} not settled")


def of_policy(notices: list[dict[str, Any]], policy_id: str) -> list[dict[str, Any]]:
    return [n for n in notices if n["policy_id"] == policy_id]


async def issued_events(platform: Platform, policy_id: str) -> list[dict[str, Any]]:
    client = await nats.connect(platform.nats_admin_url)
    try:
        js = client.jetstream()
        subject = "qinqing.subsidy.notice.issued.v1"
        info = await js.stream_info("QINQING_SUBSIDY", subjects_filter=subject)
        sub = await js.subscribe(subject, ordered_consumer=True)
        found = []
        for _ in range((info.state.subjects or {}).get(subject, 0)):
            data = json.loads((await sub.next_msg(timeout=5)).data)
            if data["policy_id"] == policy_id:
                found.append(data)
        return found
    finally:
        await client.close()


async def test_a_proactive_policy_pays_the_eligible_without_an_application(
    platform: Platform, api: httpx.AsyncClient, operator: httpx.AsyncClient
) -> None:
    await published(platform, proactive(PAID_AT_ONCE, 1, notice_days=0, bachelor_fen=500_000))
    run = await run_until(platform, PAID_AT_ONCE, 1, "done")
    await settled(operator, run, PAID_AT_ONCE)

    notices = of_policy(
        (await api.get(f"/enterprises/{PAID_BACHELOR_MASTER}/notices")).json(), PAID_AT_ONCE
    )
    assert [(n["status"], n["amount_fen"], n["application_status"]) for n in notices] == [
        ("taken", 1_500_000, "paid")  # a bachelor and a master, at 5,000 and 10,000 yuan
    ]
    paid = (await operator.get(f"/applications/{notices[0]['id']}")).json()
    assert (paid["status"], paid["amount_fen"], paid["policy_id"]) == (
        "paid",
        1_500_000,
        PAID_AT_ONCE,
    )
    assert paid["decision"]["policy_version"] == 1
    # not eligible by the rules: no notice at all; black-listed: refused by its credit
    assert (
        of_policy(
            (await api.get(f"/enterprises/{EMPLOYEE_RULES_FAIL}/notices")).json(), PAID_AT_ONCE
        )
        == []
    )
    refused = of_policy((await api.get(f"/enterprises/{BLACKLISTED}/notices")).json(), PAID_AT_ONCE)
    assert [n["application_status"] for n in refused] == ["rejected"]
    # the run as its department follows it, and the events department systems hear
    final = await run_until(platform, PAID_AT_ONCE, 1, "done")
    assert final["evaluated"] >= 200 and final["eligible"] == final["notices"]["taken"]
    assert sum(final["applications"].values()) == final["eligible"]
    assert final["applications"]["paid"] >= 1 and final["applications"]["rejected"] >= 1
    events = await issued_events(platform, PAID_AT_ONCE)
    assert len(events) == final["eligible"]
    mine = [e for e in events if e["uscc"] == PAID_BACHELOR_MASTER]
    assert [(e["notice_id"], e["amount_fen"]) for e in mine] == [(notices[0]["id"], 1_500_000)]

    # an amended version runs again, and pays nobody twice: this year's claims count
    await published(platform, proactive(PAID_AT_ONCE, 2, notice_days=0, bachelor_fen=700_000))
    second = await run_until(platform, PAID_AT_ONCE, 2, "done")
    again = of_policy(
        (await api.get(f"/enterprises/{PAID_BACHELOR_MASTER}/notices")).json(), PAID_AT_ONCE
    )
    assert [n["policy_version"] for n in again] == [1]
    assert second["evaluated"] >= final["evaluated"]
    assert second["applications"].get("paid", 0) == 0


async def test_an_enterprise_declines_a_proactive_payment_before_it_is_made(
    platform: Platform, api: httpx.AsyncClient, operator: httpx.AsyncClient
) -> None:
    await published(platform, proactive(WITH_NOTICE, 1, notice_days=30, bachelor_fen=300_000))
    run = await run_until(platform, WITH_NOTICE, 1, "paying")
    notices = of_policy(
        (await api.get(f"/enterprises/{PAID_BACHELOR_MASTER}/notices")).json(), WITH_NOTICE
    )
    assert [(n["status"], n["amount_fen"]) for n in notices] == [("noticed", 900_000)]
    notice = notices[0]
    told, paid = (dt.datetime.fromisoformat(notice[k]) for k in ("noticed_at", "pay_after"))
    assert paid - told == dt.timedelta(days=30)

    async with httpx.AsyncClient(
        base_url=platform.gateway_url + "/v1", timeout=30, auth=platform.auth("other-app")
    ) as stranger:  # an app the enterprise never granted access
        refused = await stranger.post(f"/notices/{notice['id']}/decline")
    declined = await api.post(f"/notices/{notice['id']}/decline")
    twice = await api.post(f"/notices/{notice['id']}/decline")

    assert refused.status_code == 404
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], twice.json()["status"]) == ("declined", "declined")
    after = await run_until(platform, WITH_NOTICE, 1, "paying")
    assert after["notices"]["declined"] == 1
    assert after["notices"]["noticed"] == run["eligible"] - 1
    assert after["applications"] == {}, "nothing is paid before the notice period ends"
    # each request is an accountable act: both are recorded, on behalf of the app
    assert await audited(operator, notice["id"], 2) == [("gateway", "demo-app", "notice")] * 2


async def audited(
    operator: httpx.AsyncClient, object_id: str, count: int
) -> list[tuple[str, str, str]]:
    """The enterprise's audit records of the notice, once ``count`` have come (the chain
    takes them a moment later)."""
    found: list[tuple[str, str, str]] = []
    for _ in range(100):
        records = (await operator.get(f"/enterprises/{PAID_BACHELOR_MASTER}/audit")).json()
        found = [
            (r["actor"], r["on_behalf_of"], r["object_type"])
            for r in records
            if r["action"] == "notice.declined" and r["object_id"] == object_id
        ]
        if len(found) >= count:
            return found
        await asyncio.sleep(0.2)
    return found


LATE_FACTS = "hz-proactive-late-facts-2026"
LATE_PILOT = 8170  # pilots.py


async def test_an_enterprise_whose_missing_record_comes_later_is_paid_then(
    platform: Platform, operator: httpx.AsyncClient
) -> None:
    """Housing has not sent the employee's record: unknown is no negative, and no pay.
    When it comes, the run evaluates the enterprise again and pays it, without asking."""
    await without_home(platform, LATE_PILOT)
    uscc = chaos.pilot_enterprise(LATE_PILOT)["uscc"]
    employee = chaos.pilot_enterprise(LATE_PILOT)["employees"][0]["id_number"]
    await published(platform, proactive(LATE_FACTS, 1, notice_days=0, bachelor_fen=400_000))
    await run_until(platform, LATE_FACTS, 1, "done")
    before = of_policy((await operator.get(f"/enterprises/{uscc}/notices")).json(), LATE_FACTS)

    await housing_says(platform, employee, False, f"HOU-LATE-{LATE_PILOT}")
    paid: list[dict[str, Any]] = []
    for _ in range(300):
        found = of_policy((await operator.get(f"/enterprises/{uscc}/notices")).json(), LATE_FACTS)
        paid = [n for n in found if n["application_status"] == "paid"]
        if paid:
            break
        await asyncio.sleep(0.2)

    assert before == []
    assert [(n["policy_version"], n["amount_fen"]) for n in paid] == [(1, 400_000)]  # a bachelor
    application = (await operator.get(f"/applications/{paid[0]['id']}")).json()
    trace = {t["clause"]: t for t in application["decision"]["trace"]}
    assert (application["status"], trace["no_home"]["seen"]) == ("paid", False)
