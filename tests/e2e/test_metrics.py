"""Every service's Prometheus metrics: operators only, counted by route template."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from qinqing_devtools.platform import SERVICES, Platform
from tests.e2e import pilots

pytestmark = pytest.mark.e2e


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def requests_of(found: dict[tuple[str, frozenset[tuple[str, str]]], float], **labels: str) -> float:
    return found.get(("qinqing_http_requests_total", frozenset(labels.items())), 0.0)


async def test_a_request_is_counted_once_under_its_route_template(platform: Platform) -> None:
    missing = f"/v1/applications/{uuid.uuid4()}"
    route = {"method": "GET", "route": "/v1/applications/{application_id}", "status": "404"}
    async with httpx.AsyncClient(
        base_url=platform.gateway_url, timeout=30, auth=platform.auth("demo-operator")
    ) as http:
        before = samples((await http.get("/metrics")).text)
        assert (await http.get(missing)).status_code == 404
        after_text = (await http.get("/metrics")).text
    after = samples(after_text)
    assert requests_of(after, **route) == requests_of(before, **route) + 1
    assert missing not in after_text  # ids never become label values


@pytest.mark.parametrize("service", [s.name for s in SERVICES if s.name != "gateway"])
async def test_every_service_reports_its_outbox_and_dead_letters(
    platform: Platform, service: str
) -> None:
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("demo-operator")) as http:
        answer = await http.get(platform.url(service) + "/metrics")
    assert answer.headers["content-type"].startswith("text/plain")
    found = samples(answer.text)
    assert ("qinqing_service_info", frozenset({("service", service)})) in found
    assert ("qinqing_outbox_pending", frozenset()) in found
    assert ("qinqing_outbox_oldest_seconds", frozenset()) in found
    assert ("qinqing_dead_letters_waiting", frozenset()) in found


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
async def test_every_service_reports_its_due_work_none_of_it_stuck(
    platform: Platform, service: str
) -> None:
    async with httpx.AsyncClient(timeout=30, auth=platform.auth("demo-operator")) as http:
        found = await scrape(http, platform.url(service))
    stuck = {labels: v for (name, labels), v in found.items() if name == "qinqing_jobs_stuck"}
    assert stuck == {frozenset({("state", "overdue")}): 0.0, frozenset({("state", "failing")}): 0.0}


async def scrape(
    http: httpx.AsyncClient, url: str
) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return samples((await http.get(url + "/metrics")).text)


def value(
    found: dict[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def test_the_money_series_move_with_one_paid_application(platform: Platform) -> None:
    body = await pilots.registered(platform, 5501)
    gateway, payment = platform.gateway_url, platform.url("payment-svc")
    async with httpx.AsyncClient(timeout=60, auth=platform.auth("demo-operator")) as ops:
        before = {"gateway": await scrape(ops, gateway), "payment": await scrape(ops, payment)}
        final = await pilots.final_answer(platform, body["uscc"])
        after = {"gateway": await scrape(ops, gateway), "payment": await scrape(ops, payment)}
    amount = final["amount_fen"]
    assert (final["status"], amount > 0) == ("paid", True)
    paid = "qinqing_flow_answers_total"
    assert (
        value(after["gateway"], paid, status="paid")
        == value(before["gateway"], paid, status="paid") + 1
    )
    settled, fen = "qinqing_payouts_settled_total", "qinqing_payouts_settled_fen_total"
    for name, step in ((settled, 1), (fen, amount)):
        grew = value(after["payment"], name, status="completed") - value(
            before["payment"], name, status="completed"
        )
        assert grew == step, name
    left = "qinqing_budgets_remaining_fen"
    assert value(before["payment"], left) - value(after["payment"], left) == amount
    steps = "qinqing_flow_steps_total"
    moved = {
        step: value(after["gateway"], steps, step=step) - value(before["gateway"], steps, step=step)
        for step in ("credit", "decision", "payout")
    }
    assert moved == {"credit": 1, "decision": 1, "payout": 1}
    assert ("qinqing_flows_running", frozenset()) in after["gateway"]


async def test_consumers_report_their_lag_and_reconciliation_its_differences(
    platform: Platform,
) -> None:
    subsidy, payment = platform.url("subsidy-svc"), platform.url("payment-svc")
    expected = {"subsidy-svc-paid", "subsidy-svc-reversed", "subsidy-svc-clawbacks"}
    async with httpx.AsyncClient(timeout=60, auth=platform.auth("demo-operator")) as ops:
        durables: set[str] = set()
        deadline = time.monotonic() + 10  # a consumer NATS is slow to describe comes later
        while durables != expected and time.monotonic() < deadline:
            consumers = await scrape(ops, subsidy)
            durables = {
                dict(labels)["durable"]
                for name, labels in consumers
                if name == "qinqing_consumer_pending"
            }
        never_run = await scrape(ops, payment)
        report = (await ops.get(payment + "/reconciliation")).json()
        after_run = await scrape(ops, payment)
    assert durables == expected
    checked = "qinqing_reconciliation_last_run_timestamp_seconds"
    assert value(never_run, checked) == 0 or value(never_run, checked) < value(after_run, checked)
    assert value(after_run, checked) > 0
    differences = value(after_run, "qinqing_reconciliation_differences")
    assert differences == len(report["differences"])
