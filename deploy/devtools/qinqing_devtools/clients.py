"""The demo platform's OAuth clients, their secrets made at first start, and tokens.

The secrets are generated once per data folder (``var/secrets/clients.json``, mode
0600) and registered with the gateway's authorization server; nothing secret is in the
repository. ``make run`` prints the demo app's and the operator's credentials.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from collections.abc import Generator
from pathlib import Path
from typing import Any

import httpx

from qinqing_devtools import demo
from qinqing_shared.auth import scopes as s

GOLDEN_ELIGIBLE = "91330106MA2H00014Q"
OTHER_ENTERPRISE = "91330108MA2H00022G"
DEMO_REDIRECT = "http://127.0.0.1:8765/callback"  # where the demo app takes its codes
# people of the enterprises' staff who sign in (authorization-code grant with PKCE)
DEMO_PEOPLE = {
    "chen.yu": ("Chen Yu", GOLDEN_ELIGIBLE),
    "li.na": ("Li Na", OTHER_ENTERPRISE),
}
# officers of departments who sign in to the console (qinqing_gateway.web.console),
# with the department scopes each holds
DEMO_OFFICERS = {
    "wang.fang": ("Wang Fang", "HZ-HRSS", [s.POLICIES_WRITE, s.CREDIT_WRITE, s.REQUESTS_ANSWER]),
}
SERVICE_CLIENTS = ("identity-svc", "catalog-svc", "subsidy-svc", "credit-svc", "payment-svc")


def golden_usccs() -> list[str]:
    return [e["uscc"] for e in demo.golden()["enterprises"]]


def specs() -> list[dict[str, Any]]:
    """Every demo client: its kind, scopes and, for an app, the enterprises' grants."""
    enterprise_scopes = sorted(s.KIND_SCOPES["enterprise"])
    app_scopes = sorted(s.KIND_SCOPES["app"])
    return [
        _spec(
            "demo-app",
            "app",
            "Demo enterprise app",
            app_scopes,
            grants=golden_usccs(),
            redirect_uris=[DEMO_REDIRECT],
        ),
        _spec("other-app", "app", "Another app, without grants", app_scopes),
        _spec("load-app", "app", "Load and fault runs (make bench, make chaos)", app_scopes),
        _spec(
            "demo-enterprise",
            "enterprise",
            "Golden eligible enterprise's own system",
            enterprise_scopes,
            uscc=GOLDEN_ELIGIBLE,
        ),
        _spec(
            "other-enterprise",
            "enterprise",
            "Another golden enterprise's system",
            enterprise_scopes,
            uscc=OTHER_ENTERPRISE,
        ),
        _spec(
            "hrss-department",
            "department",
            "Human Resources and Social Security Bureau",
            [s.POLICIES_WRITE, s.FACTS_WRITE, s.CREDIT_WRITE, s.WEBHOOKS_WRITE, s.REQUESTS_ANSWER],
            department="HZ-HRSS",
        ),
        _spec(
            "hrss-supervisor",
            "department",
            "Human Resources and Social Security Bureau, its supervisor of requests",
            [s.REQUESTS_SUPERVISE, s.REQUESTS_ANSWER],
            department="HZ-HRSS",
        ),
        _spec(
            "gsa-department",
            "department",
            "Government Services Administration (the integrated service desk)",
            [s.REQUESTS_ANSWER],
            department="HZ-GSA",
        ),
        _spec(
            "oversight-desk",
            "operator",
            "The city's oversight desk for enterprises' requests",
            [s.REQUESTS_OVERSEE],
        ),
        _spec(
            "msa-department",
            "department",
            "Market Supervision Administration",
            [s.POLICIES_WRITE, s.FACTS_WRITE, s.CREDIT_WRITE, s.PAYEE_WRITE, s.REQUESTS_ANSWER],
            department=s.MARKET_REGULATION,
        ),
        _spec(
            "drc-department",
            "department",
            "Development and Reform Commission (the public credit platform)",
            [s.CREDIT_WRITE],
            department="HZ-DRC",
        ),
        _spec(
            "psb-department",
            "department",
            "Public Security Bureau (household registration)",
            [s.FACTS_WRITE],
            department="HZ-PSB",
        ),
        _spec(
            "edu-department", "department", "Education Bureau", [s.FACTS_WRITE], department="HZ-EDU"
        ),
        _spec(
            "housing-department",
            "department",
            "Housing and Urban-Rural Development Bureau",
            [s.FACTS_WRITE],
            department="HZ-HOU",
        ),
        _spec(
            "tax-department",
            "department",
            "Taxation Bureau",
            [s.FACTS_WRITE],
            department="HZ-TAX",
        ),
        _spec("demo-operator", "operator", "Platform operator", sorted(s.KIND_SCOPES["operator"])),
        # Prometheus scrapes every service's /metrics with this client: reading only
        _spec("prometheus", "operator", "Prometheus (scrapes /metrics)", [s.OPERATIONS_READ]),
        # each service is a client of its own (a token names the one service it calls)
        *[_spec(name, "service", name, []) for name in SERVICE_CLIENTS],
    ]


