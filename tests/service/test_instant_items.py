"""Service items decided at once from department data (秒批) at catalog-svc, over HTTP on
a real database and NATS: only the item's department sets its handling, each setting a
version announced and audited; a request comes answered with subsidy-svc's signed
decision only when it is exactly what subsidy-svc signed, for this request and the
handling as it stands; anything else leaves the request to the department."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import jwt
import pytest
from sqlalchemy import select

from catalog_svc.cli import seed
from catalog_svc.config import Settings as CatalogSettings
from catalog_svc.main import create_app as catalog_app
from catalog_svc.models import InteractionRequest, OutboxEvent
from qinqing_devtools.demo import tax_certificate_handling
from qinqing_shared.auth.scopes import REQUESTS_ANSWER, REQUESTS_WRITE
from qinqing_shared.auth.signing import digest
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.events import COMMITMENT_BROKEN, ITEM_HANDLING_SET, CommitmentEvent
from qinqing_shared.contracts.subsidy import ItemDecision, TraceEntry
from qinqing_shared.events import CloudEvent
from tests.service.auth_support import SIGNERS, as_department, as_gateway, as_operator
from tests.service.conftest import running
from tests.service.test_policy_versions import dataset

ITEM = "HZ-TAX-S04"
USCC = "91330106MA2H00014Q"


def gateway() -> dict[str, str]:  # made when sent: a token made at import expires in 5 min
    return as_gateway("catalog-svc")


@pytest.fixture
async def catalog(service_db: Callable[[str], str], nats_url: str) -> AsyncIterator[Any]:
    settings = CatalogSettings(database_url=service_db("catalog_svc"), nats_url=nats_url)
    app = catalog_app(settings)
    data = dataset()
    data["departments"].append({"code": "HZ-TAX", "name": "Taxation", "district_code": None})
    data["services"].append(
        {
            "code": ITEM,
            "name": "Tax certificate renewal",
            "kind": "service_item",
            "department_code": "HZ-TAX",
            "district_code": None,
        }
    )
    async with running(app) as client:
        async with app.state.runtime.db.sessionmaker() as session:
            await seed(session, data)
            await session.commit()
        yield client, app


def tax() -> dict[str, str]:  # made when sent: tokens expire
    return as_department("HZ-TAX")


async def instant(client: httpx.AsyncClient) -> dict[str, Any]:
    answer = await client.put(
        f"/services/{ITEM}/handling", json=tax_certificate_handling(), headers=tax()
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def decision(
    request_id: str,
    outcome: str = "granted",
    version: int = 1,
    commitments: tuple[str, ...] = (),
    **more: Any,
) -> dict[str, Any]:
    entry = TraceEntry(
        subject="enterprise", clause="tax_credit", requirement="A or B",
        seen="A" if outcome == "granted" else "C", passed=outcome == "granted",
    )  # fmt: skip
    made = ItemDecision(
        request_id=request_id,
        service_code=ITEM,
        uscc=USCC,
        handling_version=version,
        on=dt.date(2026, 9, 1),
        outcome=outcome,  # type: ignore[arg-type]
        reasons=[] if outcome == "granted" else ["enterprise: A or B (seen: C)"],
        reasons_zh=[] if outcome == "granted" else ["企业：A或B（实际：C）"],
        trace=[entry],
        commitments=list(commitments),
    )
    claims = {"sub": request_id, "sha256": digest(made.signed_content())}
    signed = made.model_copy(update={"attestation": SIGNERS["subsidy-svc"].sign(claims)})
    return signed.model_dump(mode="json") | more


def filing(request_id: str, made: dict[str, Any] | None) -> dict[str, Any]:
    return {
        "id": request_id,
        "uscc": USCC,
        "topic": "service-item",
        "title": "Our tax certificate",
        "text": "Please renew it.",
        "links": {"service_code": ITEM},
        "client_id": "demo-enterprise",
        "actor": "demo-enterprise",
        "decision": made,
    }


async def filed(client: httpx.AsyncClient, made: dict[str, Any] | None, rid: str = "") -> Any:
    rid = rid or (made or {}).get("request_id") or str(uuid.uuid4())
    return await client.post("/requests", json=filing(rid, made), headers=gateway())


async def test_its_department_sets_how_an_item_is_handled_each_time_a_new_version(
    catalog: Any,
) -> None:
    client, app = catalog
    before = (await client.get(f"/services/{ITEM}/handling")).json()
    first = await instant(client)
    second = await instant(client)
    shown = (await client.get(f"/services/{ITEM}/handling")).json()
    assert (before["version"], before["handling"]) == (0, {"mode": "routed", "conditions": []})
    assert (first["version"], second["version"], shown["version"]) == (1, 2, 2)
    assert [c["clause"] for c in shown["handling"]["conditions"]] == [
        "active",
        "district",
        "tax_credit",
    ]
    key = app.state.runtime.signs().ring.current.public_jwk()
    claims = jwt.decode(shown["attestation"], jwt.PyJWK(key), algorithms=["EdDSA"])
    del shown["attestation"]
    assert (claims["sub"], claims["sha256"]) == (ITEM, digest(shown))
    async with app.state.runtime.db.sessionmaker() as session:
        rows = await session.scalars(select(OutboxEvent).order_by(OutboxEvent.seq))
        told = [(e.subject, e.data.get("version"), e.data.get("action")) for e in rows]
    assert [t[:2] for t in told if t[0] == ITEM_HANDLING_SET] == [
        (ITEM_HANDLING_SET, 1),
        (ITEM_HANDLING_SET, 2),
    ]
    assert [t[2] for t in told if t[0].endswith(".audit.recorded.v1")] == [
        "service-item.handling-set",
        "service-item.handling-set",
    ]


async def test_a_handling_edited_from_an_older_version_is_not_set(catalog: Any) -> None:
    """Two officers edit version 0; the first is set (version 1), the second is refused
    and nothing of it is written."""
    client, _ = catalog
    url, body = f"/services/{ITEM}/handling", tax_certificate_handling()
    first = await client.put(url, params={"edited_from": 0}, json=body, headers=tax())
    second = await client.put(url, params={"edited_from": 0}, json=body, headers=tax())
    assert (first.status_code, first.json()["version"]) == (200, 1)
    assert (second.status_code, second.json()["type"], second.json()["detail"]) == (
        409,
        "urn:qinqing:problem:handling-changed",
        f"{ITEM}'s handling is at version 1 now, not 0 as edited: read it again and set "
        "it from there.",
    )
    assert (await client.get(url)).json()["version"] == 1


async def test_no_one_else_sets_it_and_only_an_item_has_one(catalog: Any) -> None:
    client, _ = catalog
    body = tax_certificate_handling()
    by_other = await client.put(
        f"/services/{ITEM}/handling", json=body, headers=as_department("HZ-HRSS")
    )
    anonymous = await client.put(f"/services/{ITEM}/handling", json=body)
    subsidy = await client.put(
        "/services/HZ-HRSS-RENTAL-SUBSIDY/handling", json=body, headers=as_department("HZ-HRSS")
    )
    bad = await client.put(f"/services/{ITEM}/handling", json={"mode": "instant"}, headers=tax())
    assert (by_other.status_code, by_other.json()["detail"]) == (
        403,
        f"Only department HZ-TAX sets how {ITEM} is handled.",
    )
    assert anonymous.status_code == 401
    assert (subsidy.status_code, subsidy.json()["type"]) == (
        404,
        "urn:qinqing:problem:service-item-not-found",
    )
    assert (bad.status_code, bad.json()["type"]) == (422, "urn:qinqing:problem:invalid-request")
    assert (await client.get(f"/services/{ITEM}/handling")).json()["version"] == 0


async def test_a_granted_decision_answers_the_request_as_it_is_filed(catalog: Any) -> None:
    client, _ = catalog
    await instant(client)
    made = decision(str(uuid.uuid4()))
    answer = await filed(client, made)
    again = await filed(client, made)
    view = answer.json()
    assert (answer.status_code, view["status"], view["outcome"]) == (201, "answered", "granted")
    assert [(s["action"], s["actor"], s["outcome"]) for s in view["steps"]] == [
        ("submitted", "demo-enterprise", None),
        ("answered", "platform", "granted"),
    ]
    assert view["steps"][1]["text"] == (
        "秒批：各部门数据满足全部条件，予以办理。"
        "Granted at once: the departments' data meets every condition."
    )
    assert (view["decision"]["outcome"], view["acknowledge_by"], view["answer_by"]) == (
        "granted",
        None,
        None,
    )
    assert again.json()["steps"] == view["steps"]  # filed once
    stats = (await client.get("/stats")).json()
    assert stats["service_items_handled"] == 1


async def test_a_refused_decision_says_why_and_the_department_may_look_again(catalog: Any) -> None:
    client, _ = catalog
    await instant(client)
    view = (await filed(client, decision(str(uuid.uuid4()), "refused"))).json()
    assert (view["status"], view["outcome"]) == ("answered", "refused")
    assert view["steps"][-1]["text"] == (
        "秒批不予办理：企业：A或B（实际：C）。Refused at once: enterprise: A or B (seen: C). "
        "Reopen the request to have the department look at it."
    )


@pytest.mark.parametrize("how", ["undecided", "older-version", "no-decision"])
async def test_a_request_not_decided_on_the_handling_as_it_stands_goes_to_the_department(
    catalog: Any, how: str
) -> None:
    client, _ = catalog
    await instant(client)
    await instant(client)  # version 2
    rid = str(uuid.uuid4())
    made = {
        "undecided": decision(rid, "undecided", version=2),
        "older-version": decision(rid, "granted", version=1),
        "no-decision": None,
    }[how]
    view = (await filed(client, made, rid)).json()
    assert (view["status"], view["outcome"], view["department"]) == ("open", None, "HZ-TAX")
    assert [s["action"] for s in view["steps"]] == ["submitted"]
    assert view["answer_by"] is not None
    assert (view["decision"] or {}).get("outcome") == (None if made is None else made["outcome"])
    assert (await client.get("/stats")).json()["service_items_handled"] == 0


async def test_a_decision_changed_after_signing_or_of_another_request_is_refused(
    catalog: Any,
) -> None:
    client, app = catalog
    await instant(client)
    rid = str(uuid.uuid4())
    changed = decision(rid, "refused") | {"outcome": "granted"}
    other = decision(str(uuid.uuid4()))
    unsigned = decision(rid) | {"attestation": None}
    answers = [await filed(client, made, rid) for made in (changed, other, unsigned)]
    assert [(a.status_code, a.json()["type"].rsplit(":", 1)[1]) for a in answers] == [
        (422, "attestation-invalid"),
        (422, "decision-mismatch"),
        (422, "attestation-invalid"),
    ]
    assert answers[0].json()["detail"] == (
        "The service item's decision was changed after subsidy-svc signed it."
    )
    assert answers[1].json()["detail"] == "The decision is of another request, enterprise or item."
    async with app.state.runtime.db.sessionmaker() as session:
        assert await session.get(InteractionRequest, rid) is None  # nothing was filed


def broken(commitment_id: str, service_code: str | None = ITEM) -> CloudEvent:
    data = CommitmentEvent(
        commitment_id=commitment_id,
        uscc=USCC,
        policy_id="" if service_code else "hz-rental-subsidy-2026",
        clause="tax_credit",
        department="HZ-TAX",
        outcome="broken",
        verify_by="2026-11-30",
        service_code=service_code,
    )
    return CloudEvent(type=COMMITMENT_BROKEN, source="/qinqing/credit-svc", data=data.model_dump())


async def heard(app: Any, event: CloudEvent) -> None:
    """catalog-svc's consumer of broken commitments, on its real database."""
    async with app.state.runtime.units.write() as uow:
        await app.state.requests.commitment_broken(uow, event)
        await uow.commit()


