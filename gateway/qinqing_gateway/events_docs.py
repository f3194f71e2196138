"""The platform's events for department engineers: the AsyncAPI document and a page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from qinqing_shared import asyncapi
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(tags=["events"], dependencies=[Depends(limit_anonymous)])


@router.get("/events/asyncapi.json")
async def asyncapi_document() -> dict[str, Any]:
    """Every published and consumed subject, as AsyncAPI 3.0 (public)."""
    return asyncapi.document()


@router.get("/events", response_class=HTMLResponse)
async def event_catalog() -> HTMLResponse:
    """The events as a readable page (public)."""
    return HTMLResponse(asyncapi.catalog_page())
