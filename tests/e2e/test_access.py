"""The attacks of the access issue, reproduced against the running platform and refused.

Each test is one way in that used to work: paying out of payment-svc directly, replacing
a payee account, forging the bank's word, a credit verdict or a payout order, publishing
another department's policy, reading another's application, confirming ID numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519

from qinqing_devtools import chaos, clients, demo, feeds
from qinqing_devtools.platform import SERVICES, Platform
from qinqing_gateway.oauth.issuer import Grant, Issuer
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.auth.signing import Signer
from qinqing_shared.contracts import bank
from qinqing_shared.contracts.ingest import FactKind
from tests.e2e.conftest import LIMITED_APP

pytestmark = pytest.mark.e2e

POLICY = "hz-rental-subsidy-2026"
APPLY = f"/v1/policies/{POLICY}/applications"
PAID_DOCTOR = "91330105MA2H00057P"
BLACKLISTED = "91330110MA2H000307"


def golden_name(uscc: str) -> str:
    return str(next(e["name"] for e in demo.golden()["enterprises"] if e["uscc"] == uscc))


def token(platform: Platform, client_id: str, resource: str | None = None) -> str:
    secret = platform.credentials(client_id)["client_secret"]
    return clients.fetch_token(platform.gateway_url, client_id, secret, resource)


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def as_(platform: Platform, client_id: str) -> dict[str, str]:
    return bearer(token(platform, client_id))


def keys(platform: Platform, service: str, folder: str, algorithm: Any) -> KeyRing:
    return KeyRing(Path(platform.var) / "keys" / service / folder, algorithm)


def gateway_token(platform: Platform, audience: str) -> str:
    """What only the gateway holds: a service token of its own (made here from its key,
    as an insider who stole nothing else would)."""
    issuer = Issuer(platform.gateway_url, keys(platform, "gateway", "oauth", "RS256"))
    return issuer.issue(Grant("gateway", "service", (), audience), 300)


def payout_body(platform: Platform, amount: int, order_amount: int) -> dict[str, Any]:
    """A payout with an order truly signed by subsidy-svc and a payee signed by identity."""
    payee = {"bank": "Bank of Hangzhou", "account_no": "62170001330105"}
    identity = Signer("identity-svc", keys(platform, "identity-svc", "signing", "EdDSA"))
    subsidy = Signer("subsidy-svc", keys(platform, "subsidy-svc", "signing", "EdDSA"))
    application_id = str(uuid.uuid4())
    proof = identity.sign({"sub": PAID_DOCTOR, "payee": payee})
    order = subsidy.sign(
        {
            "sub": application_id,
            "policy_id": POLICY,
            "policy_version": 1,
            "uscc": PAID_DOCTOR,
            "amount_fen": order_amount,
            "currency": "CNY",
            "payee": proof,
        },
        audience="payment-svc",
    )
    return {
        "application_id": application_id,
        "policy_id": POLICY,
        "uscc": PAID_DOCTOR,
        "amount_fen": amount,
        "currency": "CNY",
        "payee": payee,
        "order": order,
    }


async def test_nobody_but_the_gateway_creates_payouts(platform: Platform) -> None:
    url = platform.url("payment-svc") + "/payouts"
    body = payout_body(platform, 100_000_000, 100_000_000)
    key = {"Idempotency-Key": str(uuid.uuid4())}
    async with httpx.AsyncClient(timeout=30) as http:
        anonymous = await http.post(url, json=body, headers=key)
        subsidy = await http.post(
            url, json=body, headers=key | bearer(token(platform, "subsidy-svc", "payment-svc"))
        )
        operator = await http.post(url, json=body, headers=key | as_(platform, "demo-operator"))
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    assert (subsidy.status_code, subsidy.json()["detail"]) == (
        403,
        "The service subsidy-svc may not call this route.",
    )
    assert operator.status_code == 403


async def test_a_payout_changed_by_one_fen_or_to_an_unsigned_account_is_refused(
    platform: Platform,
) -> None:
    url = platform.url("payment-svc") + "/payouts"
    headers = bearer(gateway_token(platform, "payment-svc"))
    one_fen_more = payout_body(platform, 1_000_001, 1_000_000)
    forged_payee = payout_body(platform, 1_000_000, 1_000_000)
    forged_payee["payee"] = {"bank": "Bank of Hangzhou", "account_no": "99990000111122"}
    stranger = ed25519.Ed25519PrivateKey.generate()
    self_signed = payout_body(platform, 1_000_000, 1_000_000)
    self_signed["order"] = jwt.encode(
        {
            "sub": self_signed["application_id"],
            "iss": "subsidy-svc",
            "aud": "payment-svc",
            "exp": int(time.time()) + 60,
            "iat": int(time.time()),
        },
        stranger,
        algorithm="EdDSA",
        headers={"kid": "forged", "typ": "qinqing-attestation+jwt"},
    )
    async with httpx.AsyncClient(timeout=30) as http:
        answers = [
            await http.post(url, json=b, headers=headers | {"Idempotency-Key": str(uuid.uuid4())})
            for b in (one_fen_more, forged_payee, self_signed)
        ]
    assert [(a.status_code, a.json()["type"].rsplit(":", 1)[1]) for a in answers] == [
        (422, "order-mismatch"),
        (422, "order-mismatch"),
        (422, "attestation-invalid"),
    ]
    assert answers[0].json()["detail"] == "These fields differ from the signed order: amount_fen."


async def test_only_the_gateway_with_credit_svc_s_verdict_approves(platform: Platform) -> None:
    """A verdict credit-svc did not sign cannot approve a black-listed enterprise, even
    with the policy and the profile exactly as their owners signed them."""
    async with httpx.AsyncClient(timeout=30) as http:
        policy = (await http.get(platform.url("catalog-svc") + f"/policies/{POLICY}")).json()
        profile = await http.get(
            platform.url("identity-svc") + f"/enterprises/{BLACKLISTED}/profile",
            headers=bearer(gateway_token(platform, "identity-svc")),
        )
        application_id = str(uuid.uuid4())
        verdict = {
            "id": "x",
            "application_id": application_id,
            "uscc": BLACKLISTED,
            "allowed": True,
            "fast_track": False,
            "reasons": [],
            "records": [],
        }
        body = {
            "application_id": application_id,
            "applied_on": "2026-09-01",
            "policy": policy,
            "enterprise": profile.json(),
            "credit": verdict,
        }
        url = platform.url("subsidy-svc") + "/applications"
        anonymous = await http.post(url, json=body)
        unsigned = await http.post(
            url, json=body, headers=bearer(gateway_token(platform, "subsidy-svc"))
        )
    assert anonymous.status_code == 401
    assert unsigned.status_code == 422
    assert unsigned.json()["type"] == "urn:qinqing:problem:attestation-invalid"
    assert unsigned.json()["detail"].startswith("The credit check")


async def test_the_bank_s_word_counts_only_signed_and_as_the_bank_s_own_status(
    platform: Platform,
) -> None:
    enterprise = chaos.pilot_enterprise(7001)  # one of this test's own
    await chaos.register(platform, [enterprise])
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=30, auth=platform.auth(chaos.LOAD_APP)
    ) as http:
        answer = await http.post(
            APPLY,
            json={"uscc": enterprise["uscc"]},
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    paid = answer.json()
    assert paid.get("status") == "paid", paid
    url = platform.url("payment-svc") + "/bank/confirmations"
    secret = clients.secret(Path(platform.var), "bank-webhook")
    lie = json.dumps(
        {
            "instruction_id": paid["payout"]["id"],
            "reference": None,
            "status": "failed",
            "reason": "reversed by an attacker",
        }
    ).encode()
    now = int(time.time())
    async with httpx.AsyncClient(timeout=30) as http:
        unsigned = await http.post(url, content=lie, headers={"Content-Type": "application/json"})
        wrong = await http.post(
            url,
            content=lie,
            headers={"X-Bank-Signature": bank.signature("not-the-secret", now, lie)},
        )
        signed = await http.post(
            url, content=lie, headers={"X-Bank-Signature": bank.signature(secret, now, lie)}
        )
    assert (unsigned.status_code, wrong.status_code) == (401, 401)
    assert signed.status_code == 200
    assert signed.json()["status"] == "completed", "the bank's own status wins over the callback"


def registration_of(uscc: str) -> dict[str, Any]:
    """Market regulation's registration record of a golden enterprise, as of today."""
    enterprise = next(e for e in demo.golden()["enterprises"] if e["uscc"] == uscc)
    record: dict[str, Any] = feeds.records([enterprise], dt.date.today())[FactKind.ENTERPRISE][0]
    return record


