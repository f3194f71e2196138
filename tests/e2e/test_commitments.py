"""Credit commitments (信用承诺) on the running platform, driven only through the APIs and
NATS: an enterprise commits for a fact no department has sent, is paid at once, and the
platform verifies the commitment by itself when the department's data comes. Broken: the
payout is clawed back (a receivable in the ledger, the application clawed_back, the live
figures down), a violation is filed, new commitments are refused until credit repair.
Kept: nothing is reversed. A red-list record opens clauses to commitments (a reward)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import httpx
import nats
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.demo import RENTAL_POLICY_ID
from qinqing_devtools.platform import Platform
from qinqing_shared import receipts
from qinqing_shared.contracts.events import (
    APPLICATION_CLAWED_BACK,
    CLAWBACK_DEMANDED,
    COMMITMENT_BROKEN,
)
from qinqing_shared.ids import mask_id_number
from tests.e2e import pilots

pytestmark = pytest.mark.e2e

AS_OF = dt.date(2026, 8, 31)
BUSINESS_DAY = "2026-09-01"  # the platform under test applies on this day (conftest)
AMOUNT = 1_000_000  # a bachelor's rental subsidy


def person(n: int, **facts: Any) -> dict[str, Any]:
    """Pilot ``n``'s employee, with ``facts`` changed (None: the department sends none)."""
    employee = chaos.pilot_enterprise(n)["employees"][0] | facts
    return {k: v for k, v in employee.items() if v is not None}


async def enterprise(platform: Platform, n: int, *employees: dict[str, Any]) -> str:
    body = await pilots.registered(platform, n, employees=list(employees))
    return str(body["uscc"])


def gateway(platform: Platform, client_id: str = chaos.LOAD_APP) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=30, auth=platform.auth(client_id)
    )


async def commit(platform: Platform, uscc: str, clause: str, id_number: str) -> httpx.Response:
    body = {
        "uscc": uscc,
        "policy_id": RENTAL_POLICY_ID,
        "clause": clause,
        "id_number": id_number,
        "signed_by": "Wang Li, general manager",
    }
    async with gateway(platform) as http:
        return await http.post("/v1/commitments", json=body)


async def housing_says(platform: Platform, id_number: str, owns: bool, record_id: str) -> None:
    record = {
        "record_id": record_id,
        "as_of": AS_OF.isoformat(),
        "data": {"id_number": id_number, "owns_home_in_city": owns},
    }
    auth = platform.auth("housing-department")
    async with httpx.AsyncClient(base_url=platform.url("identity-svc"), auth=auth) as http:
        answer = await http.post("/facts/home-ownership", json=record)
    assert (answer.status_code, answer.json()["outcome"]) == (200, "applied")


async def commitment_when(
    platform: Platform, uscc: str, commitment_id: str, outcome: str
) -> dict[str, Any]:
    """The commitment once the verification job has found it ``outcome`` (polled)."""
    found: dict[str, Any] = {}
    async with gateway(platform) as http:
        for _ in range(150):
            listed = (await http.get(f"/v1/enterprises/{uscc}/commitments")).json()
            found = next(c for c in listed if c["id"] == commitment_id)
            if found["outcome"] == outcome:
                return found
            await asyncio.sleep(0.2)
    raise AssertionError(f"commitment {commitment_id} is {found.get('outcome')}, not {outcome}")


async def application_when(platform: Platform, application_id: str, status: str) -> dict[str, Any]:
    view: dict[str, Any] = {}
    async with gateway(platform) as http:
        for _ in range(150):
            view = (await http.get(f"/v1/applications/{application_id}")).json()
            if view["status"] == status:
                return view
            await asyncio.sleep(0.2)
    raise AssertionError(f"application {application_id} is {view.get('status')}, not {status}")


async def operator_get(platform: Platform, service: str, path: str) -> Any:
    auth = platform.auth("demo-operator")
    async with httpx.AsyncClient(base_url=platform.url(service), timeout=30, auth=auth) as http:
        answer = await http.get(path)
    assert answer.status_code == 200, answer.text
    return answer.json()


async def ours(events: Any, key: str, value: str) -> dict[str, Any]:
    """The next event about this commitment or application (other tests' come too)."""
    while True:
        told: dict[str, Any] = json.loads((await events.next_msg(timeout=20)).data)
        if told[key] == value:
            return told


async def repays(platform: Platform, uscc: str, clawback_id: str) -> None:
    """The enterprise pays the demand into the platform's account, quoting its id; the
    bank tells payment-svc, which settles it (polled)."""
    paid_in = {
        "reference": clawback_id,
        "payer_account_no": chaos.pilot_enterprise(8301)["bank_account"]["account_no"],
        "amount_fen": AMOUNT,
    }
    auth = platform.auth("demo-operator")
    async with httpx.AsyncClient(base_url=platform.url("sandbox-bank"), auth=auth) as bank:
        assert (await bank.post("/admin/incoming", json=paid_in)).status_code == 200
    for _ in range(100):
        listed = await operator_get(platform, "payment-svc", f"/enterprises/{uscc}/clawbacks")
        if listed[0]["status"] == "repaid":
            return
        await asyncio.sleep(0.2)
    raise AssertionError(f"clawback {clawback_id} is still {listed[0]['status']}")


