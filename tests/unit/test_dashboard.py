"""The Grafana dashboard shipped in deploy/grafana asks only for series the services
export, and shows every one of them (docs/observability.md)."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "deploy" / "grafana" / "qinqing-dashboard.json"
SERVICES = ["qinqing_gateway", "identity_svc", "catalog_svc", "subsidy_svc", "credit_svc"]
SERVICES += ["payment_svc"]
SERIES = re.compile(r"\bqinqing_[a-z0-9_]+")
# what Prometheus appends to a family's name: histograms' and counters' samples
SUFFIXES = re.compile(r"_(bucket|count|sum|total|created)$")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every metric family the six services register (each app built, not started)."""
    tmp = tmp_path_factory.mktemp("apps")
    names: set[str] = set()
    for service in SERVICES:
        config = importlib.import_module(f"{service}.config")
        main = importlib.import_module(f"{service}.main")
        settings = config.Settings(
            database_url=f"sqlite+aiosqlite:///{tmp / service}.db", keys_dir=tmp / service
        )
        app = main.create_app(settings)
        names |= {family.name for family in app.state.metrics.registry.collect()}
    return names


def queried() -> set[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    exprs = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    assert exprs, "the dashboard has no queries"
    return {SUFFIXES.sub("", name) for expr in exprs for name in SERIES.findall(expr)}


def test_every_query_names_a_series_the_services_export(exported: set[str]) -> None:
    unknown = queried() - exported
    assert not unknown, f"the dashboard asks for series no service exports: {sorted(unknown)}"


def test_every_series_the_services_export_is_on_the_dashboard(exported: set[str]) -> None:
    missing = exported - queried() - {"qinqing_service_info"}
    assert not missing, f"exported but not on the dashboard: {sorted(missing)}"


def test_a_histogram_s_bucket_is_its_family() -> None:
    """The rule's own check: sample suffixes are stripped, names are not cut short."""
    found = SERIES.findall("rate(qinqing_http_request_duration_seconds_bucket[5m])")
    assert [SUFFIXES.sub("", name) for name in found] == ["qinqing_http_request_duration_seconds"]