async def test_a_payee_account_changes_only_by_its_owner(platform: Platform) -> None:
    gateway = platform.gateway_url + "/v1/enterprises"
    own, other = clients.GOLDEN_ELIGIBLE, clients.OTHER_ENTERPRISE
    account = {"bank": "Bank of Hangzhou", "account_no": "62170009999999"}
    original = {"bank": "Bank of Hangzhou", "account_no": "62170001330106"}
    identity = platform.url("identity-svc")
    registration = registration_of(own) | {"record_id": "MSA-ACCESS-1"}
    registration["data"]["bank_account"] = account  # a registration record never moves it
    async with httpx.AsyncClient(timeout=30) as http:
        registered = await http.post(
            f"{identity}/facts/enterprise",
            json=registration,
            headers=as_(platform, "msa-department"),
        )
        profile = await http.get(
            f"{identity}/enterprises/{own}/profile",
            headers=bearer(gateway_token(platform, "identity-svc")),
        )
        by_app = await http.put(
            f"{gateway}/{own}/payee-account", json=account, headers=as_(platform, "demo-app")
        )
        by_other = await http.put(
            f"{gateway}/{other}/payee-account",
            json=account,
            headers=as_(platform, "demo-enterprise"),
        )
        by_hrss = await http.put(
            f"{gateway}/{own}/payee-account", json=account, headers=as_(platform, "hrss-department")
        )
        not_held = await http.put(
            f"{gateway}/{own}/payee-account", json=account, headers=as_(platform, "demo-enterprise")
        )
        someone_elses = await http.put(  # the other golden enterprise's account
            f"{gateway}/{own}/payee-account",
            json={"bank": "Bank of Hangzhou", "account_no": "62170002330108"},
            headers=as_(platform, "demo-enterprise"),
        )
        opened = await http.put(  # the bank opens the account for the enterprise
            platform.url("sandbox-bank") + f"/admin/accounts/{account['account_no']}",
            json={"holder_uscc": own, "holder_name": golden_name(own)},
            headers=as_(platform, "demo-operator"),
        )
        by_itself = await http.put(
            f"{gateway}/{own}/payee-account", json=account, headers=as_(platform, "demo-enterprise")
        )
        back_by_msa = await http.put(
            f"{gateway}/{own}/payee-account", json=original, headers=as_(platform, "msa-department")
        )
    assert (registered.status_code, registered.json()["outcome"]) == (200, "applied")
    assert profile.json()["bank_account"] == original
    assert by_app.status_code == 403
    assert by_other.status_code == 403
    assert by_hrss.status_code == 403
    assert (not_held.status_code, not_held.json()["detail"]) == (
        422,
        "Bank of Hangzhou says: no such account at this bank. Nothing was changed.",
    )
    assert (someone_elses.status_code, someone_elses.json()["type"]) == (
        422,
        "urn:qinqing:problem:payee-account-not-verified",
    )
    assert opened.status_code == 204
    assert (by_itself.status_code, by_itself.json()) == (200, account)
    assert (back_by_msa.status_code, back_by_msa.json()) == (200, original)


