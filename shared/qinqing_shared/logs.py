"""Structured logs: one JSON object per line, with the request and application they
belong to, and never personal data.

Every service logs through the standard library to stderr. ``configure`` installs the
JSON formatter on the root logger (``QINQING_LOG_FORMAT=text`` gives plain lines for a
person reading a terminal). ``RequestIds`` gives each request an id (the caller's
``X-Request-Id`` when it is a sane one, else a new one), answers it in the response's
``X-Request-Id``, writes one access line per request, and peers receive it on every
service call (``qinqing_shared.http``), so one id follows an application through every
service's log. The saga sets the application id while it advances a flow. With tracing
on (qinqing_shared.tracing), every line also names its ``trace_id``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import os
import re
import sys
import time
import uuid
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from qinqing_shared import tracing

REQUEST_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
APPLICATION_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "application_id", default=None
)
HEADER = "x-request-id"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")  # anything else is replaced, not logged
_QUIET = frozenset({"/healthz", "/readyz", "/metrics"})
access = logging.getLogger("qinqing.access")


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname.lower(),
            "logger": record.name,
            "service": self.service,
            "message": record.getMessage(),
        }
        for key, var in (("request_id", REQUEST_ID), ("application_id", APPLICATION_ID)):
            if (value := var.get()) is not None:
                line[key] = value
        if (trace_id := tracing.trace_id()) is not None:
            line["trace_id"] = trace_id
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure(service: str) -> None:
    """Log INFO and above to stderr, as JSON lines (or text if asked), once."""
    root = logging.getLogger()
    if any(getattr(h, "qinqing", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.qinqing = True  # type: ignore[attr-defined]
    if os.environ.get("QINQING_LOG_FORMAT", "json") == "text":
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    else:
        handler.setFormatter(JsonFormatter(service))
    root.handlers = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)


class RequestIds:
    """ASGI middleware: the request's id in context and in the answer, and an access
    line (method, route template, status, milliseconds) for every request but health
    checks and metrics."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), "")
        request_id = given if _SANE.match(given) else uuid.uuid4().hex
        token = REQUEST_ID.set(request_id)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if scope["path"] not in _QUIET:
                route = getattr(scope.get("route"), "path", "unmatched")
                ms = round((time.perf_counter() - started) * 1000, 1)
                fields = {"method": scope["method"], "route": route, "status": status, "ms": ms}
                access.info("%s %s %s", scope["method"], route, status, extra={"fields": fields})
            REQUEST_ID.reset(token)
