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
from identity_svc.models import (
    Employment,
    Enterprise,
    FactRecord,
    OutboxEvent,
    PayeeAccountChange,
    TaxRecord,
)
from identity_svc.models import OutboxEvent as IdentityOutbox
from qinqing_devtools import feeds
from qinqing_devtools.demo import golden
from qinqing_shared.contracts.events import (
    ENTERPRISE_REGISTERED,
    FACTS_RECEIVED,
    PAYEE_ACCOUNT_CHANGED,
)
from qinqing_shared.contracts.ingest import OWNERS, FactKind
from qinqing_shared.db import Database
from qinqing_shared.ids import uscc_check_char
from tests.service.auth_support import as_department, as_gateway
from tests.service.conftest import running

FIRST = golden()["enterprises"][0]
USCC = FIRST["uscc"]
PERSON = FIRST["employees"][0]["id_number"]
OCT, NOV = dt.date(2026, 10, 31), dt.date(2026, 11, 15)
UNREGISTERED = "91330106MA2H99999" + uscc_check_char("91330106MA2H99999")


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
        "enterprises": [USCC],  # the employer of the person the applied record is about
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
    assert after[before:] == [
        {"department": "HZ-HOU", "kind": "home-ownership", "applied": 1, "enterprises": [USCC]}
    ]


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


def employment(record_id: str, person: str, employed: bool, as_of: dt.date, **data: Any) -> Any:
    fields = {"id_number": person, "uscc": USCC, "employed": employed} | data
    return {"record_id": record_id, "as_of": as_of.isoformat(), "data": fields}


async def register_state(db: Database) -> dict[str, Any]:
    """The employment register and its history, as rows."""
    async with db.sessionmaker() as session:
        rows = await session.execute(
            select(Employment.uscc, Employment.id_number, Employment.record_id, Employment.as_of)
        )
        facts = await session.execute(
            select(FactRecord.record_id, FactRecord.outcome, FactRecord.subject).order_by(
                FactRecord.id
            )
        )
        return {"current": sorted(rows.all()), "history": list(facts.all())}


async def one_by_one(client: httpx.AsyncClient, records: list[dict[str, Any]]) -> list[str]:
    outcomes = []
    for record in records:
        answer = await client.post(
            "/facts/employment", json=record, headers=as_department("HZ-HRSS")
        )
        outcomes.append(answer.json()["outcome"] if answer.status_code == 200 else "refused")
    return outcomes


async def test_a_batch_is_taken_as_its_records_one_by_one(
    identity: tuple[httpx.AsyncClient, Database],
    service_db: Callable[..., str],
    nats_url: str,
) -> None:
    """The set-based batch path against the record-by-record path, on two registers."""
    people = [e["id_number"] for e in FIRST["employees"]]
    stranger = "11010519491231002X"
    records = [
        employment("E-1", people[0], False, NOV),  # leaves: the row goes
        employment("E-2", people[0], True, NOV),  # and comes back, as a new row
        employment("E-3", people[1], False, OCT - dt.timedelta(days=1)),  # older: kept aside
        employment("E-4", stranger, True, NOV),  # no such person registered
        employment("E-5", people[1], True, NOV, uscc=UNREGISTERED),  # no such enterprise
        employment("E-1", people[0], False, NOV),  # the same record again
        employment("E-1", people[0], True, NOV),  # its id, other content
        employment("E-6", people[1], True, NOV),  # newer than the register's
    ]
    batched, batched_db = identity
    other = Settings(database_url=service_db("identity_svc", "-single"), nats_url=nats_url)
    app = create_app(other.model_copy(update={"audit_chain": False}))
    async with running(app, as_gateway("identity-svc")) as single:
        await register(batched)
        await register(single)
        answer = await send(batched, FactKind.EMPLOYMENT, *records)
        singly = await one_by_one(single, records)
        single_state = await register_state(app.state.runtime.db)
    batch_state = await register_state(batched_db)

    assert (
        [r["outcome"] for r in answer["records"]]
        == singly
        == [
            "applied",
            "applied",
            "superseded",
            "refused",
            "refused",
            "duplicate",
            "refused",
            "applied",
        ]
    )
    assert [r["problem"]["type"].rsplit(":", 1)[1] for r in answer["records"][3:5]] == [
        "subject-not-registered",
        "subject-not-registered",
    ]
    assert batch_state == single_state
    assert (USCC, people[0], "E-2", NOV) in batch_state["current"]
    assert (USCC, people[1], "E-6", NOV) in batch_state["current"]