def _spec(client_id: str, kind: str, name: str, scopes: list[str], **extra: Any) -> dict[str, Any]:
    return {"client_id": client_id, "kind": kind, "name": name, "scopes": scopes, **extra}


def ensure(var: Path) -> dict[str, dict[str, Any]]:
    """The clients with their secrets, made once per data folder."""
    path = var / "secrets" / "clients.json"
    with SECRETS_LOCK:
        known: dict[str, dict[str, Any]] = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        )
        clients = {}
        for spec in specs():
            made = known.get(spec["client_id"], {}).get("client_secret")
            clients[spec["client_id"]] = spec | {"client_secret": made or secrets.token_urlsafe(32)}
        if clients != known:
            write_secret(path, json.dumps(clients, indent=2))
    return clients


# The runner prepares services in threads: secrets are made and written under one lock,
# and replaced whole, so no thread reads a half-written file or makes a second secret.
SECRETS_LOCK = threading.RLock()


def people(var: Path) -> list[dict[str, Any]]:
    """The demo people (an enterprise's staff, a department's officers) with their
    passwords, made once per data folder."""
    path = var / "secrets" / "people.json"
    with SECRETS_LOCK:
        known: list[dict[str, Any]] = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        )
        made = {p["username"]: p["password"] for p in known}
        wanted: list[dict[str, Any]] = [
            {"username": user, "name": name, "uscc": uscc}
            for user, (name, uscc) in DEMO_PEOPLE.items()
        ] + [
            {"username": user, "name": name, "department": code, "scopes": scopes}
            for user, (name, code, scopes) in DEMO_OFFICERS.items()
        ]
        for person in wanted:  # a password once made stays
            person["password"] = made.get(person["username"]) or secrets.token_urlsafe(12)
        if wanted != known:
            write_secret(path, json.dumps(wanted, indent=2))
    return wanted


def write_secret(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = path.with_name(path.name + ".partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(partial, path)


def secret(var: Path, name: str) -> str:
    """A random secret kept in the data folder (made at first start)."""
    path = var / "secrets" / name
    with SECRETS_LOCK:
        if not path.exists():
            write_secret(path, secrets.token_urlsafe(32))
        return path.read_text(encoding="utf-8").strip()


def fetch_token(
    gateway_url: str, client_id: str, client_secret: str, resource: str | None = None
) -> str:
    """A client-credentials token from the gateway's token endpoint."""
    form = {"grant_type": "client_credentials"} | ({"resource": resource} if resource else {})
    answer = httpx.post(
        gateway_url + "/oauth/token",
        data=form,
        auth=(client_id, client_secret),
        timeout=10,
    )
    answer.raise_for_status()
    return str(answer.json()["access_token"])


class TokenAuth(httpx.Auth):
    """Bearer auth for a client, with a token fetched when absent or 10 minutes old."""

    def __init__(self, gateway_url: str, client_id: str, client_secret: str) -> None:
        self.args = (gateway_url, client_id, client_secret)
        self._token, self._at = "", 0.0
        self._lock = threading.Lock()

    def token(self, refused: str = "") -> str:
        with self._lock:
            stale = time.monotonic() - self._at > 600 or self._token == refused
            if not self._token or stale:
                self._token, self._at = fetch_token(*self.args), time.monotonic()
            return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        sent = self.token()
        request.headers["Authorization"] = f"Bearer {sent}"
        response = yield request
        if response.status_code == 401 and "invalid_token" in response.headers.get(
            "WWW-Authenticate", ""
        ):  # revoked, or its signing key retired: a new token, once
            request.headers["Authorization"] = f"Bearer {self.token(refused=sent)}"
            yield request
