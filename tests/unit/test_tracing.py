"""Tracing off (no OTLP endpoint): nothing is added to requests, events or logs."""

from __future__ import annotations

from qinqing_shared import tracing
from qinqing_shared.events import CloudEvent

PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"


def test_off_without_an_endpoint_and_adds_nothing() -> None:
    assert tracing.enabled() is False
    assert tracing.inject({"X-Request-Id": "r"}) == {"X-Request-Id": "r"}
    assert tracing.traceparent() is None
    assert tracing.trace_id() is None


def test_an_event_carries_its_trace_context_in_the_traceparent_header() -> None:
    event = CloudEvent(type="qinqing.payment.payout.completed.v1", source="/s", data={})
    assert "traceparent" not in event.headers()
    traced = event.model_copy(update={"traceparent": PARENT})
    headers = traced.headers()
    assert headers["traceparent"] == PARENT
    assert CloudEvent.from_message(headers, traced.body()).traceparent == PARENT