def registration(record_id: str, as_of: dt.date, **changes: Any) -> dict[str, Any]:
    data = feeds.records([FIRST], OCT)[FactKind.ENTERPRISE][0]["data"] | changes
    return {"record_id": record_id, "as_of": as_of.isoformat(), "data": data}


async def registrations_state(db: Database) -> dict[str, Any]:
    async with db.sessionmaker() as session:
        rows = await session.execute(
            select(Enterprise.uscc, Enterprise.name, Enterprise.bank_account_no)
            .add_columns(Enterprise.record_id, Enterprise.as_of)
            .order_by(Enterprise.uscc)
        )
        payees = await session.execute(
            select(PayeeAccountChange.uscc, PayeeAccountChange.bank_account_no).order_by(
                PayeeAccountChange.id
            )
        )
        events = await session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq))
        told = [
            (e.subject, {k: v for k, v in e.data.items() if k != "changed_at"})
            for e in events
            if e.subject in (ENTERPRISE_REGISTERED, PAYEE_ACCOUNT_CHANGED)
        ]
        return {"rows": rows.all(), "payees": payees.all(), "told": told}


async def test_a_batch_of_registrations_is_taken_as_one_by_one(
    identity: tuple[httpx.AsyncClient, Database],
    service_db: Callable[..., str],
    nats_url: str,
) -> None:
    """New enterprises get their first payee account; a later registration never changes
    the account; each registration that became current is announced."""
    new = "91330106MA2H0NEW1" + uscc_check_char("91330106MA2H0NEW1")
    bank = {"bank": "Bank of Ningbo", "account_no": "6217000999"}
    records = [
        registration("R-1", NOV, name="Renamed Ltd", bank_account=bank),  # known: renamed
        registration("R-2", NOV, uscc=new, name="New Ltd"),  # new: its account opened
        registration("R-3", NOV + dt.timedelta(days=1), uscc=new, bank_account=bank),
        registration("R-4", OCT - dt.timedelta(days=1), name="Old name"),  # older: aside
        registration("R-2", NOV, uscc=new, name="New Ltd"),  # again
    ]
    batched, batched_db = identity
    other = Settings(database_url=service_db("identity_svc", "-single"), nats_url=nats_url)
    app = create_app(other.model_copy(update={"audit_chain": False}))
    async with running(app, as_gateway("identity-svc")) as single:
        await register(batched)
        await register(single)
        answer = await send(batched, FactKind.ENTERPRISE, *records)
        singly = []
        for record in records:
            one = await single.post(
                "/facts/enterprise", json=record, headers=as_department("HZ-MSA")
            )
            assert one.status_code == 200, one.text
            singly.append(one.json()["outcome"])
        single_state = await registrations_state(app.state.runtime.db)
    batch_state = await registrations_state(batched_db)

    assert (
        [r["outcome"] for r in answer["records"]]
        == singly
        == [
            "applied",
            "applied",
            "applied",
            "superseded",
            "duplicate",
        ]
    )
    assert batch_state == single_state
    accounts = {uscc: account for uscc, _name, account, _r, _a in batch_state["rows"]}
    first_account = FIRST["bank_account"]["account_no"]
    assert (accounts[USCC], accounts[new]) == (first_account, first_account)
    assert [s for s, _ in batch_state["told"]].count(ENTERPRISE_REGISTERED) == 1 + 3


def tax(record_id: str, as_of: dt.date, uscc: str = USCC, **data: Any) -> dict[str, Any]:
    fields = {
        "uscc": uscc,
        "year": 2025,
        "revenue_fen": 1_250_000_000,
        "tax_paid_fen": 62_500_000,
        "credit_rating": "A",
    } | data
    return {"record_id": record_id, "as_of": as_of.isoformat(), "data": fields}


