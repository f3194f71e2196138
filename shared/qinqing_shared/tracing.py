"""OpenTelemetry traces across the flow: one application is one trace, from the gateway
through every service, the bank and the consumers of its events.

Off unless an OTLP endpoint is configured, by OpenTelemetry's own variables
(``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`` or ``OTEL_EXPORTER_OTLP_ENDPOINT``, OTLP over
HTTP); then each process exports its spans in batches. Off, nothing is installed and
the only cost is one flag checked per call.

The context travels as W3C ``traceparent``: in every HTTP request a service makes
(``inject``), and in every event's NATS headers, kept from the moment the event was
written (the outbox stores it, so an event published after a crash still joins its
trace). Spans are named by route template or subject, never by a raw path: paths hold
ids, and no personal data leaves in a span.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator, Mapping
from typing import Any

from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# FastAPI's own telemetry, off: its server spans record ``url.path``, which holds ids
# (an ID number in /v1/persons/{id_number}/claims); TracingMiddleware names the template
# only. Passed as ``FastAPI(telemetry=...)`` by every app of the platform.
FASTAPI_TELEMETRY_OFF: dict[str, bool] = {
    "tracing": False,
    "metrics": False,
    "logs": False,
    "operation_spans": False,
}
ENDPOINT_VARIABLES = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
_state = {"enabled": False}
_tracer = trace.get_tracer("qinqing")


def enabled() -> bool:
    return _state["enabled"]


def configure(service_name: str) -> bool:
    """Export this process's spans by OTLP when an endpoint is configured; True if so."""
    if _state["enabled"] or not any(os.environ.get(v) for v in ENDPOINT_VARIABLES):
        return _state["enabled"]
    if os.environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    provider = TracerProvider(resource=Resource.create({"service.name": service_name}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    _state["enabled"] = True
    return True


def shutdown() -> None:
    """Send what is still buffered (a stopping process)."""
    provider = trace.get_tracer_provider()
    if _state["enabled"] and hasattr(provider, "shutdown"):
        provider.shutdown()


def inject(headers: dict[str, str] | None = None) -> dict[str, str]:
    """``headers`` with the current trace context added (unchanged when tracing is off)."""
    headers = dict(headers or {})
    if _state["enabled"]:
        propagate.inject(headers)
    return headers


def traceparent() -> str | None:
    """The current context as a ``traceparent`` value, to keep with an event."""
    if not _state["enabled"]:
        return None
    return inject().get("traceparent")


def trace_id() -> str | None:
    """The current trace's id (hex), for the logs; None when there is none."""
    if not _state["enabled"]:
        return None
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


@contextlib.contextmanager
def consuming(subject: str, headers: Mapping[str, str] | None) -> Iterator[None]:
    """A consumer's span for handling one event, child of the context it was sent in."""
    if not _state["enabled"]:
        yield
        return
    parent = propagate.extract(dict(headers or {}))
    attributes = {"messaging.system": "nats", "messaging.destination.name": subject}
    with _tracer.start_as_current_span(
        f"process {subject}", context=parent, kind=SpanKind.CONSUMER, attributes=attributes
    ):
        yield


def httpx_hooks() -> dict[str, list[Any]]:
    """httpx ``event_hooks`` that carry the trace context on every request a client
    sends (for clients other than ServiceClient: the bank connectors, the bank's
    callbacks)."""

    async def add_context(request: Any) -> None:
        if _state["enabled"]:
            propagate.inject(request.headers)

    return {"request": [add_context]}


class TracingMiddleware:
    """A server span per HTTP request, child of the caller's ``traceparent``; named
    ``METHOD /route/{template}`` once routing has found the template."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _state["enabled"]:
            await self.app(scope, receive, send)
            return
        carrier = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        method = scope["method"]
        with _tracer.start_as_current_span(
            method,
            context=propagate.extract(carrier),
            kind=SpanKind.SERVER,
            attributes={"http.request.method": method},
        ) as span:

            async def send_status(message: Message) -> None:
                if message["type"] == "http.response.start":
                    status = int(message["status"])
                    span.set_attribute("http.response.status_code", status)
                    if status >= 500:
                        span.set_status(Status(StatusCode.ERROR))
                await send(message)

            try:
                await self.app(scope, receive, send_status)
            finally:
                route = scope.get("route")
                template = getattr(route, "path", None)
                if template:
                    span.update_name(f"{method} {template}")
                    span.set_attribute("http.route", template)