async def test_a_department_publishes_only_its_own_policies(platform: Platform) -> None:
    url = platform.url("catalog-svc") + f"/policies/{POLICY}"
    async with httpx.AsyncClient(timeout=30) as http:
        policy = (await http.get(url)).json()
        bigger = policy | {"version": policy["version"] + 1}
        anonymous = await http.put(url, json=bigger)
        app = await http.put(url, json=bigger, headers=as_(platform, "demo-app"))
        other = await http.put(url, json=bigger, headers=as_(platform, "msa-department"))
        # another department's code in the body does not make the policy its own
        taken = bigger | {"department_code": "HZ-MSA"}
        hijack = await http.put(url, json=taken, headers=as_(platform, "msa-department"))
    assert (anonymous.status_code, app.status_code, other.status_code) == (401, 403, 403)
    assert other.json()["detail"] == "Only department HZ-HRSS writes this policy."
    assert (hijack.status_code, hijack.json()["detail"]) == (
        403,
        f"Policy {POLICY} belongs to department HZ-HRSS.",
    )


async def test_applications_are_seen_by_their_parties_only(
    api: httpx.AsyncClient, platform: Platform
) -> None:
    made = await api.post(
        APPLY.removeprefix("/v1"),
        json={"uscc": BLACKLISTED},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    path = platform.gateway_url + f"/v1/applications/{made.json()['id']}"
    async with httpx.AsyncClient(timeout=30) as http:
        seen = {
            who: (await http.get(path, headers=as_(platform, who))).status_code
            for who in ("demo-app", "other-app", "other-enterprise", "demo-operator")
        }
        anonymous = (await http.get(path)).status_code
    assert seen == {
        "demo-app": 200,
        "other-app": 404,
        "other-enterprise": 404,
        "demo-operator": 200,
    }
    assert anonymous == 401


async def test_apps_act_only_with_a_grant_and_keys_are_per_client(platform: Platform) -> None:
    key = {"Idempotency-Key": str(uuid.uuid4())}
    body = {"uscc": BLACKLISTED}
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        first = await http.post(APPLY, json=body, headers=key | as_(platform, "demo-app"))
        stranger = await http.post(APPLY, json=body, headers=key | as_(platform, "other-app"))
    assert first.status_code == 200
    assert (stranger.status_code, stranger.json()["detail"]) == (
        403,
        f"Enterprise {BLACKLISTED} has not granted this app access.",
    )
    assert "Idempotency-Replayed" not in stranger.headers


async def test_an_enterprise_grants_and_revokes_an_app(platform: Platform) -> None:
    own = clients.GOLDEN_ELIGIBLE
    grants = f"/v1/enterprises/{own}/grants/other-app"
    enterprise = as_(platform, "demo-enterprise")
    app = as_(platform, "other-app")
    body = {"uscc": own}
    # a policy that does not exist: past the grant check it is 404, and nothing is paid
    apply = "/v1/policies/no-such-policy/applications"
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        before = await http.post(apply, json=body, headers=app | {"Idempotency-Key": "g1"})
        granted = await http.put(grants, headers=enterprise)
        listed = (await http.get(f"/v1/enterprises/{own}/grants", headers=enterprise)).json()
        during = await http.post(apply, json=body, headers=app | {"Idempotency-Key": "g2"})
        revoked = await http.delete(grants, headers=enterprise)
        after = await http.post(apply, json=body, headers=app | {"Idempotency-Key": "g3"})
        not_theirs = await http.put(
            f"/v1/enterprises/{clients.OTHER_ENTERPRISE}/grants/other-app", headers=enterprise
        )
    assert [before.status_code, granted.status_code, during.status_code] == [403, 204, 404]
    assert "other-app" in [g["client_id"] for g in listed]
    assert [revoked.status_code, after.status_code, not_theirs.status_code] == [204, 403, 403]


async def test_id_numbers_are_looked_up_in_a_body_by_operators_only(platform: Platform) -> None:
    number = {"id_number": "330106199904120111"}
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        in_path = await http.get(
            "/v1/persons/330106199904120111/claims", headers=as_(platform, "demo-operator")
        )
        app = await http.post("/v1/persons/claims", json=number, headers=as_(platform, "demo-app"))
        operator = await http.post(
            "/v1/persons/claims", json=number, headers=as_(platform, "demo-operator")
        )
    assert in_path.status_code == 404
    assert app.status_code == 403
    assert operator.status_code == 200
    assert "330106199904120111" not in operator.text


async def test_tokens_come_from_the_token_endpoint_only(platform: Platform) -> None:
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        meta = (await http.get("/.well-known/oauth-authorization-server")).json()
        wrong = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials"},
            auth=("demo-app", "not-the-secret"),
        )
        more = await http.post(
            "/oauth/token",
            data={"grant_type": "client_credentials", "scope": "persons:read"},
            auth=("demo-app", platform.credentials("demo-app")["client_secret"]),
        )
        forged = jwt.encode(
            {"iss": platform.gateway_url, "sub": "x"}, "k" * 32, "HS256", headers={"typ": "at+jwt"}
        )
        with_forged = await http.get("/v1/ledger/balance", headers=bearer(forged))
    assert meta["token_endpoint"] == platform.gateway_url + "/oauth/token"
    assert (wrong.status_code, wrong.json()["error"]) == (401, "invalid_client")
    assert (more.status_code, more.json()["error"]) == (400, "invalid_scope")
    assert with_forged.status_code == 401


