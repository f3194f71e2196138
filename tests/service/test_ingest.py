"""identity-svc's ingest on a real database, in process: what each outcome does to the
register and its history (the end-to-end tests run the same against the platform)."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from identity_svc.config import Settings
from identity_svc.main import create_app
from identity_svc.models import FactRecord, OutboxEvent, PayeeAccountChange
from qinqing_devtools import feeds
from qinqing_devtools.demo import golden
from qinqing_shared.contracts.events import FACTS_RECEIVED
from qinqing_shared.contracts.ingest import OWNERS, FactKind
from qinqing_shared.db import Database
from tests.service.auth_support import as_department, as_gateway
from tests.service.conftest import running

FIRST = golden()["enterprises"][0]
USCC = FIRST["uscc"]
PERSON = FIRST["employees"][0]["id_number"]
OCT, NOV = dt.date(2026, 10, 31), dt.date(2026, 11, 15)


@pytest.fixture
async def identity(
    service_db: Callable[[str], str], nats_url: str
) -> AsyncIterator[tuple[httpx.AsyncClient, Database]]:
    settings = Settings(database_url=service_db("identity_svc"), nats_url=nats_url)
    app = create_app(settings.model_copy(update={"audit_chain": False}))
    async with running(app, as_gateway("identity-svc")) as client:
        yield client, app.state.runtime.db


async def send(client: httpx.AsyncClient, kind: FactKind, *records: dict[str, Any]) -> Any:
    answer = await client.post(
        f"/facts/{kind.value}/batch",
        json={"records": list(records)},
        headers=as_department(OWNERS[kind]),
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


async def register(client: httpx.AsyncClient, as_of: dt.date = OCT) -> None:
    for kind, records in feeds.records([FIRST], as_of).items():
        await send(client, kind, *records)


def home(owns: bool, record_id: str, as_of: dt.date) -> dict[str, Any]:
    data = {"id_number": PERSON, "owns_home_in_city": owns}
    return {"record_id": record_id, "as_of": as_of.isoformat(), "data": data}


async def profile(client: httpx.AsyncClient) -> dict[str, Any]:
    found: dict[str, Any] = (await client.get(f"/enterprises/{USCC}/profile")).json()
    return found


def employee(found: dict[str, Any]) -> dict[str, Any]:
    return next(e for e in found["employees"] if e["id_number"] == PERSON)


async def history(db: Database) -> list[tuple[str, str, str]]:
    async with db.sessionmaker() as session:
        rows = await session.scalars(select(FactRecord).order_by(FactRecord.id))
        return [(r.record_id, r.outcome, r.kind) for r in rows if r.kind == "home-ownership"]


async def test_a_newer_fact_replaces_an_older_one_never_the_reverse(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, db = identity
    await register(client)
    newer = await send(client, FactKind.HOME_OWNERSHIP, home(True, "H-NOV", NOV))
    older = await send(client, FactKind.HOME_OWNERSHIP, home(False, "H-SEP", OCT))
    same_day = await send(client, FactKind.HOME_OWNERSHIP, home(False, "H-NOV-2", NOV))
    assert [r["records"][0]["outcome"] for r in (newer, older, same_day)] == [
        "applied",
        "superseded",
        "applied",  # as of the same day, the later received is current
    ]
    facts = employee(await profile(client))
    assert facts["owns_home_in_city"] is False
    assert facts["sources"]["home-ownership"] == {
        "department": "HZ-HOU",
        "record_id": "H-NOV-2",
        "as_of": NOV.isoformat(),
    }
    assert [(i, o) for i, o, _ in await history(db)][-3:] == [
        ("H-NOV", "applied"),
        ("H-SEP", "superseded"),
        ("H-NOV-2", "applied"),
    ]


async def test_a_batch_answers_each_record_and_counts_them(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, db = identity
    await register(client)
    bad = home(True, "H-BAD", NOV)
    bad["data"]["owns_home_in_city"] = "yes please"
    reused = home(True, "H-1", NOV)
    body = await send(
        client,
        FactKind.HOME_OWNERSHIP,
        home(False, "H-1", NOV),
        home(False, "H-1", NOV),
        reused,
        bad,
        home(True, "H-OLD", OCT - dt.timedelta(days=1)),
    )
    assert {k: body[k] for k in ("received", "applied", "superseded", "duplicate", "refused")} == {
        "received": 5,
        "applied": 1,
        "superseded": 1,
        "duplicate": 1,
        "refused": 2,
    }
    outcomes = [(r["record_id"], r["outcome"]) for r in body["records"]]
    assert outcomes == [
        ("H-1", "applied"),
        ("H-1", "duplicate"),
        ("H-1", "refused"),
        ("H-BAD", "refused"),
        ("H-OLD", "superseded"),
    ]
    assert body["records"][2]["problem"]["type"] == "urn:qinqing:problem:record-id-reused"
    assert [i for i, _, _ in await history(db)][-2:] == ["H-1", "H-OLD"]  # refused: none
    assert (await told(db))[-1] == {
        "department": "HZ-HOU",
        "kind": "home-ownership",
        "applied": 1,  # the batch is told once, with the records that became current
    }


async def told(db: Database) -> list[dict[str, Any]]:
    """What identity-svc told of the facts it took (qinqing.identity.facts.received.v1)."""
    async with db.sessionmaker() as session:
        query = select(OutboxEvent).where(OutboxEvent.subject == FACTS_RECEIVED)
        rows = await session.scalars(query.order_by(OutboxEvent.seq))
        return [{k: v for k, v in r.data.items() if k != "received_at"} for r in rows]


async def test_only_records_that_became_current_are_told(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, db = identity
    await register(client)
    before = len(await told(db))
    older = home(True, "H-OLD", OCT - dt.timedelta(days=1))
    await send(client, FactKind.HOME_OWNERSHIP, older)  # superseded: not told
    same = home(False, "H-SAME", OCT)
    await send(client, FactKind.HOME_OWNERSHIP, same, same)  # applied, then a duplicate
    after = await told(db)
    assert after[before:] == [{"department": "HZ-HOU", "kind": "home-ownership", "applied": 1}]


async def test_facts_wait_for_their_subject_to_be_registered(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, _ = identity
    early = await send(client, FactKind.HOME_OWNERSHIP, home(False, "H-EARLY", OCT))
    job = {"uscc": USCC, "id_number": PERSON, "employed": True}
    record = {"record_id": "E-EARLY", "as_of": OCT.isoformat(), "data": job}
    person = next(r for r in feeds.records([FIRST], OCT)[FactKind.PERSON])
    await send(client, FactKind.PERSON, person)
    no_firm = await send(client, FactKind.EMPLOYMENT, record)
    problems = [b["records"][0]["problem"]["detail"] for b in (early, no_firm)]
    assert problems[0].startswith("Person 330106********0111 is not in the register yet")
    assert problems[1].startswith(f"Enterprise {USCC} is not in the register yet")


async def test_a_registration_record_keeps_the_payee_account_and_announces_itself(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, db = identity
    await register(client)
    [record] = feeds.records([FIRST | {"status": "suspended"}], NOV)[FactKind.ENTERPRISE]
    record["data"]["bank_account"] = {"bank": "Other Bank", "account_no": "99990000111122"}
    answer = await send(client, FactKind.ENTERPRISE, record)
    assert answer["applied"] == 1
    found = await profile(client)
    assert (found["status"], found["bank_account"]) == ("suspended", FIRST["bank_account"])
    assert found["source"]["as_of"] == NOV.isoformat()
    async with db.sessionmaker() as session:
        changes = list(await session.scalars(select(PayeeAccountChange.bank_account_no)))
        subjects = list(await session.scalars(select(OutboxEvent.subject)))
    assert changes == [FIRST["bank_account"]["account_no"]]  # the first registration's only
    assert subjects.count("qinqing.identity.enterprise.registered.v1") == 2
    assert subjects.count("qinqing.identity.payee-account.changed.v1") == 1


async def test_one_department_cannot_send_anothers_facts(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, _ = identity
    answer = await client.post(
        "/facts/home-ownership",
        json=home(False, "H-X", OCT),
        headers=as_department("HZ-HRSS"),
    )
    assert (answer.status_code, answer.json()["detail"]) == (
        403,
        "Only department HZ-HOU sends home-ownership facts.",
    )