async def test_a_grant_on_a_broken_commitment_is_revoked_once_and_counted_out(
    catalog: Any,
) -> None:
    client, app = catalog
    await instant(client)
    on_it = (await filed(client, decision(str(uuid.uuid4()), commitments=("cm-1",)))).json()
    on_data = (await filed(client, decision(str(uuid.uuid4())))).json()
    on_another = (await filed(client, decision(str(uuid.uuid4()), commitments=("cm-2",)))).json()
    assert on_it["steps"][-1]["text"].startswith(
        "告知承诺：依企业的信用承诺（cm-1）予以办理，部门数据到达后核验；"
    )
    assert (await client.get("/stats")).json()["service_items_handled"] == 3

    await heard(app, broken("cm-1", service_code=None))  # a policy's: subsidy-svc's affair
    untouched = (await client.get(f"/requests/{on_it['id']}", headers=as_operator())).json()
    assert (untouched["status"], untouched["outcome"]) == ("answered", "granted")
    await heard(app, broken("cm-1"))
    await heard(app, broken("cm-1"))  # told again: revoked once
    views = [
        (await client.get(f"/requests/{v['id']}", headers=as_operator())).json()
        for v in (on_it, on_data, on_another)
    ]
    assert [(v["status"], v["outcome"], len(v["steps"])) for v in views] == [
        ("closed", "revoked", 3),
        ("answered", "granted", 2),
        ("answered", "granted", 2),
    ]
    revoked = views[0]["steps"][-1]
    assert (revoked["action"], revoked["actor"], revoked["outcome"]) == (
        "revoked",
        "platform",
        "revoked",
    )
    assert "credit commitment cm-1" in revoked["text"]
    assert (await client.get("/stats")).json()["service_items_handled"] == 2
    async with app.state.runtime.db.sessionmaker() as session:
        subjects = (await session.scalars(select(OutboxEvent.subject))).all()
    assert subjects.count("qinqing.interaction.request.revoked.v1") == 1