async def tax_state(db: Database) -> dict[str, Any]:
    async with db.sessionmaker() as session:
        rows = await session.execute(
            select(TaxRecord.uscc, TaxRecord.year, TaxRecord.credit_rating).add_columns(
                TaxRecord.record_id, TaxRecord.as_of
            )
        )
        facts = await session.execute(
            select(FactRecord.record_id, FactRecord.outcome, FactRecord.subject)
            .where(FactRecord.kind == "tax")
            .order_by(FactRecord.id)
        )
        return {"current": sorted(rows.all()), "history": list(facts.all())}


async def test_the_tax_bureaus_records_reach_the_profile_batch_or_one_by_one(
    identity: tuple[httpx.AsyncClient, Database],
    service_db: Callable[..., str],
    nats_url: str,
) -> None:
    records = [
        tax("T-2024", OCT, year=2024, credit_rating="B"),
        tax("T-2025", NOV),  # a later return: current
        tax("T-OLD", OCT - dt.timedelta(days=1), year=2023),  # older: kept aside
        tax("T-NONE", NOV, uscc=UNREGISTERED),  # no such enterprise registered
        tax("T-2025", NOV),  # the same record again
        tax("T-2025", NOV, credit_rating="D"),  # its id, other content
    ]
    batched, batched_db = identity
    await register(batched)
    assert (await profile(batched))["tax"] is None  # nothing from the tax bureau: unknown
    other = Settings(database_url=service_db("identity_svc", "-tax"), nats_url=nats_url)
    app = create_app(other.model_copy(update={"audit_chain": False}))
    async with running(app, as_gateway("identity-svc")) as single:
        await register(single)
        singly = []
        for record in records:
            answer = await single.post("/facts/tax", json=record, headers=as_department("HZ-TAX"))
            singly.append(answer.json()["outcome"] if answer.status_code == 200 else "refused")
        single_state = await tax_state(app.state.runtime.db)
    answer = await send(batched, FactKind.TAX, *records)

    outcomes = ["applied", "applied", "superseded", "refused", "duplicate", "refused"]
    assert [r["outcome"] for r in answer["records"]] == singly == outcomes
    assert await tax_state(batched_db) == single_state
    assert single_state["current"] == [(USCC, 2025, "A", "T-2025", NOV)]
    assert (await profile(batched))["tax"] == {
        "year": 2025,
        "revenue_fen": 1_250_000_000,
        "tax_paid_fen": 62_500_000,
        "credit_rating": "A",
        "prior_tax_paid_fen": None,  # the year before: not sent
        "source": {"department": "HZ-TAX", "record_id": "T-2025", "as_of": NOV.isoformat()},
    }