async def test_a_revoked_token_is_refused_at_once(platform: Platform) -> None:
    secret = platform.credentials("demo-operator")["client_secret"]
    access = token(platform, "demo-operator")
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        before = await http.get("/v1/ledger/balance", headers=bearer(access))
        revoked = await http.post(
            "/oauth/revoke", data={"token": access}, auth=("demo-operator", secret)
        )
        after = await http.get("/v1/ledger/balance", headers=bearer(access))
    assert (before.status_code, revoked.status_code, after.status_code) == (200, 200, 401)


async def test_a_client_over_its_quota_is_told_when_to_come_back(platform: Platform) -> None:
    secret = "a-secret-of-the-limited-app-" + uuid.uuid4().hex
    platform.register(
        {
            "client_id": LIMITED_APP,
            "client_secret": secret,
            "kind": "app",
            "name": "An app with a quota of 5 a minute",
            "scopes": ["applications:read"],
        }
    )
    access = clients.fetch_token(platform.gateway_url, LIMITED_APP, secret)
    path = f"/v1/applications/{uuid.uuid4()}"
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        answers = [await http.get(path, headers=bearer(access)) for _ in range(6)]
    assert [a.status_code for a in answers] == [404] * 5 + [429]
    assert answers[-1].headers["content-type"] == "application/problem+json"
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
async def test_every_service_refuses_a_request_head_over_16_kib(
    platform: Platform, service: str
) -> None:
    async with httpx.AsyncClient(base_url=platform.url(service), timeout=30) as http:
        answer = await http.get("/healthz", headers={"X-Padding": "a" * 17_000})
        fits = await http.get("/healthz", headers={"X-Padding": "a" * 15_000})
    assert answer.status_code == 431
    assert answer.json()["type"] == "urn:qinqing:problem:headers-too-large"
    assert fits.status_code == 200


async def test_texts_no_ascii_comparison_can_take_are_refused_not_a_server_error(
    platform: Platform,
) -> None:
    """Signatures, form tokens and numbers compared by what the caller sent: a
    non-ASCII text (or a digit that is not 0-9) is a refusal, never a 500."""
    now = int(time.time())
    odd = f"t={now},v1=é".encode("latin-1")  # a header's bytes, as any client may send
    async with httpx.AsyncClient(timeout=30) as http:
        bank_said = await http.post(
            platform.url("payment-svc") + "/bank/confirmations",
            content=b"{}",
            headers={"X-Bank-Signature": odd},
        )
        signed_in = await http.post(
            platform.gateway_url + "/oauth/authorize",
            data={"client_id": "demo-app", "issued": "²", "form_signature": "é"},
        )
    assert bank_said.status_code == 401
    assert signed_in.status_code == 400
