"""identity-svc and credit-svc over HTTP, on a real database and NATS."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest

from credit_svc.config import Settings as CreditSettings
from credit_svc.main import create_app as credit_app
from identity_svc.config import Settings as IdentitySettings
from identity_svc.main import create_app as identity_app
from qinqing_devtools import demo, feeds
from qinqing_devtools.demo import golden
from qinqing_shared.contracts.ingest import OWNERS, FactKind
from tests.service.auth_support import as_department, as_gateway
from tests.service.conftest import running

GOLDEN = golden()


FIRST = GOLDEN["enterprises"][0]


@pytest.fixture
async def identity(
    service_db: Callable[[str], str], nats_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    # The audit chain is tested end to end (tests/e2e/test_audit.py); here its consumers
    # would only race this fixture's teardown on SQLite's one connection.
    settings = IdentitySettings(
        database_url=service_db("identity_svc"), nats_url=nats_url, audit_chain=False
    )
    async with running(identity_app(settings), as_gateway("identity-svc")) as client:
        yield client


@pytest.fixture
async def credit(
    service_db: Callable[[str], str], nats_url: str
) -> AsyncIterator[httpx.AsyncClient]:
    settings = CreditSettings(database_url=service_db("credit_svc"), nats_url=nats_url)
    app = credit_app(settings)
    async with running(app, as_gateway("credit-svc")) as client:
        city = GOLDEN | {"departments": demo.catalog()["departments"]}
        for department, filings in feeds.credit_filings(city).items():
            for body in filings:  # as the department that files it
                filed = await client.post("/records", json=body, headers=as_department(department))
                assert filed.json()["outcome"] == "filed", filed.text
        yield client


async def sent(
    identity: httpx.AsyncClient, profiles: list[dict[str, Any]], as_of: dt.date
) -> dict[str, int]:
    """Each department sends its records of these profiles; how many were applied."""
    applied = {}
    for kind, records in feeds.records(profiles, as_of).items():
        headers = as_department(OWNERS[kind])
        answer = await identity.post(
            f"/facts/{kind.value}/batch", json={"records": records}, headers=headers
        )
        assert answer.status_code == 200, answer.text
        applied[kind.value] = answer.json()["applied"]
    return applied


async def test_each_departments_facts_make_the_profile_served(
    identity: httpx.AsyncClient,
) -> None:
    applied = await sent(identity, [FIRST], dt.date(2026, 10, 31))
    assert applied == {
        "enterprise": 1,
        "person": 3,
        "employment": 3,
        "social-insurance": 3,
        "degree": 3,
        "home-ownership": 3,
    }
    profile = (await identity.get(f"/enterprises/{FIRST['uscc']}/profile")).json()
    assert profile["status"] == "active"
    by_id = {e["id_number"]: e for e in profile["employees"]}
    assert by_id["330102199701010224"]["education"] == {"degree": "master", "graduation_year": 2023}
    assert by_id["330105199607160356"]["owns_home_in_city"] is True
    assert set(by_id["330105199607160356"]["sources"]) == {
        "person",
        "employment",
        "social-insurance",
        "degree",
        "home-ownership",
    }
    assert by_id["330105199607160356"]["sources"]["home-ownership"]["department"] == "HZ-HOU"
    assert profile["source"]["department"] == "HZ-MSA"


async def test_one_who_has_left_is_no_longer_an_employee(identity: httpx.AsyncClient) -> None:
    await sent(identity, [FIRST], dt.date(2026, 10, 31))
    left = [
        feeds.record(
            FactKind.EMPLOYMENT,
            {"uscc": FIRST["uscc"], "id_number": e["id_number"], "employed": False},
            dt.date(2026, 11, 15),
        )
        for e in FIRST["employees"][1:]
    ]
    answer = await identity.post(
        "/facts/employment/batch", json={"records": left}, headers=as_department("HZ-HRSS")
    )
    assert answer.json()["applied"] == len(left)
    again = (await identity.get(f"/enterprises/{FIRST['uscc']}/profile")).json()
    assert [e["id_number"] for e in again["employees"]] == ["330106199904120111"]


@pytest.mark.parametrize(
    ("change", "field", "fragment"),
    [
        ({"legal_representative": "330106199904120112"}, "data.legal_representative", "check"),
        ({"status": "sleeping"}, "data.status", "Input should be"),
        ({"district_code": "33010"}, "data.district_code", "should match pattern"),
    ],
)
async def test_bad_registrations_are_refused(
    identity: httpx.AsyncClient, change: dict[str, str], field: str, fragment: str
) -> None:
    record = feeds.records([FIRST | change], dt.date(2026, 10, 31))[FactKind.ENTERPRISE][0]
    answer = await identity.post("/facts/enterprise", json=record, headers=as_department("HZ-MSA"))
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    [error] = answer.json()["errors"]
    assert error["field"] == field
    assert fragment in error["message"]


async def test_unknown_enterprise_is_404(identity: httpx.AsyncClient) -> None:
    answer = await identity.get("/enterprises/91330106MA2H00014Q/profile")
    assert answer.status_code == 404
    assert answer.json()["type"] == "urn:qinqing:problem:enterprise-not-found"


async def test_the_black_list_denies_funds_once_per_application(credit: httpx.AsyncClient) -> None:
    body = {
        "application_id": str(uuid.uuid4()),
        "uscc": "91330110MA2H000307",
        "on": dt.date(2026, 9, 1).isoformat(),
    }
    first = (await credit.post("/checks", json=body)).json()
    assert first["allowed"] is False
    assert "forged documents" in first["reasons"][0]
    again = (await credit.post("/checks", json=body)).json()
    # the same check (its id, verdict and reasons), signed anew: the signature's time may
    # differ by a second, so it is compared apart
    assert again.pop("attestation") and first.pop("attestation")  # both signed
    assert again == first
    after_expiry = body | {"application_id": str(uuid.uuid4()), "on": "2028-09-01"}
    assert (await credit.post("/checks", json=after_expiry)).json()["allowed"] is True
    clean = body | {"application_id": str(uuid.uuid4()), "uscc": FIRST["uscc"]}
    assert (await credit.post("/checks", json=clean)).json()["allowed"] is True


async def test_profiles_looked_up_at_once_are_each_served_signed_and_the_missing_named(
    identity: httpx.AsyncClient,
) -> None:
    second = GOLDEN["enterprises"][1]
    await sent(identity, [FIRST, second], dt.date(2026, 10, 31))
    unknown = "91330199MA70000018"
    usccs = [second["uscc"], unknown, FIRST["uscc"], FIRST["uscc"]]
    headers = {"X-On-Behalf-Of": "proactive:p@1"}
    answer = await identity.post("/profiles/lookup", json={"usccs": usccs}, headers=headers)
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert [p["uscc"] for p in found["items"]] == sorted([FIRST["uscc"], second["uscc"]])
    assert found["missing"] == [unknown]
    one = (await identity.get(f"/enterprises/{FIRST['uscc']}/profile")).json()
    [same] = [p for p in found["items"] if p["uscc"] == FIRST["uscc"]]
    assert same.pop("attestation") and one.pop("attestation")  # both signed
    assert same == one


async def test_a_profile_lookup_names_who_it_is_for_and_asks_for_some(
    identity: httpx.AsyncClient,
) -> None:
    body = {"usccs": [FIRST["uscc"]]}
    anonymous = await identity.post("/profiles/lookup", json=body)
    assert anonymous.status_code == 422  # X-On-Behalf-Of is required
    headers = {"X-On-Behalf-Of": "proactive:p@1"}
    none = await identity.post("/profiles/lookup", json={"usccs": []}, headers=headers)
    assert none.status_code == 422
    bad = await identity.post("/profiles/lookup", json={"usccs": ["not-a-uscc"]}, headers=headers)
    assert bad.status_code == 422


async def test_checks_made_at_once_are_each_as_made_alone_once_per_application(
    credit: httpx.AsyncClient,
) -> None:
    on = dt.date(2026, 9, 1).isoformat()
    listed = {"application_id": str(uuid.uuid4()), "uscc": "91330110MA2H000307", "on": on}
    clean = {"application_id": str(uuid.uuid4()), "uscc": FIRST["uscc"], "on": on}
    later = listed | {"application_id": str(uuid.uuid4()), "on": "2028-09-01"}
    answer = await credit.post("/checks/batch", json={"checks": [listed, clean, later, clean]})
    assert answer.status_code == 200, answer.text
    checks = answer.json()
    assert [(c["application_id"], c["allowed"]) for c in checks] == [
        (listed["application_id"], False),
        (clean["application_id"], True),
        (later["application_id"], True),  # the black-list record has expired by then
        (clean["application_id"], True),
    ]
    assert "forged documents" in checks[0]["reasons"][0]
    assert checks[1]["id"] == checks[3]["id"], "one check per application, in a batch too"
    alone = (await credit.post("/checks", json=listed)).json()
    assert alone.pop("attestation") and checks[0].pop("attestation")  # each signed
    assert alone == checks[0], "asked alone after the batch: the batch's check"