async def test_a_grant_its_department_has_in_hand_again_is_left_to_it(catalog: Any) -> None:
    client, app = catalog
    await instant(client)
    view = (await filed(client, decision(str(uuid.uuid4()), commitments=("cm-3",)))).json()
    enterprise = Caller("demo-enterprise", "enterprise", frozenset({REQUESTS_WRITE}), uscc=USCC)
    async with app.state.runtime.units.write() as uow:
        await app.state.requests.reopen(uow, enterprise, view["id"], "Please look again.")
        await uow.commit()
    await heard(app, broken("cm-3"))
    after = (await client.get(f"/requests/{view['id']}", headers=as_operator())).json()
    assert (after["status"], after["outcome"], after["steps"][-1]["action"]) == (
        "accepted",
        "granted",
        "reopened",
    )


async def test_a_revoked_item_reopened_and_granted_by_hand_is_counted_again(
    catalog: Any,
) -> None:
    client, app = catalog
    await instant(client)
    view = (await filed(client, decision(str(uuid.uuid4()), commitments=("cm-4",)))).json()
    await heard(app, broken("cm-4"))
    assert (await client.get("/stats")).json()["service_items_handled"] == 0
    enterprise = Caller("demo-enterprise", "enterprise", frozenset({REQUESTS_WRITE}), uscc=USCC)
    officer = Caller(
        "tax-department", "department", frozenset({REQUESTS_ANSWER}), department="HZ-TAX"
    )
    desk = app.state.requests
    async with app.state.runtime.units.write() as uow:
        await desk.reopen(uow, enterprise, view["id"], "We have paid in full since: look again.")
        row = await desk.answer(uow, officer, view["id"], "Paid in full: granted.", "granted")
        await uow.commit()
    assert (row.status, row.outcome) == ("answered", "granted")
    assert (await client.get("/stats")).json()["service_items_handled"] == 1
