"""The events' documents: generated from the registry the outboxes use, committed fresh,
every reference resolving, consumers as the services really subscribe, and each schema
compatible with its released version."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from catalog_svc.consumers import SUBSCRIPTIONS as CATALOG
from catalog_svc.interaction.desk import Desk
from identity_svc.audit import SUBSCRIPTIONS as IDENTITY
from payment_svc.consumers import SUBSCRIPTIONS as PAYMENT
from qinqing_devtools import nats_users
from qinqing_gateway.aftermath import Aftermath
from qinqing_gateway.commitments import CommitmentDesk
from qinqing_gateway.proactive import ProactiveDesk
from qinqing_gateway.receipts import ReceiptDesk
from qinqing_gateway.webhooks.dispatch import SUBSCRIPTIONS as GATEWAY
from qinqing_shared import asyncapi
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.contracts.events import EVENTS, OWNERS
from qinqing_shared.jobs import SystemClock
from subsidy_svc.consumers import SUBSCRIPTIONS as SUBSIDY

DOCS = Path(__file__).resolve().parents[2] / "docs" / "events"
REGENERATE = "run: python -m qinqing_shared.asyncapi docs/events"


def test_the_committed_documents_are_the_generated_ones() -> None:
    generated = asyncapi.files()
    committed = {
        str(path.relative_to(DOCS)): path.read_text(encoding="utf-8")
        for path in DOCS.rglob("*.json")
        if "released" not in path.parts
    }
    stale = sorted(
        p for p in generated.keys() | committed.keys() if generated.get(p) != committed.get(p)
    )
    assert stale == [], REGENERATE


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def resolve(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return node


def test_every_reference_in_the_asyncapi_document_resolves() -> None:
    document = asyncapi.document()
    assert document["asyncapi"] == "3.0.0"
    unresolved = []
    for ref in refs(document):
        try:
            resolve(document, ref)
        except KeyError:
            unresolved.append(ref)
    assert unresolved == []
    assert set(document["channels"]) == set(EVENTS)


def test_each_event_is_published_by_the_service_of_its_domain() -> None:
    wrong = [
        (subject, event.publisher)
        for subject, event in EVENTS.items()
        if event.publisher != OWNERS[subject.split(".")[1]]
    ]
    assert wrong == []
    assert OWNERS["interaction"] == "catalog-svc"


def test_the_declared_consumers_are_the_services_subscriptions(tmp_path: Path) -> None:
    aftermath = Aftermath(ReceiptDesk(KeyRing(tmp_path, "EdDSA"), "https://issuer.test"))
    verifier = CommitmentDesk(
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        clock=SystemClock(),
        today=dt.date.today,
        recheck=dt.timedelta(hours=1),
    )
    proactive = ProactiveDesk(
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        None,  # type: ignore[arg-type]
        SystemClock(),
        dt.date.today,
        units=None,  # type: ignore[arg-type]
        policies=None,  # type: ignore[arg-type]
        page_size=1,
        batches_per_round=1,
        concurrency=1,
        recheck=dt.timedelta(minutes=5),
    )
    actual = {
        (sub.subject, service)
        for service, subscriptions in (
            ("catalog-svc", [*CATALOG, *Desk(SystemClock(), None).subscriptions()]),  # type: ignore[arg-type]
            ("subsidy-svc", SUBSIDY),
            ("identity-svc", IDENTITY),
            ("payment-svc", PAYMENT),
            (
                "gateway",
                [
                    *GATEWAY,
                    *aftermath.subscriptions(),
                    *verifier.subscriptions(),
                    *proactive.subscriptions(),
                ],
            ),
        )
        for sub in subscriptions
    }
    declared = {(s, c) for s, event in EVENTS.items() for c in event.consumers}
    assert declared == actual


def compatible(released: dict[str, Any], current: dict[str, Any], where: str) -> list[str]:
    """What a subscriber of the released schema would break on: a field removed, or a
    field newly required (here and in every nested definition)."""
    problems = [
        f"{where}: {name} removed"
        for name in released.get("properties", {})
        if name not in current.get("properties", {})
    ]
    newly = set(current.get("required", [])) - set(released.get("required", []))
    problems += [f"{where}: {name} newly required" for name in sorted(newly)]
    for name, definition in released.get("$defs", {}).items():
        problems += compatible(
            definition, current.get("$defs", {}).get(name, {}), f"{where}.{name}"
        )
    return problems


@pytest.mark.parametrize("subject", sorted(EVENTS))
def test_each_schema_is_compatible_with_its_released_version(subject: str) -> None:
    released_file = DOCS / "released" / f"{subject}.json"
    if not released_file.exists():
        pytest.skip(f"{subject} has no released version yet")
    released = json.loads(released_file.read_text(encoding="utf-8"))
    current = asyncapi.event_schema(EVENTS[subject])
    assert compatible(released, current, subject) == [], "publish a .v2 subject instead"


def test_the_compatibility_rule_catches_a_removed_and_a_newly_required_field() -> None:
    released = {"properties": {"a": {}, "b": {}}, "required": ["a"]}
    current = {"properties": {"a": {}, "c": {}}, "required": ["a", "c"]}
    assert compatible(released, current, "x") == ["x: b removed", "x: c newly required"]


def test_each_consuming_service_may_read_the_stream_of_what_it_consumes() -> None:
    """A consumer declared in the registry whose NATS user may not read the subject's
    stream would never hear a thing (qinqing_devtools.nats_users)."""
    unreadable = [
        (subject, service)
        for subject, event in EVENTS.items()
        for service in event.consumers
        if subject.split(".")[1] not in nats_users.SERVICES[service][1]
    ]
    assert unreadable == []
