"""A request's page follows the request's steps on a stream that ends every 45 s and
connects again. The page's read is one record in the enterprise's records of use; the
stream's reconnects add none (docs/pages.md)."""

from __future__ import annotations

import asyncio
import re
import secrets
import uuid
from typing import Any

import httpx
import pytest

from qinqing_devtools.clients import GOLDEN_ELIGIBLE
from qinqing_devtools.platform import Platform

pytestmark = pytest.mark.e2e


async def portal_sign_in(http: httpx.AsyncClient, who: dict[str, str]) -> None:
    """The portal's authorization-code grant, as a browser follows it."""
    form_page = await http.get("/portal/sign-in")
    assert form_page.status_code == 200, form_page.text
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form_page.text))
    form = {k: v.replace("&amp;", "&") for k, v in hidden.items()}
    signed = await http.post(
        "/oauth/authorize", data=form | {"username": who["username"], "password": who["password"]}
    )
    assert signed.url.path == "/portal", signed.text


async def reads(operator: httpx.AsyncClient, request_id: str, marker: str) -> list[dict[str, Any]]:
    """The request's read records, once the marker read (made last) is in the chain:
    the records before it are in too (one outbox, one consumer, in order)."""
    for _ in range(100):
        answer = await operator.get(f"/enterprises/{GOLDEN_ELIGIBLE}/audit")
        if answer.status_code == 429:  # the operator's quota is the whole e2e session's
            await asyncio.sleep(float(answer.headers.get("Retry-After", "1")))
            continue
        assert answer.status_code == 200, answer.text
        found = answer.json()
        mine = [r for r in found if r["action"] == "request.read" and r["object_id"] == request_id]
        if any(r["actor"] == marker for r in mine):
            return mine
        await asyncio.sleep(0.2)
    raise AssertionError("the marker read never reached the audit chain")


async def test_a_request_page_and_its_reconnecting_stream_are_one_read(
    platform: Platform, api: httpx.AsyncClient, operator: httpx.AsyncClient
) -> None:
    who = {"username": f"reader.{uuid.uuid4().hex[:8]}", "password": secrets.token_urlsafe(12)}
    platform.register_person(**who, name="Stream Reader", uscc=GOLDEN_ELIGIBLE)
    body = {
        "uscc": GOLDEN_ELIGIBLE,
        "topic": "policy-question",
        "title": "Does an intern count?",
        "text": "Our intern graduates this year. May we apply for her?",
        "links": {},
    }
    filed = await api.post("/requests", json=body, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert filed.status_code == 201, filed.text
    request_id = filed.json()["id"]
    base = platform.gateway_url
    async with httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=True) as http:
        await portal_sign_in(http, who)
        shown = await http.get(f"/portal/requests/{request_id}")
        assert shown.status_code == 200, shown.text
        for _ in range(3):  # the page's stream, connected again three times
            async with http.stream("GET", f"/portal/requests/{request_id}/events") as events:
                kind = events.headers["content-type"].split(";")[0]
                assert (events.status_code, kind) == (200, "text/event-stream")
                assert await anext(events.aiter_text()) == "retry: 3000\n\n"
    marker = await api.get(f"/requests/{request_id}")  # the demo app reads it, last
    assert marker.status_code == 200, marker.text
    found = await reads(operator, request_id, "demo-app")
    by_person = [r for r in found if who["username"] in r["actor"]]
    assert [(r["actor"], r["on_behalf_of"]) for r in by_person] == [
        (f"portal ({who['username']})", None)
    ]
