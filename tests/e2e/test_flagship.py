"""The instant rental subsidy, driven only through the gateway and a NATS subscriber."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import httpx
import nats
import pytest

from qinqing_devtools.platform import Platform
from qinqing_shared.ids import uscc_check_char

pytestmark = pytest.mark.e2e

POLICY = "/policies/hz-rental-subsidy-2026/applications"
PAID_BACHELOR_MASTER = "91330106MA2H00014Q"
PAID_DOCTOR = "91330105MA2H00057P"
EMPLOYEE_RULES_FAIL = "91330108MA2H00022G"
BLACKLISTED = "91330110MA2H000307"
REVOKED = "91330102MA2H00049H"
GRADUATED_TOO_LONG_AGO = "91330109MA2H00065C"


async def apply(api: httpx.AsyncClient, uscc: str, key: str | None = None) -> httpx.Response:
    headers = {"Idempotency-Key": key or str(uuid.uuid4())}
    return await api.post(POLICY, json={"uscc": uscc}, headers=headers)


async def payout_events(platform: Platform, seconds: float = 5) -> list[tuple[dict[str, str], Any]]:
    """Every payout.completed event in the stream, read by an independent subscriber."""
    client = await nats.connect(platform.nats_admin_url)
    try:
        js = client.jetstream()
        subject = "qinqing.payment.payout.completed.v1"
        info = await js.stream_info("QINQING_PAYMENT", subjects_filter=subject)
        sub = await js.subscribe(subject, ordered_consumer=True)
        found = []
        for _ in range((info.state.subjects or {}).get(subject, 0)):
            msg = await sub.next_msg(timeout=seconds)
            found.append((dict(msg.headers or {}), json.loads(msg.data)))
        return found
    finally:
        await client.close()


async def events_for(platform: Platform, application_id: str) -> list[tuple[dict[str, str], Any]]:
    for _ in range(50):
        events = [
            e for e in await payout_events(platform) if e[1]["application_id"] == application_id
        ]
        if events:
            return events
        await asyncio.sleep(0.2)
    return []


async def test_a_golden_eligible_enterprise_is_paid(
    api: httpx.AsyncClient, operator: httpx.AsyncClient, platform: Platform
) -> None:
    before = (await operator.get("/ledger/balance")).json()
    answer = await apply(api, PAID_BACHELOR_MASTER)
    assert answer.status_code == 200, answer.text
    app = answer.json()
    assert (app["status"], app["amount_fen"], app["currency"]) == ("paid", 3_000_000, "CNY")
    assert sorted((b["id_number_masked"], b["amount_fen"]) for b in app["beneficiaries"]) == [
        ("330102********0224", 2_000_000),
        ("330106********0111", 1_000_000),
    ]
    assert app["decision"]["policy_version"] == 1
    trace = {(t["subject"], t["clause"]): t for t in app["decision"]["trace"]}
    assert trace[("employee 330105********0356", "no_home")]["passed"] is False
    # the app sees which clause held, not the person's own facts; an operator sees more
    assert trace[("employee 330106********0111", "age")] == {
        "subject": "employee 330106********0111",
        "clause": "age",
        "requirement": "aged 35 or under on the application date",
        "requirement_zh": "申请之日年龄不超过35周岁",  # the pages' words
        "seen": None,
        "passed": True,
        "missing_from": None,  # HZ-PSB sent the birth date: known, and it passed
        "source": None,  # an app is not shown which record it was
        "commitment": None,  # no credit commitment stood for it: the data did
    }
    full = (await operator.get(f"/applications/{app['id']}")).json()["decision"]["trace"]
    assert {(t["subject"], t["clause"]): t["seen"] for t in full}[
        ("employee 330106********0111", "age")
    ] == 27
    assert "330106199904120111" not in answer.text, "ID numbers are masked"

    events = await events_for(platform, app["id"])
    assert len(events) == 1
    headers, data = events[0]
    assert data == data | {"uscc": PAID_BACHELOR_MASTER, "amount_fen": 3_000_000, "currency": "CNY"}
    assert headers["ce-type"] == "qinqing.payment.payout.completed.v1"
    assert headers["ce-specversion"] == "1.0"
    assert headers["Nats-Msg-Id"] == headers["ce-id"]

    after = (await operator.get("/ledger/balance")).json()
    assert after["balanced"]
    assert after["debits_fen"] == after["credits_fen"]
    # budget -> hold (reserve), hold -> enterprise (settle), enterprise -> bank clearing
    assert after["debits_fen"] - before["debits_fen"] == 3 * 3_000_000
    assert (await api.get(f"/applications/{app['id']}")).json() == app


@pytest.mark.parametrize(
    ("uscc", "reasons", "reasons_zh"),
    [
        (
            EMPLOYEE_RULES_FAIL,
            ["aged 35 or under", "bachelor's degree or higher"],
            ["申请之日年龄不超过35周岁", "本科及以上学历", "没有员工满足政策的全部条件。"],
        ),
        (GRADUATED_TOO_LONG_AGO, ["graduated within the last 5 years"], ["毕业5年以内"]),
        (
            BLACKLISTED,
            ["credit black list", "forged documents"],
            ["列入失信黑名单", "forged documents"],
        ),
        (
            REVOKED,
            ["must be active", "(seen: revoked)"],
            ["企业：企业处于存续状态", "（实际：revoked）"],
        ),
    ],
    ids=["employee-rules", "graduation", "black-list", "enterprise-status"],
)
async def test_rejections_say_why_in_english_and_chinese(
    api: httpx.AsyncClient, uscc: str, reasons: list[str], reasons_zh: list[str]
) -> None:
    answer = await apply(api, uscc)
    assert answer.status_code == 200, answer.text
    app = answer.json()
    assert (app["status"], app["amount_fen"], app["payout"]) == ("rejected", 0, None)
    said, said_zh = app["decision"]["reasons"], app["decision"]["reasons_zh"]
    assert len(said_zh) == len(said)  # one for one
    for fragment in reasons:
        assert fragment in " | ".join(said)
    for fragment in reasons_zh:
        assert fragment in " | ".join(said_zh)
    # an app is told which clause failed for an employee, not the employee's facts
    assert not [r for r in said if r.startswith("employee") and "seen" in r]
    assert not [r for r in said_zh if r.startswith("员工") and "实际" in r]


async def test_a_second_application_in_the_same_year_pays_nothing(
    api: httpx.AsyncClient, operator: httpx.AsyncClient
) -> None:
    first = (await apply(api, PAID_BACHELOR_MASTER)).json()
    assert first["status"] in ("paid", "rejected")
    budget = (await operator.get("/budgets/hz-rental-subsidy-2026")).json()
    second = (await apply(api, PAID_BACHELOR_MASTER)).json()
    assert (second["status"], second["amount_fen"]) == ("rejected", 0)
    assert any("at most 1 claim" in r for r in second["decision"]["reasons"])
    assert (await operator.get("/budgets/hz-rental-subsidy-2026")).json() == budget
    lookup = {"id_number": "330106199904120111"}
    claims = (await operator.post("/persons/claims", json=lookup)).json()
    assert [(c["year"], c["amount_fen"]) for c in claims] == [(2026, 1_000_000)]


async def test_one_key_sent_twenty_times_at_once_pays_once(
    api: httpx.AsyncClient, operator: httpx.AsyncClient, platform: Platform
) -> None:
    budget = (await operator.get("/budgets/hz-rental-subsidy-2026")).json()
    key = str(uuid.uuid4())
    answers = await asyncio.gather(*(apply(api, PAID_DOCTOR, key) for _ in range(20)))
    codes = sorted({a.status_code for a in answers})
    assert set(codes) <= {200, 409}, codes
    paid = [a.json() for a in answers if a.status_code == 200]
    assert paid
    assert len({p["id"] for p in paid}) == 1
    for _ in range(50):  # the in-flight ones answered 409: the key then replays the answer
        replay = await apply(api, PAID_DOCTOR, key)
        if replay.status_code == 200:
            break
        await asyncio.sleep(0.1)
    assert replay.json()["id"] == paid[0]["id"]
    assert replay.headers["Idempotency-Replayed"] == "true"
    after = (await operator.get("/budgets/hz-rental-subsidy-2026")).json()
    assert after["paid_fen"] - budget["paid_fen"] == 3_000_000
    assert len(await events_for(platform, paid[0]["id"])) == 1


def unregistered_uscc() -> str:
    body = "91330106MA2YYYYY9"
    return body + uscc_check_char(body)


@pytest.mark.parametrize(
    ("path", "body", "status", "problem"),
    [
        (POLICY, {"uscc": "91330106MA2H00014X"}, 422, "invalid-request"),
        (POLICY, {"uscc": "91330106MA2H0001"}, 422, "invalid-request"),
        (POLICY, {"uscc": unregistered_uscc()}, 403, "forbidden"),  # no grant from it
        (
            "/policies/no-such-policy/applications",
            {"uscc": PAID_BACHELOR_MASTER},
            404,
            "policy-not-found",
        ),
        (
            "/policies/no-such-policy/applications",
            {"uscc": unregistered_uscc()},
            403,
            "forbidden",
        ),
        (POLICY, "{not json", 422, "invalid-request"),
        (POLICY, {"enterprise": "x"}, 422, "invalid-request"),
    ],
    ids=[
        "uscc-check",
        "uscc-length",
        "unregistered",
        "unknown-policy",
        "unknown-policy-and-enterprise",
        "malformed-json",
        "unknown-field",
    ],
)
async def test_bad_input_gets_a_problem_answer(
    api: httpx.AsyncClient, path: str, body: Any, status: int, problem: str
) -> None:
    content = body if isinstance(body, str) else json.dumps(body)
    answer = await api.post(
        path,
        content=content,
        headers={"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"},
    )
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    details = answer.json()
    assert details["type"].endswith(problem)
    assert details["status"] == status
    assert details["detail"]


async def test_an_unregistered_enterprise_is_404_to_an_app_it_granted(platform: Platform) -> None:
    uscc = unregistered_uscc()
    platform.grant("load-app", [uscc])  # a grant names a USCC identity-svc does not know
    async with httpx.AsyncClient(
        base_url=platform.gateway_url + "/v1", timeout=30, auth=platform.auth("load-app")
    ) as http:
        answer = await apply(http, uscc)
    assert (answer.status_code, answer.json()["type"]) == (
        404,
        "urn:qinqing:problem:enterprise-not-found",
    )


@pytest.mark.parametrize(
    ("number", "fragment"),
    [("330106199904120112", "check character"), ("33010619990412011", "18 characters")],
)
async def test_a_bad_id_number_is_refused(
    operator: httpx.AsyncClient, number: str, fragment: str
) -> None:
    answer = await operator.post("/persons/claims", json={"id_number": number})
    assert answer.status_code == 422
    assert fragment in answer.json()["detail"]


async def test_idempotency_key_rules(api: httpx.AsyncClient) -> None:
    missing = await api.post(POLICY, json={"uscc": REVOKED})
    assert missing.status_code == 400
    assert missing.json()["type"].endswith("idempotency-key-missing")
    key = str(uuid.uuid4())
    assert (await apply(api, REVOKED, key)).status_code == 200
    reused = await apply(api, GRADUATED_TOO_LONG_AGO, key)
    assert reused.status_code == 422
    assert reused.json()["type"].endswith("idempotency-key-reused")


async def test_unknown_application_is_404(api: httpx.AsyncClient) -> None:
    answer = await api.get(f"/applications/{uuid.uuid4()}")
    assert answer.status_code == 404
    assert answer.json()["type"].endswith("application-not-found")


async def test_services_search_and_stats(api: httpx.AsyncClient) -> None:
    page = (await api.get("/services", params={"district": "330106", "page_size": 5})).json()
    assert page["total"] >= 1
    assert all(s["district_code"] == "330106" for s in page["items"])
    subsidies = (
        await api.get("/services", params={"kind": "subsidy", "page": 2, "page_size": 10})
    ).json()
    assert subsidies["page"] == 2
    assert len(subsidies["items"]) == 10
    bad = await api.get("/services", params={"page": 0})
    assert bad.status_code == 422
    await apply(api, PAID_BACHELOR_MASTER)
    for _ in range(50):
        stats = (await api.get("/stats")).json()
        if stats["cash_transactions"] >= 1:
            break
        await asyncio.sleep(0.2)
    assert (stats["districts"], stats["departments"]) == (14, 53)
    assert stats["services"] >= 300
    assert stats["service_items"] > stats["subsidies"] > 0
    assert stats["cash_transactions"] >= 1
    assert stats["cash_paid_fen"] >= 3_000_000
    # the rental policy is HRSS's; the golden enterprise is registered in Xihu (330106)
    departments = {f["code"]: f for f in stats["by_department"]}
    districts = {f["code"]: f for f in stats["by_district"]}
    assert departments["HZ-HRSS"]["cash_paid_fen"] >= 3_000_000
    assert districts["330106"]["cash_paid_fen"] >= 3_000_000
