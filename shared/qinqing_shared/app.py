"""The app factory every service uses: lifespan, database, NATS, outbox relay, consumers."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from sqlalchemy import event
from sqlalchemy.orm import Session

from qinqing_shared import logs, openapi, tracing
from qinqing_shared.auth.guard import allow
from qinqing_shared.auth.jwks import JwksCache
from qinqing_shared.auth.keys import KeyRing
from qinqing_shared.auth.scopes import API_AUDIENCE, OPERATIONS_READ
from qinqing_shared.auth.signing import AttestationVerifier, Signer
from qinqing_shared.auth.tokens import TokenVerifier
from qinqing_shared.db import Database
from qinqing_shared.deadletters import dead_letter_router
from qinqing_shared.events import domain_of, ensure_stream, stream_name
from qinqing_shared.guardrails import Guardrails
from qinqing_shared.health import health_router
from qinqing_shared.inbox import ProcessedEventMixin, Subscription, consume_forever
from qinqing_shared.jobs import Clock, Handler, Job, JobMixin, Jobs, ShiftedClock, SystemClock
from qinqing_shared.logs import RequestIds
from qinqing_shared.messaging import Messaging
from qinqing_shared.metrics import RequestMetrics, ServiceMetrics, metrics_router
from qinqing_shared.outbox import Outbox, forget_after_rollback, hand_over_after_commit
from qinqing_shared.problems import install_problem_handlers
from qinqing_shared.ratelimit import RateLimits, limit_anonymous
from qinqing_shared.retention import (
    Purge,
    Retention,
    finished_jobs,
    processed_events,
    published_outbox,
)
from qinqing_shared.settings import ServiceSettings
from qinqing_shared.uow import Units

BackgroundTask = Callable[[], Coroutine[Any, Any, None]]
RETENTION = "retention"  # the job kind (and key) of every service's purge round
log = logging.getLogger("qinqing.app")


@dataclass
class Runtime:
    """What a running service holds: its database, NATS and event plumbing."""

    settings: ServiceSettings
    domain: str | None
    db: Database
    units: Units  # the one way in to ``db`` (qinqing_shared.uow)
    messaging: Messaging
    outbox: Outbox | None = None
    inbox_model: type[ProcessedEventMixin] | None = None
    subscriptions: Sequence[Subscription] = ()
    background: list[BackgroundTask] = field(default_factory=list)
    closers: list[BackgroundTask] = field(default_factory=list)
    verifier: TokenVerifier | None = None
    signer: Signer | None = None
    attestations: AttestationVerifier | None = None
    metrics: ServiceMetrics = field(default_factory=lambda: ServiceMetrics("qinqing"))
    purges: list[Purge] = field(default_factory=list)  # the service's own, beside the
    # outbox's and inbox's (see qinqing_shared.retention)
    jobs_model: type[JobMixin] | None = None  # due work (qinqing_shared.jobs)
    handlers: dict[str, Handler] = field(default_factory=dict)  # the service's job kinds
    clock: Clock = field(default_factory=SystemClock)  # tests move a ManualClock
    # streams the service owns beside its domain's (catalog-svc: "interaction")
    more_domains: tuple[str, ...] = ()
    _jobs: Jobs | None = None

    @classmethod
    def build(cls, settings: ServiceSettings, domain: str | None, **kwargs: object) -> Runtime:
        db = Database(settings.database_url)
        messaging = Messaging(settings.nats_url, settings.service_name)
        metrics = ServiceMetrics(settings.service_name)
        units = Units(db, kwargs.get("outbox"))  # type: ignore[arg-type]
        parts = {"db": db, "units": units, "messaging": messaging, "metrics": metrics}
        runtime = cls(settings=settings, domain=domain, **parts, **kwargs)  # type: ignore[arg-type]
        if settings.clock_shift_file is not None:
            log.warning("the clock is shifted by %s (tests only)", settings.clock_shift_file)
            runtime.clock = ShiftedClock(settings.clock_shift_file)
        age = settings.jwks_max_age_seconds
        issuers = {
            iss: JwksCache(url, max_age_seconds=age)
            if url
            else JwksCache.discovered(iss, max_age_seconds=age)
            for iss, url in settings.trusted_issuers().items()
        }
        audiences = [settings.service_name, API_AUDIENCE]
        runtime.verifier = TokenVerifier(issuers, audiences, own=settings.oauth_issuer)
        runtime.closers += [jwks.aclose for jwks in issuers.values()]
        return runtime

    def signs(self) -> Signer:
        """This service signs answers (its key made at first start, JWKS published)."""
        if self.signer is None:
            ring = KeyRing(self.settings.key_folder / "signing", "EdDSA")
            self.signer = Signer(self.settings.service_name, ring)
        return self.signer

    def verifies(self, *peers: str) -> AttestationVerifier:
        """This service verifies the signed answers of ``peers`` (from ``peer_urls``)."""
        urls = self.settings.peer_urls
        missing = [p for p in peers if p not in urls]
        if missing:
            raise RuntimeError(f"{self.settings.service_name}: no peer_urls for {missing}")
        age = self.settings.jwks_max_age_seconds
        caches = {
            p: JwksCache(urls[p].rstrip("/") + "/.well-known/jwks.json", max_age_seconds=age)
            for p in peers
        }
        self.attestations = AttestationVerifier(caches)
        self.closers.append(self.attestations.aclose)
        return self.attestations

    def retention(self) -> Retention:
        """What this service purges: published outbox rows, handled event ids, its own."""
        days, purges = dt.timedelta(days=1), list(self.purges)
        if self.outbox is not None:
            keep = days * self.settings.outbox_retention_days
            purges.append(published_outbox(self.outbox.model, keep))
        if self.inbox_model is not None:
            purges.append(
                processed_events(self.inbox_model, days * self.settings.inbox_retention_days)
            )
        if self.jobs_model is not None:
            keep = days * self.settings.jobs_retention_days
            purges.append(finished_jobs(self.jobs_model, keep))
        return Retention(self.units, purges)

    def jobs(self) -> Jobs:
        """This service's job runner: its own kinds, and the retention round."""
        if self._jobs is None:
            assert self.jobs_model is not None, "jobs need a jobs table (jobs_model)"
            retention, every = (
                self.retention(),
                dt.timedelta(seconds=self.settings.retention_every_seconds),
            )

            async def retention_round(_job: Job) -> dt.datetime:
                removed = await retention.run_once(self.clock.now())
                if any(removed.values()):
                    log.info("retention purged %s", removed)
                return self.clock.now() + every

            handlers = {RETENTION: retention_round, **self.handlers}
            lease = dt.timedelta(seconds=self.settings.jobs_lease_seconds)
            self._jobs = Jobs(self.units, self.jobs_model, handlers, clock=self.clock, lease=lease)
        return self._jobs

    async def _run_jobs(self) -> None:
        """Due work, from the first start on: the retention round is made due at once
        (once for all instances), then every due job runs as it comes."""
        jobs = self.jobs()
        while True:
            try:
                await jobs.ensure(RETENTION, RETENTION)
                break
            except Exception:  # noqa: BLE001 - the database is not up yet: try again
                log.warning("jobs: the database is not reachable yet")
                await asyncio.sleep(self.settings.jobs_poll_seconds)
        await jobs.forever(self.settings.jobs_poll_seconds)

    async def nats_ready(self) -> bool:
        return self.messaging.connected

    async def _event_plumbing(self) -> None:
        await self.messaging.connect_forever()
        js = self.messaging.js
        for domain in filter(None, (self.domain, *self.more_domains)):
            await ensure_stream(js, domain, self.settings.stream_replicas)
        jobs = []
        if self.outbox is not None and self.settings.publish_events:
            scan, mark = self.settings.outbox_scan_seconds, self.settings.outbox_mark_seconds
            jobs.append(self.outbox.relay_forever(self.units, js, scan, mark_after=mark))
        for sub in self.subscriptions:
            assert self.inbox_model is not None, "consumers need an inbox table"
            replicas = self.settings.stream_replicas
            jobs.append(consume_forever(js, self.units, self.inbox_model, sub, replicas))
        tasks = [asyncio.create_task(job) for job in jobs]
        try:
            await asyncio.gather(*tasks)
        finally:
            # Stopped means stopped: every relay and consumer has ended before the
            # database and NATS are closed under them.
            for task in tasks:  # once: a second cancel would cut a relay's last marks short
                if not task.done() and not task.cancelling():
                    task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        if not event.contains(Session, "after_commit", hand_over_after_commit):
            event.listen(Session, "after_commit", hand_over_after_commit)
            event.listen(Session, "after_soft_rollback", forget_after_rollback)
        tasks = [asyncio.create_task(self._event_plumbing())]
        tasks += [asyncio.create_task(job()) for job in self.background]
        if self.jobs_model is not None:
            tasks.append(asyncio.create_task(self._run_jobs()))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for close in self.closers:
                await close()
            await self.messaging.close()
            await self.db.dispose()
            tracing.shutdown()


