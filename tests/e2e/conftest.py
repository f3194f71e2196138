"""The whole platform as real processes: NATS, six services, migrated and seeded."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import BANK, SERVICES, Platform, drop_databases
from tests.support.oidc import CityIdentityProvider
from tests.support.otlp import OtlpReceiver
from tests.support.servers import free_port, unique_suffix

BUSINESS_DATE = "2026-09-01"
LIMITED_APP = "limited-app"  # an app with a quota of 5 requests a minute (test_access)
DOMAINS = ["identity", "catalog", "subsidy", "credit", "payment"]
CLOCK_SHIFT = "catalog-clock-shift"  # seconds catalog-svc's clock runs ahead
# the pilot enterprises the tests take: the budget race's 200, then each test's own
PILOTS = [*range(200), *range(5000, 9000)]


@pytest.fixture(scope="session")
def city_idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CityIdentityProvider]:
    """The city's own OpenID Connect provider, which the platform trusts beside its own."""
    provider = CityIdentityProvider(Path(tmp_path_factory.mktemp("city-idp")))
    provider.start()
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture(scope="session")
def otlp() -> Iterator[OtlpReceiver]:
    """Where every process of the platform exports its spans (tracing on, as a site
    with an OpenTelemetry collector runs it)."""
    receiver = OtlpReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()


@pytest.fixture(scope="session")
def platform(
    database_server: str | None,
    tmp_path_factory: pytest.TempPathFactory,
    city_idp: CityIdentityProvider,
    otlp: OtlpReceiver,
) -> Iterator[Platform]:
    """The platform with a NATS of its own, with its users (chaos kills it), trusting
    the city's identity provider for outside callers' tokens, exporting its traces."""
    nats_url = f"nats://127.0.0.1:{free_port()}"
    suffix = unique_suffix()
    var = Path(tmp_path_factory.mktemp("platform"))
    running = Platform(
        var=var,
        nats_url=nats_url,
        database_server=database_server,
        database_suffix=suffix,
        ports={s.name: free_port() for s in SERVICES} | {BANK: free_port()},
        enterprises=200,
        extra_env={
            "GATEWAY_BUSINESS_DATE": BUSINESS_DATE,
            "SANDBOX_BANK_DEV_ROUTES": "true",  # the bank's fault modes
            # the operator reads and polls for every test of the session: one quota
            # shared by all of them ran out once (a 429 where a test read a list)
            "GATEWAY_CLIENT_RATE_LIMITS": json.dumps(
                {
                    "load-app": "1000000/minute",
                    "demo-operator": "1000000/minute",
                    LIMITED_APP: "5/minute",
                }
            ),
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": otlp.endpoint,
            "OTEL_BSP_SCHEDULE_DELAY": "100",  # ms: spans reach the receiver at once
            "GATEWAY_SWEEP_SECONDS": "1",
            # due work polled twice a second: a commitment is verified within a second of
            # the department's fact (its recheck period stays an hour: the fact's event
            # makes it due, tests/e2e/test_commitments.py)
            "GATEWAY_JOBS_POLL_SECONDS": "0.5",
            # webhooks to the tests' own receivers on loopback, tried quickly
            "GATEWAY_WEBHOOKS_ALLOW_PRIVATE": "true",
            "GATEWAY_WEBHOOK_POLL_SECONDS": "0.1",
            "GATEWAY_WEBHOOK_BACKOFF_SECONDS": "[0.2, 0.3, 0.5]",
            "GATEWAY_WEBHOOK_MAX_ATTEMPTS": "4",
            "GATEWAY_STALE_SECONDS": "3",
            "GATEWAY_IDEMPOTENCY_LEASE_SECONDS": "5",
            "PAYMENT_IDEMPOTENCY_LEASE_SECONDS": "5",
            "PAYMENT_RESOLVE_EVERY_SECONDS": "1",
            "PAYMENT_RESOLVE_AFTER_SECONDS": "2",
            # requests' time limits run out when a test moves catalog-svc's clock
            # forward (tests/e2e/test_interaction.py); its due work polled twice a second
            "CATALOG_CLOCK_SHIFT_FILE": str(var / CLOCK_SHIFT),
            "CATALOG_JOBS_POLL_SECONDS": "0.5",
            # a retired signing key stops verifying within 2 s (test_keys)
            **{f"{s.prefix}_JWKS_MAX_AGE_SECONDS": "2" for s in SERVICES},
            **{f"{s.prefix}_EXTERNAL_ISSUER": city_idp.issuer for s in SERVICES},
        },
    )
    try:
        running.start()
        # the load app may act for every pilot the tests take (tests/e2e/pilots.py), granted
        # in one run of the gateway's command rather than one per test
        running.grant(chaos.LOAD_APP, [chaos.pilot_enterprise(n)["uscc"] for n in PILOTS])
        yield running
    finally:
        running.stop()
        if database_server:
            asyncio.run(drop_databases(database_server, suffix))


@pytest.fixture
async def api(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway's /v1 as the demo app (it holds grants for the golden enterprises)."""
    auth = platform.auth("demo-app")
    base = platform.gateway_url + "/v1"
    async with httpx.AsyncClient(base_url=base, timeout=30, auth=auth) as client:
        yield client


@pytest.fixture
async def operator(platform: Platform) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway's /v1 as the platform's operator."""
    auth = platform.auth("demo-operator")
    base = platform.gateway_url + "/v1"
    async with httpx.AsyncClient(base_url=base, timeout=30, auth=auth) as client:
        yield client
