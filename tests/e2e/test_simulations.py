"""What a policy would decide, without applying or paying: on made-up facts, and on a
real enterprise (whose employees' claims this year count), for those allowed to ask."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.demo import rental_policy
from qinqing_devtools.platform import Platform
from tests.e2e import pilots
from tests.e2e.test_access import bearer, gateway_token

pytestmark = pytest.mark.e2e

SIMULATE = "/v1/policies/hz-rental-subsidy-2026/simulations"
BUDGET = "/v1/budgets/hz-rental-subsidy-2026"


async def as_client(
    platform: Platform, client_id: str, method: str, path: str, **kw: Any
) -> httpx.Response:
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=60, auth=platform.auth(client_id)
    ) as http:
        return await http.request(method, path, **kw)


async def test_made_up_facts_are_decided_as_given_and_pay_nothing(platform: Platform) -> None:
    facts = chaos.pilot_enterprise(5701)  # never registered: made up
    before = (await as_client(platform, "demo-operator", "GET", BUDGET)).json()
    answer = await as_client(platform, "demo-app", "POST", SIMULATE, json={"enterprise": facts})
    after = (await as_client(platform, "demo-operator", "GET", BUDGET)).json()
    assert answer.status_code == 200, answer.text
    simulation = answer.json()
    assert (simulation["eligible"], simulation["real_enterprise"]) == (True, False)
    assert simulation["amount_fen"] == chaos.PILOT_AMOUNT
    assert simulation["trace"][0]["seen"] is not None, "the caller's own facts are shown"
    assert after == before, "a simulation reserves and pays nothing"


async def test_a_real_enterprise_counts_its_claims_and_needs_a_right(platform: Platform) -> None:
    body = await pilots.registered(platform, 5702)  # grants the load app
    ask = {"uscc": body["uscc"]}
    first = await as_client(platform, chaos.LOAD_APP, "POST", SIMULATE, json=ask)
    stranger = await as_client(platform, "other-app", "POST", SIMULATE, json=ask)
    department = await as_client(platform, "hrss-department", "POST", SIMULATE, json=ask)
    paid = await pilots.final_answer(platform, body["uscc"])
    again = await as_client(platform, "demo-operator", "POST", SIMULATE, json=ask)
    assert first.status_code == 200, first.text
    assert (first.json()["eligible"], first.json()["real_enterprise"]) == (True, True)
    assert all(
        t["seen"] is None for t in first.json()["trace"] if t["subject"].startswith("employee")
    )
    assert (stranger.status_code, department.status_code) == (403, 403)
    assert paid["status"] == "paid"
    assert again.json()["eligible"] is False, "this year's claim counts"
    assert any("claim" in r for r in again.json()["reasons"]), again.json()["reasons"]


async def test_a_simulation_names_one_enterprise(platform: Platform) -> None:
    facts = chaos.pilot_enterprise(5703)
    both = await as_client(
        platform, "demo-app", "POST", SIMULATE, json={"uscc": facts["uscc"], "enterprise": facts}
    )
    neither = await as_client(platform, "demo-app", "POST", SIMULATE, json={})
    assert (both.status_code, neither.status_code) == (422, 422)
    assert "name a real enterprise" in neither.json()["detail"]


PREVIEWED = "hz-previewed-rental-2026"


async def test_a_department_previews_its_own_draft_on_made_up_facts(platform: Platform) -> None:
    draft = rental_policy() | {
        "id": PREVIEWED,
        "name": "Previewed rental subsidy",
        "version": 1,
        "rules": rental_policy()["rules"]
        | {
            "amount": {
                "by": "person.degree",
                "amounts_fen": {"bachelor": 777_700},
                "max_fen_per_enterprise": 500_000,  # the draft caps what one enterprise gets
            }
        },
    }
    catalog = f"{platform.url('catalog-svc')}/policies/{PREVIEWED}/drafts"
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("hrss-department")) as hrss:
        assert (await hrss.post(catalog, json=draft)).status_code == 201
    facts = chaos.pilot_enterprise(5704)  # never registered: made up
    path, ask = f"/v1/policies/{PREVIEWED}/simulations", {"enterprise": facts, "draft": 1}
    own = await as_client(platform, "hrss-department", "POST", path, json=ask)
    other = await as_client(platform, "msa-department", "POST", path, json=ask)
    app = await as_client(platform, "demo-app", "POST", path, json=ask)
    missing = await as_client(platform, "hrss-department", "POST", path, json=ask | {"draft": 2})
    real = await as_client(
        platform, "hrss-department", "POST", path, json={"uscc": facts["uscc"], "draft": 1}
    )
    assert own.status_code == 200, own.text
    assert (own.json()["policy_version"], own.json()["amount_fen"]) == (1, 500_000)
    assert [t["seen"] for t in own.json()["trace"] if t["clause"] == "cap"] == ["777700"]
    assert own.json()["real_enterprise"] is False
    assert (other.status_code, other.json()["type"]) == (404, "urn:qinqing:problem:draft-not-found")
    assert app.status_code == 403
    assert missing.status_code == 404
    assert real.status_code == 422  # a draft is decided on made-up facts only


async def test_subsidy_svc_decides_a_real_enterprise_on_a_signed_policy_only(
    platform: Platform,
) -> None:
    body = await pilots.registered(platform, 5705)
    identity = bearer(gateway_token(platform, "identity-svc"))
    subsidy = bearer(gateway_token(platform, "subsidy-svc"))
    async with httpx.AsyncClient(timeout=30) as http:
        profile = await http.get(
            f"{platform.url('identity-svc')}/enterprises/{body['uscc']}/profile",
            headers=identity | {"X-On-Behalf-Of": "gateway"},
        )
        unsigned = rental_policy() | {"rules": rental_policy()["rules"]}  # no attestation
        asked = {"on": "2026-09-01", "policy": unsigned, "enterprise": profile.json()}
        answer = await http.post(
            f"{platform.url('subsidy-svc')}/simulations", json=asked, headers=subsidy
        )
    assert profile.status_code == 200
    assert answer.status_code == 422, answer.text