def create_service_app(
    runtime: Runtime,
    *,
    title: str,
    description: str,
    routers: Sequence[APIRouter],
    public_docs: bool = False,
) -> FastAPI:
    """A FastAPI app with problem details, health checks and the service's routers.

    An internal service publishes no documentation unless ``dev_routes`` is set, and then
    its OpenAPI document to operators only; ``public_docs`` is for the public API.
    """
    logs.configure(runtime.settings.service_name)
    app = FastAPI(
        title=title,
        description=description,
        lifespan=runtime.lifespan,
        max_body_size=runtime.settings.max_body_bytes,
        docs_url=None,  # served below, rate-limited like every public route
        redoc_url=None,
        openapi_url=None,
        telemetry=tracing.FASTAPI_TELEMETRY_OFF,  # type: ignore[arg-type]
    )
    app.state.runtime = runtime
    app.state.verifier = runtime.verifier
    limits = runtime.settings
    app.state.rate_limits = RateLimits(
        limits.rate_limit, limits.anonymous_rate_limit, limits.client_rate_limits
    )
    app.add_middleware(
        Guardrails,
        max_concurrent=limits.max_concurrent_requests,
        timeout_seconds=limits.request_timeout_seconds,
    )
    metrics = service_metrics(runtime)
    app.add_middleware(RequestMetrics, metrics=metrics)  # refusals counted too
    app.add_middleware(RequestIds)  # every answer carries its request's id
    if tracing.configure(runtime.settings.service_name):
        app.add_middleware(tracing.TracingMiddleware)  # outermost: the logs name the trace
    app.state.metrics = metrics
    install_problem_handlers(app)
    openapi.install(app)
    app.include_router(health_router({"database": runtime.db.ping, "nats": runtime.nats_ready}))
    app.include_router(metrics_router(metrics))
    if runtime.outbox is not None:
        app.include_router(_outbox_router(runtime, runtime.outbox))
        if runtime.outbox.dead_letters is not None:
            store = runtime.outbox.dead_letters
            app.include_router(dead_letter_router(store, runtime.units))
    if runtime.signer is not None:
        app.include_router(_jwks_router(runtime.signer))
    if public_docs:
        app.include_router(_public_docs_router(app))
    elif runtime.settings.dev_routes:
        app.include_router(_openapi_router(app))
    for router in routers:
        app.include_router(router)
    return app


