"""The platform's events for department engineers: the AsyncAPI document, the JSON
Schema of each event's data, and a page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse

from qinqing_gateway.errors import EventNotFound
from qinqing_shared import asyncapi
from qinqing_shared.contracts.events import EVENTS
from qinqing_shared.problems import responses
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(tags=["events"], dependencies=[Depends(limit_anonymous)])


@router.get("/events/asyncapi.json")
async def asyncapi_document() -> dict[str, Any]:
    """Every published and consumed subject, as AsyncAPI 3.0 (public)."""
    return asyncapi.document()


@router.get("/events/schemas/{subject}.json", responses=responses(EventNotFound))
async def event_schema(subject: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one event type's data (public), as in
    docs/events/schemas/."""
    event = EVENTS.get(subject)
    if event is None:
        raise EventNotFound(f"No event is published on {subject!r}: see /events.")
    return asyncapi.event_schema(event)


@router.get("/events", response_class=HTMLResponse)
async def event_catalog() -> HTMLResponse:
    """The events as a readable page (public)."""
    return HTMLResponse(asyncapi.catalog_page())
