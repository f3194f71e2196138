"""``/v1/webhooks``: a department or an app registers, lists and removes its endpoints."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, Field

from qinqing_gateway.errors import TooManyWebhooks, WebhookNotFound, WebhookRefused
from qinqing_gateway.models import WebhookEndpoint
from qinqing_gateway.webhooks import addresses, signing
from qinqing_gateway.webhooks.dispatch import APP_SUBJECTS, DEPARTMENT_SUBJECTS, WANTED
from qinqing_gateway.webhooks.store import WebhookStore
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import WEBHOOKS_WRITE
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.problems import responses
from qinqing_shared.uow import Units

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], responses=GUARDED_RESPONSES)
audit = logging.getLogger("qinqing.audit")
MAX_ENDPOINTS = 10  # per client
WebhookIdPath = Annotated[str, Path(max_length=36, pattern=r"^[0-9a-f-]{36}$")]


class WebhookIn(BaseModel):
    url: str = Field(max_length=2000, description="https://… where deliveries are POSTed")
    subjects: list[str] = Field(
        min_length=1, max_length=len(DEPARTMENT_SUBJECTS), description="event subjects"
    )


class WebhookOut(BaseModel):
    id: str
    url: str
    subjects: list[str]
    created_at: dt.datetime


class WebhookCreated(WebhookOut):
    secret: str = Field(
        description="Signs every delivery (Standard Webhooks); shown this once, keep it"
    )


def _units(request: Request) -> Units:
    units: Units = request.app.state.runtime.units
    return units


def _out(endpoint: WebhookEndpoint) -> WebhookOut:
    return WebhookOut(
        id=endpoint.id, url=endpoint.url, subjects=endpoint.subjects, created_at=endpoint.created_at
    )


def _offered(caller: Caller) -> tuple[str, ...]:
    return APP_SUBJECTS if caller.kind == "app" else DEPARTMENT_SUBJECTS


@router.post(
    "",
    status_code=201,
    response_model=WebhookCreated,
    responses=responses(WebhookRefused, TooManyWebhooks),
)
async def register(
    body: WebhookIn, request: Request, caller: Caller = allow(scopes=(WEBHOOKS_WRITE,))
) -> WebhookCreated:
    """Register an endpoint for some subjects: an app hears of its own applications, a
    department of every application and of the budgets."""
    unknown = sorted(set(body.subjects) - set(_offered(caller)))
    if unknown:
        offered = ", ".join(_offered(caller))
        raise WebhookRefused(f"Not offered to {caller.kind}s: {unknown}. Offered: {offered}.")
    try:
        await addresses.check(body.url, request.app.state.settings.webhooks_allow_private)
    except addresses.AddressRefused as refused:
        raise WebhookRefused(str(refused)) from refused
    async with _units(request).write() as unit:
        store = WebhookStore(unit.session)
        if len(await store.endpoints_of(caller.client_id)) >= MAX_ENDPOINTS:
            raise TooManyWebhooks(f"At most {MAX_ENDPOINTS} endpoints; remove one first.")
        endpoint = WebhookEndpoint(
            id=str(uuid.uuid4()),
            client_id=caller.client_id,
            owner_kind=caller.kind,
            url=body.url,
            subjects=sorted(set(body.subjects)),
            secret=signing.new_secret(),
            created_at=dt.datetime.now(dt.UTC),
        )
        await store.add_endpoint(endpoint)
        await unit.commit()
    WANTED.subjects |= set(endpoint.subjects)  # delivered from now on
    audit.info("webhook %s registered by %s", endpoint.id, caller.client_id)
    return WebhookCreated(**_out(endpoint).model_dump(), secret=endpoint.secret)


@router.get("", response_model=list[WebhookOut])
async def list_own(
    request: Request, caller: Caller = allow(scopes=(WEBHOOKS_WRITE,))
) -> list[WebhookOut]:
    """The caller's endpoints (never their secrets)."""
    async with _units(request).read() as unit:
        endpoints = await WebhookStore(unit.session).endpoints_of(caller.client_id)
    return [_out(e) for e in endpoints]


@router.delete("/{webhook_id}", status_code=204, responses=responses(WebhookNotFound))
async def remove(
    webhook_id: WebhookIdPath, request: Request, caller: Caller = allow(scopes=(WEBHOOKS_WRITE,))
) -> Response:
    """Remove one of the caller's endpoints, and what was still to be sent to it."""
    async with _units(request).write() as unit:
        store = WebhookStore(unit.session)
        endpoint = await store.endpoint(webhook_id)
        if endpoint is None or endpoint.client_id != caller.client_id:
            raise WebhookNotFound(f"No webhook {webhook_id} of yours.")
        await store.remove_endpoint(endpoint)
        await unit.commit()
    audit.info("webhook %s removed by %s", webhook_id, caller.client_id)
    return Response(status_code=204)
