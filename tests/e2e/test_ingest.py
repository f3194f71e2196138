"""Departments send their own facts to the running platform, and decisions cite them:
each kind of fact from its owning department only, every record kept with its
provenance, a record sent twice taken once, an older fact never over a newer one, and
bad records refused one by one with the reason."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest

from qinqing_devtools import chaos, feeds
from qinqing_devtools.platform import Platform
from qinqing_shared.contracts.ingest import FactKind
from qinqing_shared.ids import mask_id_number
from tests.e2e import pilots

pytestmark = pytest.mark.e2e

AS_OF = dt.date(2026, 10, 31)


def client(platform: Platform, department_client: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=platform.url("identity-svc"), timeout=30, auth=platform.auth(department_client)
    )


async def send(platform: Platform, sender: str, kind: FactKind, record: dict[str, Any]) -> Any:
    async with client(platform, sender) as http:
        return await http.post(f"/facts/{kind.value}", json=record)


def home(id_number: str, owns: bool, record_id: str, as_of: dt.date) -> dict[str, Any]:
    data = {"id_number": id_number, "owns_home_in_city": owns}
    return {"record_id": record_id, "as_of": as_of.isoformat(), "data": data}


async def without_home(platform: Platform, n: int) -> None:
    """Pilot ``n`` registered by every department but housing, which the test plays."""
    employee = chaos.pilot_enterprise(n)["employees"][0]
    del employee["owns_home_in_city"]
    await pilots.registered(platform, n, employees=[employee])


async def as_operator(platform: Platform, application_id: str) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("demo-operator")) as http:
        answer = await http.get(f"{platform.gateway_url}/v1/applications/{application_id}")
    view: dict[str, Any] = answer.json()
    return view


async def test_a_decision_cites_each_departments_record_and_its_date(platform: Platform) -> None:
    final = await pilots.applied(platform, 8001)
    assert final["status"] == "paid"
    by_app = {entry["clause"]: entry for entry in final["decision"]["trace"]}
    assert by_app["no_home"]["source"] is None  # an app is not shown a person's records
    operator = await as_operator(platform, final["id"])
    trace = {entry["clause"]: entry for entry in operator["decision"]["trace"]}
    profile = chaos.pilot_enterprise(8001)
    expected = feeds.records([profile], dt.date.today())
    home_record = expected[FactKind.HOME_OWNERSHIP][0]["record_id"]
    today = dt.date.today().isoformat()
    assert trace["no_home"]["source"] == f"HZ-HOU record {home_record}, as of {today}"
    registration = expected[FactKind.ENTERPRISE][0]["record_id"]
    assert trace["active"]["source"] == (f"HZ-MSA record {registration}, as of {today}")


async def test_each_kind_of_fact_comes_from_its_own_department_only(platform: Platform) -> None:
    person = chaos.pilot_enterprise(8002)["employees"][0]["id_number"]
    record = home(person, False, "HOU-8002-1", AS_OF)
    refused = await send(platform, "hrss-department", FactKind.HOME_OWNERSHIP, record)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Only department HZ-HOU sends home-ownership facts."
    by_app = await send(platform, "demo-app", FactKind.HOME_OWNERSHIP, record)
    assert by_app.status_code == 403


async def test_a_fact_about_a_person_not_registered_is_refused_until_they_are(
    platform: Platform,
) -> None:
    person = chaos.pilot_enterprise(8003)["employees"][0]["id_number"]
    record = home(person, False, "HOU-8003-1", AS_OF)
    early = await send(platform, "housing-department", FactKind.HOME_OWNERSHIP, record)
    assert early.status_code == 409
    assert early.json()["type"] == "urn:qinqing:problem:subject-not-registered"
    assert early.json()["detail"] == (
        f"Person {mask_id_number(person)} is not in the register yet: public security "
        "(HZ-PSB) registers persons. Send this record again once it has."
    )
    await without_home(platform, 8003)
    later = await send(platform, "housing-department", FactKind.HOME_OWNERSHIP, record)
    assert (later.status_code, later.json()["outcome"]) == (200, "applied")


async def test_a_record_is_taken_once_and_its_id_never_names_another(platform: Platform) -> None:
    await without_home(platform, 8004)
    person = chaos.pilot_enterprise(8004)["employees"][0]["id_number"]
    record = home(person, False, "HOU-8004-1", AS_OF)
    first = await send(platform, "housing-department", FactKind.HOME_OWNERSHIP, record)
    again = await send(platform, "housing-department", FactKind.HOME_OWNERSHIP, record)
    assert (first.json()["outcome"], again.json()["outcome"]) == ("applied", "duplicate")
    assert again.json()["received_at"] == first.json()["received_at"]
    reused = home(person, True, "HOU-8004-1", AS_OF)
    conflict = await send(platform, "housing-department", FactKind.HOME_OWNERSHIP, reused)
    assert conflict.status_code == 409
    assert conflict.json()["type"] == "urn:qinqing:problem:record-id-reused"


async def test_an_older_fact_is_kept_but_never_replaces_a_newer_one(platform: Platform) -> None:
    await without_home(platform, 8005)
    person = chaos.pilot_enterprise(8005)["employees"][0]["id_number"]
    newer = home(person, True, "HOU-8005-2", AS_OF)
    older = home(person, False, "HOU-8005-1", AS_OF - dt.timedelta(days=90))
    sent = [
        await send(platform, "housing-department", FactKind.HOME_OWNERSHIP, r)
        for r in (newer, older)
    ]
    assert [s.json()["outcome"] for s in sent] == ["applied", "superseded"]
    final = await pilots.final_answer(platform, chaos.pilot_enterprise(8005)["uscc"])
    assert final["status"] == "rejected"  # owns a home, as of the later record
    operator = await as_operator(platform, final["id"])
    entry = next(e for e in operator["decision"]["trace"] if e["clause"] == "no_home")
    assert (entry["seen"], entry["source"]) == (True, "HZ-HOU record HOU-8005-2, as of 2026-10-31")


async def test_a_batch_takes_the_good_records_and_says_why_each_bad_one_is_refused(
    platform: Platform,
) -> None:
    await without_home(platform, 8006)
    person = chaos.pilot_enterprise(8006)["employees"][0]["id_number"]
    good = home(person, False, "HOU-8006-1", AS_OF)
    mistyped = home(person, False, "HOU-8006-2", AS_OF)
    mistyped["data"]["owns_home_in_city"] = "perhaps"
    misspelt = home(person, False, "HOU-8006-3", AS_OF)
    misspelt["data"]["owns_home"] = misspelt["data"].pop("owns_home_in_city")
    async with client(platform, "housing-department") as http:
        answer = await http.post(
            "/facts/home-ownership/batch", json={"records": [good, mistyped, misspelt]}
        )
    body = answer.json()
    assert (answer.status_code, body["applied"], body["refused"]) == (200, 1, 2)
    problems = [r["problem"] for r in body["records"]]
    assert problems[0] is None
    assert [p["errors"] for p in problems[1:]] == [
        [
            {
                "field": "data.owns_home_in_city",
                "message": "Input should be a valid boolean, unable to interpret input",
            }
        ],
        [
            {"field": "data.owns_home_in_city", "message": "Field required"},
            {"field": "data.owns_home", "message": "Extra inputs are not permitted"},
        ],
    ]


async def test_a_record_id_carrying_an_id_number_is_refused(platform: Platform) -> None:
    person = chaos.pilot_enterprise(8007)["employees"][0]["id_number"]
    record = home(person, False, f"HOU-{person}", AS_OF)
    answer = await send(platform, "housing-department", FactKind.HOME_OWNERSHIP, record)
    assert answer.status_code == 422
    assert person not in answer.text
    assert answer.json()["errors"] == [
        {
            "field": "body.record_id",
            "message": "a record id must not contain an ID number (it is shown in traces)",
        }
    ]
