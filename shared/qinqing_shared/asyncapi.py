"""The events as a document: AsyncAPI 3.0 and one JSON Schema per event type and version,
generated from the registry the outboxes use (``contracts.events.EVENTS``).

``python -m qinqing_shared.asyncapi docs/events`` writes ``asyncapi.json`` and
``schemas/<subject>.json``; the gateway serves the document, each schema and a readable
catalog.
A test fails when the committed files are stale, and another when a schema is not
compatible with its released version (docs/events/released/).
"""

from __future__ import annotations

import html
import json
import sys
from pathlib import Path
from typing import Any

from pydantic.json_schema import models_json_schema

from qinqing_shared.contracts.events import EVENTS, EventType

SPEC = "3.0.0"
CLOUDEVENT_HEADERS: dict[str, Any] = {
    "type": "object",
    "description": "CloudEvents 1.0 attributes, binary mode (the data is the body)",
    "required": ["ce-specversion", "ce-id", "ce-type", "ce-source", "ce-time"],
    "properties": {
        "ce-specversion": {"const": "1.0"},
        "ce-id": {"type": "string", "description": "the event's id (also Nats-Msg-Id)"},
        "ce-type": {"type": "string", "description": "the subject"},
        "ce-source": {"type": "string", "description": "the publishing service"},
        "ce-time": {"type": "string", "format": "date-time"},
        "ce-subject": {"type": "string", "description": "the object it is about"},
        "traceparent": {
            "type": "string",
            "description": "W3C trace context of the request that wrote the event, when the "
            "platform traces (docs/observability.md)",
        },
    },
}


def _name(event: EventType) -> str:
    """A message name from a subject: qinqing.payment.payout.completed.v1 ->
    PaymentPayoutCompletedV1."""
    words = event.subject.removeprefix("qinqing.").replace("-", ".").split(".")
    return "".join(word.capitalize() for word in words)


def _schemas() -> tuple[dict[str, str], dict[str, Any]]:
    models = sorted({e.data for e in EVENTS.values()}, key=lambda m: m.__name__)
    keys, found = models_json_schema(
        [(model, "serialization") for model in models],
        ref_template="#/components/schemas/{model}",
    )
    refs = {model.__name__: keys[(model, "serialization")]["$ref"] for model in models}
    return refs, found.get("$defs", {})


def document() -> dict[str, Any]:
    """The AsyncAPI 3.0 document of every published and consumed subject."""
    refs, schemas = _schemas()
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for subject, event in sorted(EVENTS.items()):
        name = _name(event)
        messages[name] = {
            "name": name,
            "title": subject,
            "summary": event.summary,
            "contentType": "application/json",
            "headers": {"$ref": "#/components/schemas/CloudEventHeaders"},
            "payload": {"$ref": refs[event.data.__name__]},
        }
        channels[subject] = {
            "address": subject,
            "description": event.summary,
            "messages": {name: {"$ref": f"#/components/messages/{name}"}},
        }
        message = [{"$ref": f"#/channels/{subject}/messages/{name}"}]
        channel = {"$ref": f"#/channels/{subject}"}
        operations[f"{event.publisher}.publishes.{subject}"] = {
            "action": "send",
            "channel": channel,
            "messages": message,
        }
        for consumer in event.consumers:
            operations[f"{consumer}.consumes.{subject}"] = {
                "action": "receive",
                "channel": channel,
                "messages": message,
            }
    return {
        "asyncapi": SPEC,
        "info": {
            "title": "Qinqing events",
            "version": "1",
            "description": "Everything the platform's services publish on NATS JetStream "
            "(one stream per domain, QINQING_<DOMAIN>), as CloudEvents in binary mode. "
            "No event carries unmasked personal data.",
        },
        "defaultContentType": "application/json",
        "servers": {
            "nats": {
                "host": "127.0.0.1:4222",
                "protocol": "nats",
                "description": "the platform's NATS; each subscriber connects as its own user",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "messages": messages,
            "schemas": {"CloudEventHeaders": CLOUDEVENT_HEADERS, **schemas},
        },
    }


def event_schema(event: EventType) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one event type's data, standing alone."""
    schema = event.data.model_json_schema(mode="serialization")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:qinqing:event:{event.subject}",
        "description": event.summary,
        **schema,
    }


def files() -> dict[str, str]:
    """Every generated file, by its path under docs/events/."""
    found = {"asyncapi.json": _dump(document())}
    for subject, event in EVENTS.items():
        found[f"schemas/{subject}.json"] = _dump(event_schema(event))
    return found


def catalog_page() -> str:
    """A readable page of the events: subject, publisher, consumers, fields."""
    rows = []
    for subject, event in sorted(EVENTS.items()):
        fields = ", ".join(event.data.model_fields)
        consumers = ", ".join(event.consumers) or "departments' subscribers"
        cells = [event.publisher, consumers, event.summary, fields]
        link = f'<a href="/events/schemas/{html.escape(subject)}.json">{html.escape(subject)}</a>'
        rows.append(
            f"<tr><td>{link}</td>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>"
        )
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Qinqing events</title>"
        "<style>body{font-family:sans-serif;margin:2rem;color:#111}"
        "table{border-collapse:collapse}td,th{border:1px solid #777;padding:.4rem;"
        "text-align:left;vertical-align:top}</style></head><body>"
        "<h1>Qinqing events</h1><p>Published on NATS JetStream as CloudEvents "
        '(binary mode). The machine-readable document: <a href="/events/asyncapi.json">'
        "AsyncAPI 3.0</a>; each subject links to the JSON Schema of its data.</p>"
        "<table><caption>Every event type</caption><thead><tr>"
        '<th scope="col">Subject</th><th scope="col">Publisher</th>'
        '<th scope="col">Consumed by</th><th scope="col">What it means</th>'
        '<th scope="col">Fields</th></tr></thead><tbody>'
        + "".join(rows)
        + "</tbody></table></body></html>"
    )


def _dump(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/events")
    for path, text in files().items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    print(f"wrote {len(files())} files under {folder}")


if __name__ == "__main__":
    main()
