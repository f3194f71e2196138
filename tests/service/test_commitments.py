"""credit-svc's commitments over HTTP on a real database: made once, closed once by the
verifier's verdict; broken, a violation is filed and commitments are refused; the
credit check hands an application the open ones."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from credit_svc.config import Settings as CreditSettings
from credit_svc.main import create_app as credit_app
from credit_svc.models import CreditRecord, OutboxEvent
from qinqing_shared.contracts.events import (
    COMMITMENT_BROKEN,
    COMMITMENT_KEPT,
    COMMITMENT_MADE,
    CREDIT_RECORD_FILED,
)
from tests.service.auth_support import as_department, as_gateway, as_operator
from tests.service.conftest import running

USCC = "91330106MA2H00014Q"
PERSON = "11010519491231002X"
ON = dt.date(2026, 9, 1)


@pytest.fixture
async def credit(
    service_db: Callable[[str], str], nats_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    settings = CreditSettings(database_url=service_db("credit_svc"), nats_url=nats_url)
    app = credit_app(settings)
    async with running(app, as_gateway("credit-svc")) as client:
        yield client, app


def filing(**changes: Any) -> dict[str, Any]:
    body = {
        "commitment_id": str(uuid.uuid4()),
        "uscc": USCC,
        "policy_id": "hz-rental-subsidy-2026",
        "clause": "no_home",
        "fact": "person.owns_home_in_city",
        "id_number": PERSON,
        "statement": "This employee owns no home in the city.",
        "department": "HZ-HRSS",
        "made_on": ON.isoformat(),
        "verify_by": (ON + dt.timedelta(days=90)).isoformat(),
        "redlist_only": False,
        "signed_by": "Wang Li, general manager",
        "signed_via": "demo-app",
    }
    return body | changes


def verdict(kind: str) -> dict[str, str]:
    return {"verdict": kind, "on": ON.isoformat(), "evidence": "HZ-HOU record H-1, as of ..."}


async def subjects(app: Any) -> list[str]:
    async with app.state.runtime.db.sessionmaker() as session:
        query = select(OutboxEvent.subject).order_by(OutboxEvent.seq)
        return [s for s in (await session.scalars(query)).all() if ".audit." not in s]


async def told(app: Any, subject: str) -> list[tuple[str | None, dict[str, Any]]]:
    """Each event of ``subject`` in the outbox: its ce-subject (the key) and data."""
    async with app.state.runtime.db.sessionmaker() as session:
        query = select(OutboxEvent).where(OutboxEvent.subject == subject)
        return [
            (e.ce_subject, e.data) for e in (await session.scalars(query.order_by(OutboxEvent.seq)))
        ]


async def audited(app: Any) -> list[tuple[str, str, str, str, str | None]]:
    async with app.state.runtime.db.sessionmaker() as session:
        query = select(OutboxEvent).where(OutboxEvent.subject == "qinqing.credit.audit.recorded.v1")
        rows = (await session.scalars(query.order_by(OutboxEvent.seq))).all()
    return [
        (
            e.data["actor"],
            e.data["action"],
            e.data["object_type"],
            e.data["object_id"],
            e.data["uscc"],
        )
        for e in rows
    ]


async def check(client: httpx.AsyncClient) -> dict[str, Any]:
    body = {"application_id": str(uuid.uuid4()), "uscc": USCC, "on": ON.isoformat()}
    answer = await client.post("/checks", json=body)
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


async def test_a_commitment_is_made_once_per_clause_and_person(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = credit
    body = filing()
    first = await client.post("/commitments", json=body)
    assert first.status_code == 200
    made = first.json()
    assert made == {
        "id": body["commitment_id"],
        "uscc": USCC,
        "policy_id": "hz-rental-subsidy-2026",
        "service_code": None,
        "clause": "no_home",
        "department": "HZ-HRSS",
        "id_number_masked": "110105********002X",
        "statement": "This employee owns no home in the city.",
        "signed_by": "Wang Li, general manager",
        "made_on": "2026-09-01",
        "verify_by": "2026-11-30",
        "outcome": "open",
        "closed_on": None,
        "evidence": None,
    }
    verifier = (await client.get(f"/commitments/{made['id']}")).json()
    assert verifier == made | {"fact": "person.owns_home_in_city", "id_number": PERSON}
    assert await told(app, COMMITMENT_MADE) == [
        (
            USCC,
            {
                "commitment_id": made["id"],
                "uscc": USCC,
                "policy_id": "hz-rental-subsidy-2026",
                "clause": "no_home",
                "department": "HZ-HRSS",
                "outcome": "open",
                "verify_by": "2026-11-30",
                "service_code": None,
            },
        )
    ]
    assert await audited(app) == [("demo-app", "commitment.made", "commitment", made["id"], USCC)]
    again = await client.post("/commitments", json=filing())  # another id, same clause
    assert again.json()["id"] == made["id"]
    open_ones = (await check(client))["commitments"]
    assert [(c["id"], c["id_number"], c["clause"]) for c in open_ones] == [
        (made["id"], PERSON, "no_home")
    ]
    assert await subjects(app) == [COMMITMENT_MADE, "qinqing.credit.check.completed.v1"]


async def test_a_kept_commitment_closes_and_files_nothing(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = credit
    made = (await client.post("/commitments", json=filing())).json()
    kept = await client.post(f"/commitments/{made['id']}/verdict", json=verdict("kept"))
    assert (kept.json()["outcome"], kept.json()["closed_on"]) == ("kept", "2026-09-01")
    assert (await check(client))["commitments"] == []  # closed: in force no more
    records = (await client.get(f"/enterprises/{USCC}/records")).json()
    assert [r["kind"] for r in records] == ["commitment"]
    assert (await subjects(app))[:2] == [COMMITMENT_MADE, COMMITMENT_KEPT]


async def test_a_broken_commitment_files_a_violation_and_refuses_the_next(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = credit
    made = (await client.post("/commitments", json=filing())).json()
    path = f"/commitments/{made['id']}/verdict"
    broken = await client.post(path, json=verdict("broken"))
    assert (broken.json()["outcome"], broken.json()["closed_on"], broken.json()["evidence"]) == (
        "broken",
        "2026-09-01",
        "HZ-HOU record H-1, as of ...",
    )
    same = await client.post(path, json=verdict("broken"))
    assert same.json() == broken.json()
    other = await client.post(path, json=verdict("kept"))
    assert (other.status_code, other.json()["type"]) == (
        409,
        "urn:qinqing:problem:commitment-closed",
    )
    records = (await client.get(f"/enterprises/{USCC}/records")).json()
    violation = next(r for r in records if r["kind"] == "violation")
    assert (violation["id"], violation["department"], violation["commitment_id"]) == (
        f"HZ-HRSS:broken-commitment-{made['id']}",
        "HZ-HRSS",
        made["id"],
    )
    assert await subjects(app) == [COMMITMENT_MADE, COMMITMENT_BROKEN, CREDIT_RECORD_FILED]
    assert [data["outcome"] for _, data in await told(app, COMMITMENT_BROKEN)] == ["broken"]
    assert await told(app, CREDIT_RECORD_FILED) == [
        (
            USCC,
            {
                "record_id": violation["id"],
                "uscc": USCC,
                "kind": "violation",
                "department": "HZ-HRSS",
                "valid_from": "2026-09-01",
                "valid_to": None,
            },
        )
    ]
    assert violation["reason"] == (
        f"Broke credit commitment {made['id']} to hz-rental-subsidy-2026 (no_home): "
        "HZ-HOU record H-1, as of ..."
    )
    assert (violation["valid_from"], violation["valid_to"]) == ("2026-09-01", None)
    async with app.state.runtime.db.sessionmaker() as session:
        row = await session.get(CreditRecord, violation["id"])
        assert row is not None
        assert (row.filed_by, row.filed_at is not None) == ("credit-svc", True)
    assert (await audited(app))[-2] == (
        "commitment-verifier",
        "commitment.broken",
        "commitment",
        made["id"],
        USCC,
    )
    assert (await audited(app))[-1] == (
        "credit-svc",
        "credit-record.filed",
        "credit-record",
        violation["id"],
        USCC,
    )
    assert other.json()["detail"] == f"Commitment {made['id']} was found broken before."
    refused = await client.post("/commitments", json=filing(id_number="11010519491231002X"))
    assert (refused.status_code, refused.json()["type"]) == (
        409,
        "urn:qinqing:problem:commitment-refused",
    )
    rating = (await client.get(f"/enterprises/{USCC}/rating", params={"on": str(ON)})).json()
    assert (rating["grade"], rating["allowed"]) == ("C", True)


async def test_two_broken_commitments_deny_every_subsidy(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, _app = credit
    made = [
        (await client.post("/commitments", json=filing(clause=clause))).json()
        for clause in ("no_home", "social_insurance")
    ]  # both before either is found broken: after one, none is taken
    for commitment in made:
        path = f"/commitments/{commitment['id']}/verdict"
        assert (await client.post(path, json=verdict("broken"))).status_code == 200
    verdict_now = await check(client)
    assert (verdict_now["allowed"], verdict_now["reasons"]) == (
        False,
        ["2 broken credit commitments in force (from 2 no public funds are paid)"],
    )


async def test_an_unknown_commitment_is_404(credit: tuple[httpx.AsyncClient, Any]) -> None:
    client, _app = credit
    unknown = str(uuid.uuid4())
    for answer in (
        await client.get(f"/commitments/{unknown}"),
        await client.post(f"/commitments/{unknown}/verdict", json=verdict("kept")),
    ):
        assert (answer.status_code, answer.json()["title"], answer.json()["detail"]) == (
            404,
            "Commitment not found",
            f"No commitment {unknown!r} is registered.",
        )


async def test_a_closed_commitment_filed_again_is_answered_as_it_stands(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, _app = credit
    body = filing()
    made = (await client.post("/commitments", json=body)).json()
    await client.post(f"/commitments/{made['id']}/verdict", json=verdict("kept"))
    again = await client.post("/commitments", json=body)  # the same id: a retry
    assert (again.status_code, again.json()["outcome"]) == (200, "kept")


async def test_a_clause_for_red_lists_is_refused_without_one(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, _app = credit
    refused = await client.post("/commitments", json=filing(redlist_only=True))
    assert (refused.status_code, refused.json()["detail"]) == (
        409,
        "This clause is open to commitments of enterprises on a red list only.",
    )


async def test_an_enterprises_commitments_are_listed_without_its_other_records(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = credit
    made = (await client.post("/commitments", json=filing())).json()
    async with app.state.runtime.db.sessionmaker() as session, session.begin():
        session.add(
            CreditRecord(
                id="HZ-MSA:R-1",
                uscc=USCC,
                kind="redlist",
                department="HZ-MSA",
                reason="Model employer",
                valid_from=ON,
            )
        )
    listed = (await client.get(f"/enterprises/{USCC}/commitments")).json()
    assert listed == [made]


async def test_a_red_list_commitment_stands_only_while_the_red_list_does(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, _app = credit
    redlist = {
        "record_id": "DRC-RED-1",
        "uscc": USCC,
        "kind": "redlist",
        "reason": "A-level taxpayer",
        "valid_from": "2025-01-01",
    }
    drc = as_department("HZ-DRC")
    assert (await client.post("/records", json=redlist, headers=drc)).status_code == 200
    reward = (
        await client.post("/commitments", json=filing(clause="social_insurance", redlist_only=True))
    ).json()
    ordinary = (await client.post("/commitments", json=filing())).json()
    while_listed = [c["id"] for c in (await check(client))["commitments"]]
    lift = {
        "repair_commitment": "We keep our tax filings on time.",
        "reason": "Rating lowered",
        "effective_on": ON.isoformat(),
    }
    lifted = await client.post("/records/HZ-DRC:DRC-RED-1/lift", json=lift, headers=drc)
    after = [c["id"] for c in (await check(client))["commitments"]]

    assert sorted(while_listed) == sorted([reward["id"], ordinary["id"]])
    assert lifted.status_code == 200, lifted.text
    assert after == [ordinary["id"]], "made on a red list that is no longer in force"


async def test_a_commitment_to_a_service_item_is_the_enterprises_own_and_made_once(
    credit: tuple[httpx.AsyncClient, Any],
) -> None:
    client, app = credit
    to_item = {
        "policy_id": None,
        "service_code": "HZ-HRSS-S01",
        "clause": "paid_in_full",
        "fact": "enterprise.ui_months_paid",
        "id_number": None,
        "statement": "The enterprise paid its unemployment insurance in full for 12 months.",
    }
    first = await client.post("/commitments", json=filing(**to_item))
    assert first.status_code == 200, first.text
    made = first.json()
    assert (made["service_code"], made["policy_id"], made["id_number_masked"]) == (
        "HZ-HRSS-S01",
        "",
        "",
    )
    again = await client.post("/commitments", json=filing(**to_item))
    assert again.json()["id"] == made["id"]  # one open commitment per item and condition
    to_policy = (await client.post("/commitments", json=filing(clause="paid_in_full"))).json()
    assert to_policy["id"] != made["id"]  # a policy's clause of the same name is another
    verifier = (await client.get(f"/commitments/{made['id']}")).json()
    assert (verifier["fact"], verifier["id_number"]) == ("enterprise.ui_months_paid", None)
    announced = [data for _, data in await told(app, COMMITMENT_MADE)]
    assert [(d["policy_id"], d["service_code"]) for d in announced] == [
        ("", "HZ-HRSS-S01"),
        ("hz-rental-subsidy-2026", None),
    ]
    open_ones = (await check(client))["commitments"]
    assert sorted((c["service_code"], c["policy_id"], c["id_number"]) for c in open_ones) == [
        ("", "hz-rental-subsidy-2026", PERSON),
        ("HZ-HRSS-S01", "", ""),
    ]
    closed = await client.post(f"/commitments/{made['id']}/verdict", json=verdict("broken"))
    assert closed.status_code == 200, closed.text
    records = (await client.get(f"/enterprises/{USCC}/records", headers=as_operator())).json()
    violation = next(r for r in records if r["kind"] == "violation")
    assert violation["reason"].startswith(
        f"Broke credit commitment {made['id']} to service item HZ-HRSS-S01 (paid_in_full)"
    )
