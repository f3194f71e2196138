"""Tokens of the city's own OpenID Connect provider, trusted beside the platform's own.

The platform finds the provider's keys through its discovery document and takes its
tokens for outside callers, but never lets it speak for a platform service, and never
beyond the scopes its kind of caller may hold.
"""

from __future__ import annotations

import httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from qinqing_devtools.platform import Platform
from qinqing_shared.auth.scopes import APPLICATIONS_READ, KIND_SCOPES, OPERATIONS_READ
from tests.support.oidc import CityIdentityProvider

pytestmark = pytest.mark.e2e


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_an_operator_signed_in_at_the_city_provider_reads_operations(
    platform: Platform, city_idp: CityIdentityProvider
) -> None:
    token = city_idp.mint("operator", sorted(KIND_SCOPES["operator"]))
    async with httpx.AsyncClient(timeout=30, headers=bearer(token)) as http:
        ledger = await http.get(platform.gateway_url + "/v1/ledger/balance")
        outbox = await http.get(platform.url("payment-svc") + "/outbox")
    assert (ledger.status_code, outbox.status_code) == (200, 200)
    assert set(ledger.json()) >= {"balanced"}


async def test_the_city_provider_gives_no_scope_beyond_the_caller_s_kind(
    platform: Platform, city_idp: CityIdentityProvider
) -> None:
    token = city_idp.mint("app", [APPLICATIONS_READ, OPERATIONS_READ])
    async with httpx.AsyncClient(timeout=30, headers=bearer(token)) as http:
        ledger = await http.get(platform.gateway_url + "/v1/ledger/balance")
    assert ledger.status_code == 403
    assert ledger.json()["detail"] == f"This route needs {OPERATIONS_READ}."


async def test_the_city_provider_never_speaks_for_a_platform_service(
    platform: Platform, city_idp: CityIdentityProvider
) -> None:
    token = city_idp.mint("service", [], audience="payment-svc", client_id="gateway")
    async with httpx.AsyncClient(timeout=30, headers=bearer(token)) as http:
        payout = await http.post(platform.url("payment-svc") + "/payouts", json={})
    assert payout.status_code == 401
    assert "does not issue the platform services' tokens" in payout.json()["detail"]


async def test_a_token_signed_with_a_key_the_provider_never_published_is_refused(
    platform: Platform, city_idp: CityIdentityProvider
) -> None:
    stolen = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = city_idp.mint("operator", sorted(KIND_SCOPES["operator"]), key=stolen)
    async with httpx.AsyncClient(timeout=30, headers=bearer(token)) as http:
        ledger = await http.get(platform.gateway_url + "/v1/ledger/balance")
    assert ledger.status_code == 401
    assert ledger.json()["detail"] == (
        "The access token is not accepted: Signature verification failed."
    )
