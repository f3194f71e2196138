"""The console's dead letters: records the department's own systems sent that were
refused at ingest (identity-svc's facts, credit-svc's credit records), each with why;
the officer corrects one and replays it. The services show a department only its own
letters and record who replayed (qinqing_shared.deadletters)."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from qinqing_gateway.web.api import PublicApi
from qinqing_gateway.web.console import json_object
from qinqing_gateway.web.i18n import language, words
from qinqing_gateway.web.pages import render
from qinqing_gateway.web.portal import form_of, page
from qinqing_gateway.web.sessions import Visitor
from qinqing_shared.openapi import HTML_ERRORS
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(include_in_schema=False, tags=["web"], dependencies=[Depends(limit_anonymous)])
Service = Literal["identity-svc", "credit-svc"]
LetterId = Annotated[str, Path(pattern=r"^[0-9a-f-]{36}$")]
SERVICES: tuple[Service, ...] = ("identity-svc", "credit-svc")


def _api(request: Request) -> PublicApi:
    api: PublicApi = request.app.state.web_api
    return api


async def _letters(api: PublicApi, service: str, token: str) -> list[dict[str, Any]]:
    """The department's letters at ``service``; none where its officer holds no right
    to them (a department without facts to send has no refused facts)."""
    try:
        found: list[dict[str, Any]] = await api.dead_letters(service, "GET", "", token)
    except Problem as problem:
        if problem.status == 403:
            return []
        raise
    return [letter | {"service": service} for letter in found]


@router.get("/console/dead-letters", openapi_extra=HTML_ERRORS)
async def dead_letters(request: Request) -> Response:
    """Every refused record of the department's systems, newest first."""
    t = words(language(request))

    async def build(visitor: Visitor) -> Response:
        assert visitor.token is not None
        found = [
            letter
            for service in SERVICES
            for letter in await _letters(_api(request), service, visitor.token)
        ]
        found.sort(key=lambda letter: letter["failed_at"], reverse=True)
        title = t["letters_title"]
        return render(request, "letters.html", title=title, visitor=visitor, letters=found)

    return await page(request, build, officer=True)


@router.get("/console/dead-letters/{service}/{letter_id}", openapi_extra=HTML_ERRORS)
async def dead_letter(request: Request, service: Service, letter_id: LetterId) -> Response:
    """One refused record: why, and its payload to correct and replay."""
    t = words(language(request))

    async def build(visitor: Visitor) -> Response:
        assert visitor.token is not None
        letter = await _api(request).dead_letters(service, "GET", f"/{letter_id}", visitor.token)
        payload = json.dumps(letter["payload"], ensure_ascii=False, indent=2)
        return render(
            request,
            "letter.html",
            title=t["letter_title"],
            visitor=visitor,
            letter=letter,
            service=service,
            payload=payload,
        )

    return await page(request, build, officer=True)


@router.post("/console/dead-letters/{service}/{letter_id}/replay", openapi_extra=HTML_ERRORS)
async def replay(request: Request, service: Service, letter_id: LetterId) -> Response:
    """Replay the record as corrected: taken as if the department sent it again."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        payload = json_object(form.get("payload", ""), "The record")
        assert visitor.token is not None
        path = f"/{letter_id}/replay"
        await _api(request).dead_letters(service, "POST", path, visitor.token, {"payload": payload})
        return RedirectResponse("/console/dead-letters", status_code=303)

    return await page(request, build, officer=True)
