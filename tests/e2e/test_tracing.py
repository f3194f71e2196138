"""OpenTelemetry traces on the running platform: one application is one trace, from the
gateway through every service, the bank and the consumers of its payout event."""

from __future__ import annotations

import asyncio
import secrets
import uuid

import httpx
import pytest

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform
from tests.e2e.pilots import registered
from tests.e2e.test_logs import lines_of
from tests.support.otlp import OtlpReceiver, ReceivedSpan

pytestmark = pytest.mark.e2e

EVERY_PROCESS = {
    "gateway",
    "identity-svc",
    "catalog-svc",
    "subsidy-svc",
    "credit-svc",
    "payment-svc",
    "sandbox-bank",
}
PAYOUT_COMPLETED = "qinqing.payment.payout.completed.v1"


async def spans_of(otlp: OtlpReceiver, trace_id: str) -> list[ReceivedSpan]:
    """The trace once every process and the payout's consumers have sent their part."""
    spans: list[ReceivedSpan] = []
    for _ in range(100):
        spans = otlp.trace(trace_id)
        consumers = {s.service for s in spans if s.name == f"process {PAYOUT_COMPLETED}"}
        if {s.service for s in spans} >= EVERY_PROCESS and {"catalog-svc", "subsidy-svc"} <= (
            consumers
        ):
            return spans
        await asyncio.sleep(0.2)
    return spans


async def test_one_application_is_one_trace_across_every_process(
    platform: Platform, otlp: OtlpReceiver
) -> None:
    body = await registered(platform, 7101)
    trace_id, caller_span = secrets.token_hex(16), secrets.token_hex(8)
    headers = {
        "Idempotency-Key": str(uuid.uuid4()),
        "traceparent": f"00-{trace_id}-{caller_span}-01",  # the caller's own trace
    }
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=60, auth=platform.auth(chaos.LOAD_APP)
    ) as client:
        answer = await client.post(chaos.POLICY_PATH, json={"uscc": body["uscc"]}, headers=headers)
    assert answer.json()["status"] == "paid"
    spans = await spans_of(otlp, trace_id)
    assert {s.service for s in spans} == EVERY_PROCESS
    entry = [s for s in spans if s.parent_id == caller_span]
    assert [(s.service, s.name, s.kind) for s in entry] == [
        ("gateway", "POST /v1/policies/{policy_id}/applications", "server")
    ]
    assert entry[0].attributes["http.response.status_code"] == 200
    bank = [s.name for s in spans if s.service == "sandbox-bank"]
    assert "POST /payments" in bank
    consumers = {s.service for s in spans if s.name == f"process {PAYOUT_COMPLETED}"}
    assert {"catalog-svc", "subsidy-svc"} <= consumers
    # every span but the entry has its parent in the trace: one tree, nothing cut off
    ids = {s.span_id for s in spans}
    assert [s.name for s in spans if s.parent_id not in ids and s not in entry] == []
    # the logs of the request name its trace
    logged = [line for line in lines_of(platform, "gateway") if line.get("trace_id") == trace_id]
    assert [line["route"] for line in logged if line["logger"] == "qinqing.access"] == [
        "/v1/policies/{policy_id}/applications"
    ]
    # spans are named by templates and subjects: the enterprise is in none of them
    assert not [s for s in spans if body["uscc"] in f"{s.name} {s.attributes}"]
