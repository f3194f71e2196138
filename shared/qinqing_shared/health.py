"""Liveness and readiness: ready only when the database and NATS answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from qinqing_shared.ratelimit import limit_anonymous


def health_router(checks: dict[str, Callable[[], Awaitable[bool]]]) -> APIRouter:
    router = APIRouter(tags=["health"], dependencies=[Depends(limit_anonymous)])

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        results = {name: await check() for name, check in checks.items()}
        ready = all(results.values())
        body = {"status": "ready" if ready else "not ready", "checks": results}
        return JSONResponse(body, status_code=200 if ready else 503)

    return router