async def test_only_the_tax_bureau_sends_tax_records_and_a_bad_rating_is_refused(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, _ = identity
    await register(client)
    stranger = await client.post(
        "/facts/tax", json=tax("T-1", NOV), headers=as_department("HZ-HRSS")
    )
    unrated = await client.post(
        "/facts/tax", json=tax("T-2", NOV, credit_rating="AAA"), headers=as_department("HZ-TAX")
    )
    assert stranger.status_code == 403
    assert (unrated.status_code, unrated.json()["errors"][0]["field"]) == (
        422,
        "data.credit_rating",
    )
    assert (await profile(client))["tax"] is None


def insurance(record_id: str, as_of: dt.date, **data: Any) -> dict[str, Any]:
    fields = {
        "uscc": USCC,
        "year": 2025,
        "months_paid": 12,
        "paid_fen": 4_800_000,
        "average_insured": 50,
        "new_claimants": 1,
        "size_class": "small",
    } | data
    return {"record_id": record_id, "as_of": as_of.isoformat(), "data": fields}


async def test_hrss_sends_an_enterprises_unemployment_insurance_and_only_hrss(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, _ = identity
    await register(client)
    assert (await profile(client))["unemployment_insurance"] is None  # unknown
    hrss = as_department("HZ-HRSS")
    path = "/facts/unemployment-insurance"
    stranger = await client.post(path, json=insurance("U-1", NOV), headers=as_department("HZ-TAX"))
    unsized = await client.post(path, json=insurance("U-2", NOV, size_class="huge"), headers=hrss)
    nobody = await client.post(path, json=insurance("U-3", NOV, uscc=UNREGISTERED), headers=hrss)
    older = await client.post(path, json=insurance("U-2024", OCT, year=2024), headers=hrss)
    newer = await client.post(path, json=insurance("U-2025", NOV), headers=hrss)

    assert stranger.status_code == 403
    assert (unsized.status_code, unsized.json()["errors"][0]["field"]) == (422, "data.size_class")
    assert nobody.status_code == 409  # market regulation has not registered it
    assert (older.json()["outcome"], newer.json()["outcome"]) == ("applied", "applied")
    assert (await profile(client))["unemployment_insurance"] == {
        "year": 2025,
        "months_paid": 12,
        "paid_fen": 4_800_000,
        "average_insured": 50,
        "new_claimants": 1,
        "size_class": "small",
        "source": {"department": "HZ-HRSS", "record_id": "U-2025", "as_of": NOV.isoformat()},
    }


def lease(record_id: str, as_of: dt.date, **data: object) -> dict[str, object]:
    fields = {"uscc": USCC, "year": 2025, "rent_paid_fen": 12_000_000, "area_m2": 240} | data
    return {"record_id": record_id, "as_of": as_of.isoformat(), "data": fields}


async def test_housing_sends_an_enterprises_registered_lease_and_only_housing(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, _ = identity
    await register(client)
    assert (await profile(client))["lease"] is None  # unknown
    housing, path = as_department("HZ-HOU"), "/facts/lease"
    stranger = await client.post(path, json=lease("L-1", NOV), headers=as_department("HZ-TAX"))
    empty = await client.post(path, json=lease("L-2", NOV, area_m2=0), headers=housing)
    nobody = await client.post(path, json=lease("L-3", NOV, uscc=UNREGISTERED), headers=housing)
    outside = await client.post(path, json=lease("L-2024", OCT, year=2024), headers=housing)
    in_base = lease("L-2025", NOV, incubation_base="Base No. 1")
    batched = await client.post(f"{path}/batch", json={"records": [in_base]}, headers=housing)

    assert stranger.status_code == 403
    assert (empty.status_code, empty.json()["errors"][0]["field"]) == (422, "data.area_m2")
    assert nobody.status_code == 409  # market regulation has not registered it
    assert outside.json()["outcome"] == "applied"
    assert [r["outcome"] for r in batched.json()["records"]] == ["applied"]
    assert (await profile(client))["lease"] == {
        "year": 2025,
        "rent_paid_fen": 12_000_000,
        "area_m2": 240,
        "incubation_base": "Base No. 1",
        "source": {"department": "HZ-HOU", "record_id": "L-2025", "as_of": NOV.isoformat()},
    }


async def test_a_proactive_run_reads_every_profile_a_page_at_a_time_each_read_audited(
    identity: tuple[httpx.AsyncClient, Database],
) -> None:
    client, db = identity
    await register(client)
    run = {"X-On-Behalf-Of": "proactive:p@1"}
    first = await client.get("/profiles?limit=1", headers=run)
    after = first.json()["next_after"]
    rest = await client.get(f"/profiles?limit=100&after={after}", headers=run)
    unnamed = await client.get("/profiles")

    usccs = [p["uscc"] for p in first.json()["items"] + rest.json()["items"]]
    assert usccs == sorted(usccs) and USCC in usccs and len(set(usccs)) == len(usccs)
    assert after == usccs[0] and rest.json()["next_after"] is None
    assert all(p["attestation"] for p in rest.json()["items"])  # signed, like one profile
    assert unnamed.status_code == 422  # the run it is for must be named
    async with db.sessionmaker() as session:
        told = (await session.scalars(select(IdentityOutbox.data))).all()
    audited = [d["object_id"] for d in told if d.get("on_behalf_of") == "proactive:p@1"]
    assert sorted(audited) == usccs