def _openapi_router(app: FastAPI) -> APIRouter:
    router = APIRouter(tags=["development"], include_in_schema=False)

    @router.get("/openapi.json", dependencies=[allow(scopes=(OPERATIONS_READ,))])
    async def openapi() -> dict[str, Any]:
        """This service's OpenAPI document (development flag set; operators only)."""
        return app.openapi()

    return router


def service_metrics(runtime: Runtime) -> ServiceMetrics:
    """The runtime's metrics with what every service reports at scrape time."""
    metrics = runtime.metrics
    outbox, units = runtime.outbox, runtime.units
    if outbox is not None:

        async def backlog() -> float:
            return await outbox.pending_count(units)

        metrics.reading("qinqing_outbox_pending", "Events committed, not yet on NATS", backlog)

        async def age() -> float:
            return await outbox.oldest_pending_age(units, dt.datetime.now(dt.UTC))

        metrics.reading(
            "qinqing_outbox_oldest_seconds", "Age of the oldest event not yet on NATS", age
        )
        if outbox.dead_letters is not None:
            store = outbox.dead_letters

            async def waiting() -> float:
                return await store.waiting_count(units)

            metrics.reading("qinqing_dead_letters_waiting", "Dead letters not replayed", waiting)
    if runtime.jobs_model is not None:
        late = dt.timedelta(minutes=5)
        metrics.readings_by(
            "qinqing_jobs_stuck",
            "Jobs not done: overdue (due over 5 minutes ago) or failing (last run raised)",
            "state",
            lambda: runtime.jobs().stuck(late),
        )
    if runtime.subscriptions:
        metrics.readings_by(
            "qinqing_consumer_pending",
            "Events of a durable consumer not yet handled (waiting and unacknowledged)",
            "durable",
            lambda: consumer_lag(runtime),
        )
    return metrics


async def consumer_lag(runtime: Runtime) -> dict[str, float]:
    """Each durable consumer's backlog on JetStream (nothing while NATS is away)."""
    if not runtime.messaging.connected:
        return {}
    lag: dict[str, float] = {}
    for sub in runtime.subscriptions:
        try:
            info = await runtime.messaging.js.consumer_info(
                stream_name(domain_of(sub.subject)), sub.durable, timeout=2
            )
        except Exception:  # noqa: BLE001 - not created yet, or NATS busy: not reported
            continue
        lag[sub.durable] = float((info.num_pending or 0) + (info.num_ack_pending or 0))
    return lag


def _public_docs_router(app: FastAPI) -> APIRouter:
    router = APIRouter(include_in_schema=False, dependencies=[Depends(limit_anonymous)])

    @router.get("/openapi.json")
    async def openapi() -> dict[str, Any]:
        return app.openapi()

    @router.get("/docs")
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @router.get("/docs/oauth2-redirect")
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @router.get("/redoc")
    async def redoc() -> HTMLResponse:
        return get_redoc_html(openapi_url="/openapi.json", title=f"{app.title} - ReDoc")

    return router


def _jwks_router(signer: Signer) -> APIRouter:
    router = APIRouter(tags=["keys"], dependencies=[Depends(limit_anonymous)])

    @router.get("/.well-known/jwks.json")
    async def jwks() -> dict[str, Any]:
        """The public keys this service signs its answers with."""
        return signer.ring.jwks()

    return router


def _outbox_router(runtime: Runtime, outbox: Outbox) -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/outbox", dependencies=[allow(scopes=(OPERATIONS_READ,))])
    async def outbox_backlog() -> dict[str, int]:
        """Events committed but not yet relayed to JetStream (0 when drained)."""
        return {"pending": await outbox.pending_count(runtime.units)}

    return router
