"""The access rule every route declares, on a route of its own with real tokens: who
gets 401, 403, 429 or 503, and with what words; and what the gateway lets each kind of
caller read."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

import httpx
import pytest
from fastapi import FastAPI

from qinqing_gateway.access import as_seen_by, ensure_may_act_for, may_read, public_reasons
from qinqing_gateway.models import Flow
from qinqing_gateway.oauth.issuer import Grant
from qinqing_gateway.receipts import sources_of
from qinqing_shared.auth.guard import allow
from qinqing_shared.auth.jwks import JwksUnavailable
from qinqing_shared.auth.scopes import API_AUDIENCE, OPERATIONS_READ, POLICIES_WRITE
from qinqing_shared.auth.tokens import Caller, TokenVerifier
from qinqing_shared.problems import Problem, install_problem_handlers
from qinqing_shared.ratelimit import RateLimits
from qinqing_shared.uow import Units
from tests.service.auth_support import (
    as_department,
    as_gateway,
    as_operator,
    bearer,
    trust_test_issuer,
)

USCC = "91330106MA2H00014Q"


def guarded_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.state.verifier = TokenVerifier({}, [API_AUDIENCE, "payment-svc"])
    trust_test_issuer(app)

    @app.get("/budgets")
    async def budgets(
        caller: Caller = allow(scopes=(OPERATIONS_READ, POLICIES_WRITE), services=("gateway",)),
    ) -> dict[str, str]:
        return {"client_id": caller.client_id, "kind": caller.kind}

    @app.get("/internal")
    async def internal(caller: Caller = allow()) -> dict[str, str]:
        return {"client_id": caller.client_id}

    return app


@pytest.fixture
def app() -> FastAPI:
    return guarded_app()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
        yield http


TITLES = {
    401: "Authentication required",
    403: "Not allowed",
    429: "Too many requests",
    503: "Token cannot be checked yet",
}


def problem_of(answer: httpx.Response) -> tuple[int, str, str]:
    body = answer.json()
    assert body["title"] == TITLES[answer.status_code]
    return answer.status_code, body["type"].rsplit(":", 1)[-1], body["detail"]


async def test_no_token_is_401_with_a_challenge(client: httpx.AsyncClient) -> None:
    answer = await client.get("/budgets")
    assert problem_of(answer) == (
        401,
        "unauthenticated",
        "Send an access token: Authorization: Bearer <token>.",
    )
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="qinqing"'


async def test_a_token_that_does_not_verify_is_401_invalid_token(
    client: httpx.AsyncClient,
) -> None:
    answer = await client.get("/budgets", headers={"Authorization": "Bearer not-a-jwt"})
    assert problem_of(answer) == (
        401,
        "unauthenticated",
        "The access token is not accepted: not a JWT.",
    )
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="qinqing", error="invalid_token"'


async def test_a_caller_with_one_of_the_scopes_is_admitted(client: httpx.AsyncClient) -> None:
    operator = await client.get("/budgets", headers=as_operator())
    assert operator.json() == {"client_id": "test-operator", "kind": "operator"}
    department = await client.get("/budgets", headers=as_department("HZ-HRSS"))
    assert department.json() == {"client_id": "test-HZ-HRSS", "kind": "department"}


async def test_a_caller_without_the_scope_is_403_naming_what_it_needs(
    client: httpx.AsyncClient,
) -> None:
    app_token = bearer(Grant("some-app", "app", ("applications:write",), API_AUDIENCE))
    answer = await client.get("/budgets", headers=app_token)
    assert problem_of(answer) == (
        403,
        "forbidden",
        "This route needs operations:read or policies:write.",
    )
    internal = await client.get("/internal", headers=as_operator())
    assert problem_of(internal) == (403, "forbidden", "This route needs a service's token.")


async def test_only_the_named_services_are_admitted(client: httpx.AsyncClient) -> None:
    gateway = await client.get("/budgets", headers=as_gateway("payment-svc"))
    assert gateway.json() == {"client_id": "gateway", "kind": "service"}
    other = bearer(Grant("credit-svc", "service", (), "payment-svc"))
    answer = await client.get("/budgets", headers=other)
    assert problem_of(answer) == (
        403,
        "forbidden",
        "The service credit-svc may not call this route.",
    )


async def test_a_revoked_token_is_401(app: FastAPI, client: httpx.AsyncClient) -> None:
    seen: list[str] = []

    async def revoked(caller: Caller) -> bool:
        seen.append(caller.client_id)
        return caller.client_id == "test-operator"

    app.state.revoked = revoked
    answer = await client.get("/budgets", headers=as_operator())
    assert problem_of(answer) == (401, "unauthenticated", "The access token has been revoked.")
    assert answer.headers["WWW-Authenticate"] == 'Bearer realm="qinqing", error="invalid_token"'
    assert (await client.get("/budgets", headers=as_department("HZ-HRSS"))).status_code == 200
    assert seen == ["test-operator", "test-HZ-HRSS"]


async def test_callers_are_counted_against_their_own_limit_services_are_not(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.state.rate_limits = RateLimits("2/minute", "2/minute", {"test-HZ-HRSS": "1/minute"})
    for _ in range(2):
        assert (await client.get("/budgets", headers=as_operator())).status_code == 200
    spent = await client.get("/budgets", headers=as_operator())
    assert problem_of(spent) == (
        429,
        "rate-limited",
        "This client may make 2 per 1 minute requests; retry after the time given.",
    )
    assert (await client.get("/budgets", headers=as_department("HZ-HRSS"))).status_code == 200
    assert (await client.get("/budgets", headers=as_department("HZ-HRSS"))).status_code == 429
    for _ in range(3):
        assert (await client.get("/budgets", headers=as_gateway("payment-svc"))).status_code == 200


class Restarting:
    async def verify(self, token: str) -> Caller:
        raise JwksUnavailable("the issuer is restarting")


async def test_an_issuer_that_cannot_be_asked_is_503_retry(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    app.state.verifier = Restarting()
    answer = await client.get("/budgets", headers=as_operator())
    assert problem_of(answer) == (503, "issuer-unavailable", "Retry shortly.")
    assert answer.headers["Retry-After"] == "2"


# --- what the gateway lets each caller do and read ---------------------------------


def caller(kind: str, client_id: str = "c-1", uscc: str | None = None) -> Caller:
    return Caller(client_id=client_id, kind=kind, scopes=frozenset(), uscc=uscc)  # type: ignore[arg-type]


def flow(client_id: str = "app-1", uscc: str = USCC) -> Flow:
    return Flow(application_id="a-1", client_id=client_id, uscc=uscc)


@pytest.mark.parametrize(
    ("who", "readable"),
    [
        (caller("operator"), True),
        (caller("enterprise", uscc=USCC), True),
        (caller("enterprise", uscc="91330108MA2H00022G"), False),
        (caller("app", "app-1"), True),
        (caller("app", "app-2"), False),
        (caller("department", "app-1"), False),
        (caller("service", "app-1"), False),
    ],
)
def test_an_application_is_read_by_its_app_its_enterprise_and_operators(
    who: Caller, readable: bool
) -> None:
    assert may_read(who, flow()) is readable


async def test_an_enterprise_acts_for_itself_only() -> None:
    units = cast(Units, None)  # these callers never reach the grant registry
    await ensure_may_act_for(units, caller("enterprise", uscc=USCC), USCC)
    for who, detail in [
        (
            caller("enterprise", uscc="91330108MA2H00022G"),
            f"This caller may not act for enterprise {USCC}.",
        ),
        (caller("operator"), f"This caller may not act for enterprise {USCC}."),
    ]:
        with pytest.raises(Problem) as refused:
            await ensure_may_act_for(units, who, USCC)
        assert (refused.value.status, refused.value.detail) == (403, detail)


VIEW = {
    "status": "rejected",
    "decision": {
        "reasons": [
            "employee 330106********0111: aged 35 or under on the application date (seen: 36)",
            "enterprise: enterprise must be active (seen: revoked)",
        ],
        "trace": [
            {
                "subject": "employee 330106********0111",
                "clause": "age",
                "seen": 36,
                "source": "HZ-PSB record P-1, as of 2026-10-31",
            },
            {
                "subject": "enterprise",
                "clause": "active",
                "seen": "revoked",
                "source": "HZ-MSA record E-1, as of 2026-10-31",
            },
        ],
    },
}


def test_an_app_reads_outcomes_never_a_person_s_own_facts() -> None:
    seen = as_seen_by(caller("app"), VIEW)
    assert seen["decision"]["reasons"] == [
        "employee 330106********0111: aged 35 or under on the application date",
        "enterprise: enterprise must be active (seen: revoked)",
    ]
    assert seen["decision"]["trace"] == [
        {"subject": "employee 330106********0111", "clause": "age", "seen": None, "source": None},
        VIEW["decision"]["trace"][1],  # type: ignore[index]
    ]
    assert seen["status"] == "rejected"


def test_the_enterprise_itself_and_operators_read_everything() -> None:
    assert as_seen_by(caller("enterprise", uscc=USCC), VIEW) == VIEW
    assert as_seen_by(caller("operator"), VIEW) == VIEW
    assert as_seen_by(caller("app"), {"status": "processing", "decision": None}) == {
        "status": "processing",
        "decision": None,
    }


def test_an_app_reads_a_decision_without_trace_or_reasons_as_it_is() -> None:
    bare = {"status": "paid", "decision": {"outcome": "approved"}}
    assert as_seen_by(caller("app"), bare) == {
        "status": "paid",
        "decision": {"outcome": "approved", "trace": [], "reasons": []},
    }


def test_public_reasons_keep_the_words_and_drop_a_person_s_values() -> None:
    assert public_reasons(["employee x: m (seen: 7)", "policy: in force (seen: 2027-01-02)"]) == [
        "employee x: m",
        "policy: in force (seen: 2027-01-02)",
    ]


def test_public_reasons_in_chinese_drop_a_person_s_values_too() -> None:
    said = ["员工 3301***1234：年龄不超过35周岁（实际：36）", "政策：有效期（实际：2027-01-02）"]
    assert public_reasons(said) == ["员工 3301***1234：年龄不超过35周岁", said[1]]


def test_an_app_reads_the_chinese_reasons_without_a_person_s_values() -> None:
    view = {"decision": {"reasons": [], "reasons_zh": ["员工 x：条件（实际：是）"], "trace": []}}
    assert as_seen_by(caller("app"), view)["decision"]["reasons_zh"] == ["员工 x：条件"]


def test_a_receipt_names_each_department_and_date_once_never_a_record() -> None:
    trace = [
        {"source": "HZ-HOU record H-1, as of 2026-10-31"},
        {"source": "HZ-HOU record H-2, as of 2026-10-31"},
        {"source": "HZ-PSB record P/1, as of 2026-01-02"},
        {"source": "HZ-PSB record P-9, as of 2025-12-30"},
        {"source": None},
        {"source": "not a citation"},
        {},
    ]
    assert sources_of(trace) == [
        {"department": "HZ-HOU", "as_of": "2026-10-31"},
        {"department": "HZ-PSB", "as_of": "2025-12-30"},
        {"department": "HZ-PSB", "as_of": "2026-01-02"},
    ]
