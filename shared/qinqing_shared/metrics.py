"""Prometheus metrics of a service (``prometheus-client``), at ``GET /metrics``.

Every service counts its requests by route template and status, with a latency
histogram and the number in progress, and reports its outbox backlog and dead letters
when read. ``/metrics`` answers operators only (``operations:read``): Prometheus scrapes
it with an operator's token (``authorization.credentials_file``), see docs/security.md.
Each app has a registry of its own, so several apps in one process never mix counts.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import OPERATIONS_READ

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
Reading = Callable[[], Awaitable[float]]
LabelledReading = Callable[[], Awaitable[dict[str, float]]]


class ServiceMetrics:
    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "qinqing_http_requests",
            "Requests answered, by route template and status",
            ["method", "route", "status"],
            registry=self.registry,
        ).labels
        self.latency = Histogram(
            "qinqing_http_request_duration_seconds",
            "Time from a request's arrival to its answer's end, by route template",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        ).labels
        self.in_progress = Gauge(
            "qinqing_http_requests_in_progress",
            "Requests being handled now",
            registry=self.registry,
        )
        self.info = Gauge(
            "qinqing_service_info", "This service", ["service"], registry=self.registry
        )
        self.info.labels(service=service).set(1)
        self.readings: dict[str, tuple[Gauge, Reading]] = {}
        self.labelled: dict[str, tuple[Gauge, LabelledReading]] = {}

    def counter(self, name: str, documentation: str, labels: list[str]) -> Counter:
        """A counter of the service's own (flows answered, payouts settled, ...)."""
        return Counter(name, documentation, labels, registry=self.registry)

    def reading(self, name: str, documentation: str, read: Reading) -> None:
        """A gauge read when /metrics is (e.g. the outbox backlog: one query a scrape)."""
        gauge = Gauge(name, documentation, registry=self.registry)
        self.readings[name] = (gauge, read)

    def gauge(self, name: str, documentation: str, labels: list[str] | None = None) -> Gauge:
        """A gauge the service sets itself (e.g. the last reconciliation's differences)."""
        return Gauge(name, documentation, labels or [], registry=self.registry)

    def readings_by(self, name: str, documentation: str, label: str, read: LabelledReading) -> None:
        """A gauge per ``label`` value, read when /metrics is (e.g. each consumer's lag)."""
        self.labelled[name] = (Gauge(name, documentation, [label], registry=self.registry), read)

    async def exposition(self) -> bytes:
        for gauge, read in self.readings.values():
            gauge.set(await read())
        for labelled, read_all in self.labelled.values():
            for value, reading in (await read_all()).items():
                labelled.labels(value).set(reading)
        return generate_latest(self.registry)


class RequestMetrics:
    """ASGI middleware: count and time each HTTP request by its route template (never
    the raw path, which may hold ids)."""

    def __init__(self, app: ASGIApp, *, metrics: ServiceMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500  # what the client gets when the app fails before answering
        started = time.perf_counter()

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        self.metrics.in_progress.inc()
        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.in_progress.dec()
            route = getattr(scope.get("route"), "path", "unmatched")
            method = scope["method"]
            self.metrics.requests(method, route, str(status)).inc()
            self.metrics.latency(method, route).observe(time.perf_counter() - started)


def metrics_router(metrics: ServiceMetrics) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get(
        "/metrics",
        dependencies=[allow(scopes=(OPERATIONS_READ,))],
        responses={
            **GUARDED_RESPONSES,
            200: {"content": {CONTENT_TYPE_LATEST.split(";")[0]: {}}, "description": "metrics"},
        },
        response_class=Response,
    )
    async def metrics_text() -> Response:
        """Prometheus metrics of this service (operators only)."""
        return Response(await metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    return router
