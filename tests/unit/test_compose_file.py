"""The compose stack's promises that its file alone decides (deploy/compose.yaml); make
compose-test runs it for real, and docker-compose validates it there."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from qinqing_devtools import clients, stack
from qinqing_devtools.platform import BANK, SERVICES
from qinqing_shared.auth import scopes

ROOT = Path(__file__).resolve().parents[2]
ONE_SHOT = {"setup", "migrate", "feed"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "deploy/compose.yaml").read_text())
    return loaded


def test_every_process_of_the_platform_is_a_service_of_the_stack(
    compose: dict[str, Any],
) -> None:
    expected = {s.name for s in SERVICES} | {BANK, "postgres", "nats", "prometheus"} | ONE_SHOT
    assert set(compose["services"]) == expected


def test_only_the_gateway_nats_and_prometheus_are_published_and_only_on_loopback(
    compose: dict[str, Any],
) -> None:
    published = {name: s["ports"] for name, s in compose["services"].items() if "ports" in s}
    assert set(published) == {"gateway", "nats", "prometheus"}
    for ports in published.values():
        assert all(p.startswith("127.0.0.1:") for p in ports)
    # nothing of the stack takes the host's own PostgreSQL or NATS port
    assert not any(re.search(r":(5432|4222):", p) for ports in published.values() for p in ports)


def test_every_long_running_service_has_a_healthcheck_and_restarts(
    compose: dict[str, Any],
) -> None:
    for name, service in compose["services"].items():
        if name in ONE_SHOT:
            assert service["restart"] == "no", name
            continue
        assert service["healthcheck"]["test"][0] == "CMD", name
        assert service["restart"] == "unless-stopped", name


def test_the_services_start_after_the_migrations_and_nats(compose: dict[str, Any]) -> None:
    for spec in SERVICES:
        needs = compose["services"][spec.name]["depends_on"]
        assert needs["migrate"] == {"condition": "service_completed_successfully"}
        assert needs["nats"] == {"condition": "service_healthy"}
    migrate = compose["services"]["migrate"]["depends_on"]
    assert migrate == {"postgres": {"condition": "service_healthy"}}


def test_the_demo_city_is_fed_once_its_departments_services_answer(
    compose: dict[str, Any],
) -> None:
    feed = compose["services"]["feed"]
    healthy = {"condition": "service_healthy"}
    assert feed["depends_on"] == {
        "gateway": healthy,
        "identity-svc": healthy,
        "credit-svc": healthy,
        "catalog-svc": healthy,  # its proactive policies, published once the facts are in
    }
    assert feed["command"] == ["python", "-m", "qinqing_devtools.stack", "feed"]


def test_each_service_keeps_its_keys_on_its_own_volume_and_reads_setup_read_only(
    compose: dict[str, Any],
) -> None:
    for spec in SERVICES:
        volumes = compose["services"][spec.name]["volumes"]
        key = spec.name.removesuffix("-svc")
        assert volumes == ["setup:/run/qinqing:ro", f"{key}-keys:/var/lib/qinqing"]
        assert f"{key}-keys" in compose["volumes"]


def test_each_service_listens_on_its_port_on_every_interface_of_its_container(
    compose: dict[str, Any],
) -> None:
    for spec in SERVICES:
        command = compose["services"][spec.name]["command"]
        assert command[-4:] == ["--host", "0.0.0.0", "--port", str(spec.port)]
        assert compose["services"][spec.name]["environment"] == {"QINQING_ROLE": spec.name}


def test_settings_files_quote_what_a_shell_would_read_otherwise() -> None:
    value = """{"a": "it's $HOME `x`"}"""
    assert stack.quoted(value) == """'{"a": "it'\\''s $HOME `x`"}'"""


def test_each_process_gets_only_its_own_settings() -> None:
    assert stack.prefix("payment-svc") == "PAYMENT_"
    assert stack.prefix("gateway") == "GATEWAY_"
    assert stack.prefix(BANK) == "SANDBOX_BANK_"


def test_setup_makes_each_process_its_own_settings_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QINQING_DEMO_ENTERPRISES", "5")
    monkeypatch.setenv("QINQING_PUBLIC_URL", "https://qinqing.example.gov.cn")
    stack.setup(tmp_path)
    payment = stack.read_settings(tmp_path / "settings" / "payment-svc.env")
    assert all(key.startswith("PAYMENT_") for key in payment)
    role = "qinqing_payment"
    password = (tmp_path / "secrets" / "postgres-payment-svc").read_text().strip()
    assert payment["PAYMENT_DATABASE_URL"] == (
        f"postgresql+asyncpg://{role}:{password}@postgres:5432/{role}"
    )
    assert payment["PAYMENT_NATS_URL"].startswith("nats://payment-svc:")
    assert payment["PAYMENT_NATS_URL"].endswith("@nats:4222")
    assert payment["PAYMENT_OAUTH_ISSUER"] == "https://qinqing.example.gov.cn"
    assert payment["PAYMENT_OAUTH_JWKS_URL"] == "http://gateway:8000/.well-known/jwks.json"
    assert payment["PAYMENT_BANK_URL"] == "http://sandbox-bank:8009"
    gateway = stack.read_settings(tmp_path / "settings" / "gateway.env")
    assert gateway["GATEWAY_WEB_API_URL"] == "http://gateway:8000"  # not the public address
    assert len(gateway["GATEWAY_PORTAL_CLIENT_SECRET"]) >= 32
    bank = stack.read_settings(tmp_path / "settings" / "sandbox-bank.env")
    assert bank["SANDBOX_BANK_CALLBACK_URL"] == "http://payment-svc:8005/bank/confirmations"
    assert bank["SANDBOX_BANK_WEBHOOK_SECRET"] == payment["PAYMENT_BANK_WEBHOOK_SECRET"]
    assert (tmp_path / "postgres-password").stat().st_mode & 0o777 == 0o640
    made = json.loads((tmp_path / "secrets" / "clients.json").read_text())
    scraper = tmp_path / "prometheus-client-secret"
    assert scraper.read_text() == made["prometheus"]["client_secret"]
    assert scraper.stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "settings" / "payment-svc.env").stat().st_mode & 0o777 == 0o600
    conf = (tmp_path / "nats.conf").read_text()
    assert "listen: 0.0.0.0:4222" in conf
    assert "http_port: 8222" in conf
    stack.setup(tmp_path)  # a second start keeps every secret the first one made
    assert stack.read_settings(tmp_path / "settings" / "payment-svc.env") == payment


def test_prometheus_scrapes_every_instance_of_every_service_as_the_reading_client() -> None:
    config = yaml.safe_load((ROOT / "deploy/prometheus/prometheus.yml").read_text())
    job = next(j for j in config["scrape_configs"] if j["job_name"] == "qinqing")
    found = [(d["names"], d["type"], d["port"]) for d in job["dns_sd_configs"]]
    by_port = sorted(SERVICES, key=lambda s: s.port)
    assert found == [([s.name], "A", s.port) for s in by_port]  # each address of the name
    assert job["relabel_configs"] == [
        {"source_labels": ["__meta_dns_name"], "target_label": "service"}
    ]
    assert job["oauth2"]["client_id"] == "prometheus"
    assert job["oauth2"]["token_url"] == "http://gateway:8000/oauth/token"
    prometheus = next(c for c in clients.specs() if c["client_id"] == "prometheus")
    assert prometheus["scopes"] == [scopes.OPERATIONS_READ]
