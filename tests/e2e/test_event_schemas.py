"""Every event the running platform has published so far matches its documented schema
(as the gateway serves it, and as committed under docs/events/), and none is of a type
the registry does not list."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import httpx
import jsonschema_rs
import nats
import pytest

from qinqing_devtools.platform import Platform
from qinqing_shared.asyncapi import event_schema
from qinqing_shared.contracts.events import EVENTS, PAYOUT_COMPLETED
from tests.e2e import pilots

pytestmark = pytest.mark.e2e


async def every_event(nats_url: str) -> list[tuple[str, dict[str, str], Any]]:
    client = await nats.connect(nats_url)
    found: list[tuple[str, dict[str, str], Any]] = []
    try:
        js = client.jetstream()
        for stream in await js.streams_info():
            if not stream.config.name.startswith("QINQING_") or not stream.state.messages:
                continue
            if stream.config.name == "QINQING_INGEST":
                # the departments' records, not the platform's events: each is checked by
                # the ingest contracts when it is taken (docs/data-exchange.md)
                continue
            sub = await js.subscribe(f"{stream.config.subjects[0]}", ordered_consumer=True)
            for _ in range(stream.state.messages):
                msg = await sub.next_msg(timeout=10)
                found.append((msg.subject, dict(msg.headers or {}), json.loads(msg.data)))
            await sub.unsubscribe()
    finally:
        await client.close()
    return found


async def test_every_published_event_matches_its_schema(platform: Platform) -> None:
    final = await pilots.applied(platform, 5601)
    assert final["status"] == "paid"
    events = await every_event(platform.nats_admin_url)
    seen = sorted({subject for subject, _, _ in events if subject in EVENTS})
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=30) as http:
        served = {s: (await http.get(f"/events/schemas/{s}.json")).json() for s in seen}
        unknown = await http.get("/events/schemas/qinqing.payment.payout.invented.v1.json")
    assert served == {s: event_schema(EVENTS[s]) for s in seen}
    assert (unknown.status_code, unknown.json()["type"]) == (
        404,
        "urn:qinqing:problem:event-not-found",
    )
    validators = {s: jsonschema_rs.validator_for(schema) for s, schema in served.items()}
    undocumented = sorted({subject for subject, _, _ in events if subject not in EVENTS})
    invalid = [
        (subject, data)
        for subject, _, data in events
        if subject in validators and not validators[subject].is_valid(data)
    ]
    wrong_source = [
        (subject, headers.get("ce-source"))
        for subject, headers, _ in events
        if subject in EVENTS and headers.get("ce-source") != f"/qinqing/{EVENTS[subject].publisher}"
    ]
    assert undocumented == []
    assert invalid == []
    assert wrong_source == []
    assert Counter(subject for subject, _, _ in events)[PAYOUT_COMPLETED] >= 1
