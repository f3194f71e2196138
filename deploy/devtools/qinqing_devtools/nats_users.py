"""NATS users of the platform and what each may publish and subscribe to.

Every service, department subscriber and the operators' tooling connects as its own
user (password made at first start, kept in ``var/secrets/nats-users.json``); nobody
connects anonymously. A user may use the JetStream API only for the streams its role
needs: the owner creates and writes its domain's stream, a reader creates consumers on
and acks the streams it reads, nothing else (no blanket ``$JS.API.>``).
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

from qinqing_devtools.clients import SECRETS_LOCK, write_secret

# user -> (the domains whose streams it owns, the domains whose streams it reads)
SERVICES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # identity-svc appends every service's audit records to the one chain
    # and takes the departments' facts from the ingest stream (created by it)
    "identity-svc": (
        ("identity",),
        ("identity", "catalog", "subsidy", "credit", "payment", "ingest"),
    ),
    # payouts for the live figures, enterprises' districts for them by district; it
    # keeps enterprises' requests to departments (direct interaction) too, and revokes
    # a service item granted on a commitment found broken
    "catalog-svc": (("catalog", "interaction"), ("payment", "identity", "credit")),
    "subsidy-svc": (("subsidy",), ("payment", "credit")),  # payouts, broken commitments
    "credit-svc": (("credit",), ("ingest",)),  # departments' credit records
    # reconciliation reads its own events; a clawed-back application is demanded back;
    # a policy version published opens or tops up its budget
    "payment-svc": (("payment",), ("payment", "subsidy", "catalog")),
    # webhooks deliver them; a department's facts hasten the commitments' verification
    # and a proactive policy published starts its run
    "gateway": ((), ("subsidy", "credit", "payment", "identity", "catalog")),
}
# plain subscriptions beyond JetStream: the gateway drops a cached policy when a new
# version is published (qinqing_gateway.policies), and tells applications' pages of
# their steps as their events pass (qinqing_gateway.web.push)
LISTENS: dict[str, tuple[str, ...]] = {
    "gateway": (
        "qinqing.catalog.policy.published.v1",
        "qinqing.subsidy.>",
        "qinqing.credit.>",
        "qinqing.payment.>",
        "qinqing.interaction.>",
    )
}
# department subscribers: what happened to the money, the applications and the
# enterprises' requests
DEPARTMENTS: dict[str, tuple[str, ...]] = {"hrss-subscriber": ("payment", "subsidy", "interaction")}
# department feeds: each publishes its own facts, on its own ingest subjects only
FEEDS: dict[str, str] = {
    "msa-feed": "HZ-MSA",
    "psb-feed": "HZ-PSB",
    "hrss-feed": "HZ-HRSS",
    "edu-feed": "HZ-EDU",
    "hou-feed": "HZ-HOU",
    "tax-feed": "HZ-TAX",
}
ADMIN = "qinqing-ops"  # operators' tooling and the tests' harness: everything


def stream(domain: str) -> str:
    return f"QINQING_{domain.upper()}"


def reads(domain: str) -> list[str]:
    s = stream(domain)
    api = "$JS.API.CONSUMER"
    return [
        f"$JS.API.STREAM.INFO.{s}",
        f"{api}.CREATE.{s}",
        f"{api}.CREATE.{s}.>",
        f"{api}.DURABLE.CREATE.{s}.>",
        f"{api}.INFO.{s}.>",
        f"{api}.DELETE.{s}.>",
        f"{api}.MSG.NEXT.{s}.>",
        f"$JS.ACK.{s}.>",
        f"$JS.FC.{s}.>",
    ]


def owns(domain: str) -> list[str]:
    s = stream(domain)
    return [
        f"qinqing.{domain}.>",
        f"$JS.API.STREAM.INFO.{s}",
        f"$JS.API.STREAM.CREATE.{s}",
        f"$JS.API.STREAM.UPDATE.{s}",
    ]


def permissions(
    owned: tuple[str, ...], read: tuple[str, ...], listens: tuple[str, ...] = ()
) -> dict[str, Any]:
    publish = ["$JS.API.INFO", "$JS.API.STREAM.NAMES"]
    for domain in owned:
        publish += owns(domain)
    for domain in read:
        publish += reads(domain)
        publish.append(f"$JS.API.STREAM.CREATE.{stream(domain)}")  # may start first
    subscribe = ["_INBOX.>", *listens]
    return {"publish": {"allow": sorted(set(publish))}, "subscribe": {"allow": subscribe}}


def feeds(department: str) -> dict[str, Any]:
    """A department's feed publishes on its own ingest subjects (JetStream answers the
    publish on the feed's inbox), and nothing else."""
    return {
        "publish": {"allow": [f"qinqing.ingest.{department}.>"]},
        "subscribe": {"allow": ["_INBOX.>"]},
    }


def ensure(var: Path) -> dict[str, str]:
    """Every user's password, made once per data folder."""
    path = var / "secrets" / "nats-users.json"
    with SECRETS_LOCK:
        known: dict[str, str] = (
            json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
        )
        names = [*SERVICES, *DEPARTMENTS, *FEEDS, ADMIN]
        users = {name: known.get(name) or secrets.token_urlsafe(24) for name in names}
        if users != known:
            write_secret(path, json.dumps(users, indent=2))
    return users


def authorization(users: dict[str, str]) -> str:
    """The ``authorization`` block of nats-server's configuration (JSON is valid there)."""
    entries: list[dict[str, Any]] = []
    for name, (owned, read) in SERVICES.items():
        entries.append(
            {
                "user": name,
                "password": users[name],
                "permissions": permissions(owned, read, LISTENS.get(name, ())),
            }
        )
    for name, read in DEPARTMENTS.items():
        entries.append(
            {"user": name, "password": users[name], "permissions": permissions((), read)}
        )
    for name, department in FEEDS.items():
        entries.append({"user": name, "password": users[name], "permissions": feeds(department)})
    entries.append({"user": ADMIN, "password": users[ADMIN]})
    return "authorization " + json.dumps({"users": entries}, indent=2) + "\n"


def url_for(base: str, user: str, password: str) -> str:
    """``nats://user:password@host:port`` for the base URL."""
    parsed = urlparse(base)
    return f"nats://{quote(user)}:{quote(password)}@{parsed.hostname}:{parsed.port or 4222}"
