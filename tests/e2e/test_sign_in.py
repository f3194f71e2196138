"""People sign in for their enterprise: the authorization-code grant with PKCE."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import urllib.parse
import uuid

import httpx
import pytest

from qinqing_devtools import clients
from qinqing_devtools.platform import Platform

pytestmark = pytest.mark.e2e


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def person(platform: Platform, username: str) -> dict[str, str]:
    return next(p for p in clients.people(platform.var) if p["username"] == username)


async def sign_in(
    http: httpx.AsyncClient,
    challenge: str,
    username: str,
    password: str,
    client_id: str = "demo-app",
) -> httpx.Response:
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": clients.DEMO_REDIRECT,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "state": "xyz",
    }
    page = await http.get("/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    form = {k: v.replace("&amp;", "&") for k, v in hidden.items()}
    form |= {"username": username, "password": password}
    return await http.post("/oauth/authorize", data=form)


async def exchange(
    http: httpx.AsyncClient, platform: Platform, code: str, verifier: str
) -> httpx.Response:
    secret = platform.credentials("demo-app")["client_secret"]
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": clients.DEMO_REDIRECT,
        "code_verifier": verifier,
    }
    return await http.post("/oauth/token", data=form, auth=("demo-app", secret))


async def test_a_person_signs_in_and_the_app_acts_for_that_enterprise_only(
    platform: Platform,
) -> None:
    chen = person(platform, "chen.yu")
    verifier, challenge = pkce()
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        wrong = await sign_in(http, challenge, "chen.yu", "not-the-password")
        signed = await sign_in(http, challenge, "chen.yu", chen["password"])
        back = urllib.parse.urlparse(signed.headers["location"])
        code = urllib.parse.parse_qs(back.query)["code"][0]
        token = await exchange(http, platform, code, verifier)
        again = await exchange(http, platform, code, verifier)
        access = {"Authorization": f"Bearer {token.json()['access_token']}"}
        other = await http.post(
            "/v1/policies/hz-rental-subsidy-2026/applications",
            json={"uscc": clients.OTHER_ENTERPRISE},
            headers=access | {"Idempotency-Key": str(uuid.uuid4())},
        )
        grants = await http.get(f"/v1/enterprises/{clients.GOLDEN_ELIGIBLE}/grants", headers=access)
    assert wrong.status_code == 401 and 'role="alert"' in wrong.text
    assert signed.status_code == 302
    assert back.geturl().startswith(clients.DEMO_REDIRECT)
    assert urllib.parse.parse_qs(back.query)["state"] == ["xyz"]
    assert token.status_code == 200, token.text
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant"), "used once"
    assert other.status_code == 403, "a person acts for their own enterprise only"
    assert grants.status_code == 403, "the app was not given grants:write"


async def test_a_code_needs_its_verifier_and_a_registered_address(platform: Platform) -> None:
    chen = person(platform, "chen.yu")
    verifier, challenge = pkce()
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        signed = await sign_in(http, challenge, "chen.yu", chen["password"])
        code = urllib.parse.parse_qs(urllib.parse.urlparse(signed.headers["location"]).query)
        stolen = await exchange(http, platform, code["code"][0], pkce()[0])
        after = await exchange(http, platform, code["code"][0], verifier)
        lure = await http.get(
            "/oauth/authorize",
            params={
                "response_type": "code",
                "client_id": "demo-app",
                "redirect_uri": "https://attacker.example/cb",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        plain = await http.get(
            "/oauth/authorize",
            params={
                "response_type": "code",
                "client_id": "demo-app",
                "redirect_uri": clients.DEMO_REDIRECT,
                "code_challenge": challenge,
                "code_challenge_method": "plain",
            },
        )
    assert (stolen.status_code, stolen.json()["error"]) == (400, "invalid_grant")
    assert after.status_code == 400, "a wrong verifier burns the code"
    assert (lure.status_code, plain.status_code) == (400, 400)
    assert "attacker" not in lure.headers.get("location", "")


PUBLIC_APP = "public-app"  # a mobile app: no secret to keep


def code_of(signed: httpx.Response) -> str:
    return urllib.parse.parse_qs(urllib.parse.urlparse(signed.headers["location"]).query)["code"][0]


async def test_a_public_client_redeems_a_code_with_pkce_and_nothing_else(
    platform: Platform,
) -> None:
    platform.register(
        {
            "client_id": PUBLIC_APP,
            "kind": "app",
            "name": "A mobile app without a secret",
            "scopes": ["applications:read", "applications:write"],
            "redirect_uris": [clients.DEMO_REDIRECT],
            "public": True,
        }
    )
    chen = person(platform, "chen.yu")
    verifier, challenge = pkce()
    form = {
        "grant_type": "authorization_code",
        "client_id": PUBLIC_APP,
        "redirect_uri": clients.DEMO_REDIRECT,
    }
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        meta = (await http.get("/.well-known/oauth-authorization-server")).json()
        code = code_of(await sign_in(http, challenge, "chen.yu", chen["password"], PUBLIC_APP))
        without_verifier = await http.post("/oauth/token", data=form | {"code": code})
        code = code_of(await sign_in(http, challenge, "chen.yu", chen["password"], PUBLIC_APP))
        token = await http.post(
            "/oauth/token", data=form | {"code": code, "code_verifier": verifier}
        )
        machine = await http.post(
            "/oauth/token", data={"grant_type": "client_credentials", "client_id": PUBLIC_APP}
        )
        guessed = await http.post(
            "/oauth/token",
            data={"grant_type": "authorization_code", "client_id": "demo-app", "code": code},
        )
        access = token.json()["access_token"]
        revoked = await http.post("/oauth/revoke", data={"token": access, "client_id": PUBLIC_APP})
        after = await http.get(
            f"/v1/applications/{uuid.uuid4()}", headers={"Authorization": f"Bearer {access}"}
        )
    assert "none" in meta["token_endpoint_auth_methods_supported"]
    assert (without_verifier.status_code, without_verifier.json()["error"]) == (
        400,
        "invalid_grant",
    )
    assert token.status_code == 200, token.text
    assert sorted(token.json()["scope"].split()) == ["applications:read", "applications:write"]
    assert (machine.status_code, machine.json()["error"]) == (401, "invalid_client")
    assert (guessed.status_code, guessed.json()["error"]) == (401, "invalid_client")
    assert revoked.status_code == 200
    assert after.status_code == 401


async def test_only_the_platforms_console_may_ask_an_officer_for_a_departments_scopes(
    platform: Platform,
) -> None:
    officer = person(platform, "wang.fang")
    _, challenge = pkce()
    params = {
        "response_type": "code",
        "client_id": "demo-app",
        "redirect_uri": clients.DEMO_REDIRECT,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "scope": "policies:write",
    }
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        asked = await http.get("/oauth/authorize", params=params)
        # an officer signing in to a third-party app gives it nothing of the department
        signed = await sign_in(http, challenge, "wang.fang", officer["password"])
    assert asked.status_code == 400
    assert "The app asked for scopes a person cannot give it." in asked.text
    assert signed.status_code == 401
    assert "This account cannot give the app what it asked for." in signed.text