async def receipts_tell_paid_then_clawed_back(
    platform: Platform, paid: dict[str, Any], clawed: dict[str, Any]
) -> None:
    """The application's receipt is signed again for the clawback; the payout's receipt,
    given with the answer, still verifies as what was true then."""
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        jwks = (await http.get("/.well-known/jwks.json")).json()
    then = receipts.verify(paid["receipt"], jwks)
    now = receipts.verify(clawed["receipt"], jwks)
    assert (then["status"], "clawback" in then) == ("paid", False)
    assert (now["sub"], now["status"], now["clawback"]) == (
        paid["id"],
        "clawed_back",
        clawed["clawback"],
    )
    assert now["bank_reference"] == then["bank_reference"] == paid["payout"]["bank_reference"]


async def test_a_broken_commitment_is_clawed_back_and_repaired(platform: Platform) -> None:
    first = person(8301, owns_home_in_city=None)
    second = person(8302, owns_home_in_city=None)
    uscc = await enterprise(platform, 8301, first, second)
    admin = await nats.connect(platform.nats_admin_url)
    try:
        js = admin.jetstream()
        broken_events = await js.subscribe(COMMITMENT_BROKEN, ordered_consumer=True)
        clawed_events = await js.subscribe(APPLICATION_CLAWED_BACK, ordered_consumer=True)
        demanded_events = await js.subscribe(CLAWBACK_DEMANDED, ordered_consumer=True)

        rejected = await pilots.final_answer(platform, uscc)
        assert rejected["status"] == "rejected"
        masked = mask_id_number(first["id_number"])
        assert (
            f"employee {masked}: owns no home in the city (no record from HZ-HOU)"
            in rejected["decision"]["reasons"]
        )

        made = await commit(platform, uscc, "no_home", first["id_number"])
        assert made.status_code == 200, made.text
        commitment = made.json()
        assert (commitment["outcome"], commitment["id_number_masked"]) == ("open", masked)
        assert (commitment["made_on"], commitment["verify_by"]) == (BUSINESS_DAY, "2026-11-30")
        assert commitment["statement"] == "This employee owns no home in the city."

        paid = await pilots.final_answer(platform, uscc)
        assert (paid["status"], paid["amount_fen"]) == ("paid", AMOUNT)
        entry = next(
            e
            for e in paid["decision"]["trace"]
            if e["clause"] == "no_home" and masked in e["subject"]
        )
        assert (entry["passed"], entry["commitment"]) == (True, commitment["id"])

        await housing_says(platform, first["id_number"], True, "HOU-8301-1")
        broken = await commitment_when(platform, uscc, commitment["id"], "broken")
        assert broken["closed_on"] == BUSINESS_DAY
        assert broken["evidence"] == (
            f"employee {masked}: owns no home in the city, HZ-HOU record HOU-8301-1, as of {AS_OF}"
        )
        clawed = await application_when(platform, paid["id"], "clawed_back")
        assert clawed["amount_fen"] == AMOUNT
        assert {k: v for k, v in clawed["clawback"].items() if k != "clawed_back_at"} == {
            "commitment_id": commitment["id"],
            "reason": f"Credit commitment {commitment['id']} (no_home) was broken.",
            "amount_fen": AMOUNT,
        }
        await receipts_tell_paid_then_clawed_back(platform, paid, clawed)

        told = await ours(broken_events, "commitment_id", commitment["id"])
        assert (told["commitment_id"], told["outcome"]) == (commitment["id"], "broken")
        clawed_event = await ours(clawed_events, "application_id", paid["id"])
        assert (clawed_event["application_id"], clawed_event["amount_fen"]) == (paid["id"], AMOUNT)
        demanded = await ours(demanded_events, "application_id", paid["id"])
        assert (demanded["application_id"], demanded["amount_fen"]) == (paid["id"], AMOUNT)
    finally:
        await admin.close()

    owed = await operator_get(platform, "payment-svc", f"/accounts/receivable:{uscc}/balance")
    assert owed["balance_fen"] == -AMOUNT
    assert (await operator_get(platform, "payment-svc", "/ledger/balance"))["balanced"] is True
    await repays(platform, uscc, demanded["clawback_id"])
    owed = await operator_get(platform, "payment-svc", f"/accounts/receivable:{uscc}/balance")
    assert owed["balance_fen"] == 0
    assert (await operator_get(platform, "payment-svc", "/ledger/balance"))["balanced"] is True
    # the bank, the payouts, the stream and the budget still agree on this payout and its
    # policy (the clawback and its repayment move the ledger, not the completed payout)
    report = await operator_get(platform, "payment-svc", "/reconciliation")
    mine = {paid["payout"]["id"], paid["id"], RENTAL_POLICY_ID}
    assert [d for d in report["differences"] if d["reference"] in mine] == []
    assert report["payouts"] >= 1
    records = await operator_get(platform, "credit-svc", f"/enterprises/{uscc}/records")
    violation = next(r for r in records if r["kind"] == "violation")
    assert (violation["id"], violation["department"], violation["commitment_id"]) == (
        f"HZ-HRSS:broken-commitment-{commitment['id']}",
        "HZ-HRSS",
        commitment["id"],
    )

    refused = await commit(platform, uscc, "no_home", second["id_number"])
    assert (refused.status_code, refused.json()["type"]) == (
        409,
        "urn:qinqing:problem:commitment-refused",
    )
    denied = await pilots.final_answer(platform, uscc)
    assert denied["status"] == "rejected"

    repair = {
        "repair_commitment": "The subsidy is repaid in full; we will declare only what is true.",
        "reason": "Clawback repaid, repair commitment signed",
        "effective_on": BUSINESS_DAY,
    }
    auth = platform.auth("hrss-department")
    async with httpx.AsyncClient(base_url=platform.url("credit-svc"), auth=auth) as hrss:
        lifted = await hrss.post(f"/records/{violation['id']}/lift", json=repair)
    assert (lifted.status_code, lifted.json()["lifted_on"]) == (200, BUSINESS_DAY)

    again = await commit(platform, uscc, "no_home", second["id_number"])
    assert (again.status_code, again.json()["outcome"]) == (200, "open")
    allowed = await pilots.final_answer(platform, uscc)
    assert (allowed["status"], allowed["amount_fen"]) == ("paid", AMOUNT)


async def test_a_kept_commitment_changes_nothing_that_was_paid(platform: Platform) -> None:
    employee = person(8311, owns_home_in_city=None)
    uscc = await enterprise(platform, 8311, employee)
    made = (await commit(platform, uscc, "no_home", employee["id_number"])).json()
    paid = await pilots.final_answer(platform, uscc)
    assert paid["status"] == "paid"

    await housing_says(platform, employee["id_number"], False, "HOU-8311-1")
    kept = await commitment_when(platform, uscc, made["id"], "kept")
    assert kept["closed_on"] == BUSINESS_DAY
    async with gateway(platform) as http:
        view = (await http.get(f"/v1/applications/{paid['id']}")).json()
    assert view["status"] == "paid"
    records = await operator_get(platform, "credit-svc", f"/enterprises/{uscc}/records")
    assert [(r["kind"], r["outcome"]) for r in records] == [("commitment", "kept")]
    owed = await operator_get(platform, "payment-svc", f"/accounts/receivable:{uscc}/balance")
    assert owed["balance_fen"] == 0


async def test_a_commitment_stands_only_for_an_unknown_fact(platform: Platform) -> None:
    employee = person(8321, owns_home_in_city=True)
    uscc = await enterprise(platform, 8321, employee)
    known = await commit(platform, uscc, "no_home", employee["id_number"])
    assert (known.status_code, known.json()["type"]) == (409, "urn:qinqing:problem:fact-known")
    closed = await commit(platform, uscc, "age", employee["id_number"])
    assert (closed.status_code, closed.json()["detail"]) == (
        422,
        f"Policy {RENTAL_POLICY_ID} opens no clause 'age' to commitments.",
    )
    stranger = person(8322)["id_number"]
    outsider = await commit(platform, uscc, "no_home", stranger)
    assert outsider.json()["detail"] == (
        f"The person is not an employee of {uscc} in the market regulator's register."
    )


async def test_a_red_list_record_opens_a_clause_to_commitments(platform: Platform) -> None:
    employee = person(8331, social_insurance_months_in_city=None)
    uscc = await enterprise(platform, 8331, employee)
    early = await commit(platform, uscc, "social_insurance", employee["id_number"])
    assert (early.status_code, early.json()["detail"]) == (
        409,
        "This clause is open to commitments of enterprises on a red list only.",
    )
    record = {
        "record_id": "RL-8331",
        "uscc": uscc,
        "kind": "redlist",
        "reason": "Model employer of the year",
        "valid_from": "2026-01-01",
    }
    auth = platform.auth("hrss-department")
    async with httpx.AsyncClient(base_url=platform.url("credit-svc"), auth=auth) as hrss:
        assert (await hrss.post("/records", json=record)).status_code == 200
    made = await commit(platform, uscc, "social_insurance", employee["id_number"])
    assert (made.status_code, made.json()["verify_by"]) == (200, "2026-10-31")
    paid = await pilots.final_answer(platform, uscc)
    assert (paid["status"], paid["amount_fen"]) == ("paid", AMOUNT)
