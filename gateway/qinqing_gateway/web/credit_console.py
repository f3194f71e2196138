"""The console's credit records: an officer files a record (black list, red list,
violation) against an enterprise under the department's own record id, or lifts one
the department filed (credit repair), through credit-svc's department API with the
officer's token. What the record does is credit-svc's (docs/credit.md)."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from qinqing_gateway.web.api import PublicApi
from qinqing_gateway.web.i18n import language, words
from qinqing_gateway.web.pages import render
from qinqing_gateway.web.portal import form_of, page
from qinqing_gateway.web.sessions import Visitor
from qinqing_shared.openapi import HTML_ERRORS
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(include_in_schema=False, tags=["web"], dependencies=[Depends(limit_anonymous)])
FILED = ("record_id", "uscc", "kind", "reason", "valid_from", "valid_to")
LIFTED = ("repair_commitment", "reason")


def _api(request: Request) -> PublicApi:
    api: PublicApi = request.app.state.web_api
    return api


def _credit_page(request: Request, visitor: Visitor, done: str | None = None) -> HTMLResponse:
    t = words(language(request))
    return render(
        request,
        "console_credit.html",
        title=t["credit_title"],
        visitor=visitor,
        today=dt.date.today().isoformat(),
        done=done,
    )


@router.get("/console/credit", openapi_extra=HTML_ERRORS)
async def credit(request: Request) -> Response:
    """The forms to file and to lift a credit record."""

    async def build(visitor: Visitor) -> Response:
        return _credit_page(request, visitor)

    return await page(request, build, officer=True)


def _fields(form: dict[str, str], names: tuple[str, ...]) -> dict[str, Any]:
    """The form's fields as the API takes them: an empty one is left out."""
    return {name: form[name].strip() for name in names if form.get(name, "").strip()}


@router.post("/console/credit/records", openapi_extra=HTML_ERRORS)
async def file_record(request: Request) -> Response:
    """File a record: credit-svc checks it (a problem is shown) and files it once."""
    t = words(language(request))

    async def build(visitor: Visitor) -> Response:
        body = _fields(await form_of(request, visitor), FILED)
        assert visitor.token is not None
        filed = await _api(request).credit_records("POST", "/records", visitor.token, body)
        done = t["record_duplicate" if filed["outcome"] == "duplicate" else "record_filed"]
        return _credit_page(request, visitor, f"{done}: {filed['record']['id']}")

    return await page(request, build, officer=True)


@router.post("/console/credit/lift", openapi_extra=HTML_ERRORS)
async def lift_record(request: Request) -> Response:
    """Lift a record the department filed (credit repair)."""
    t = words(language(request))

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        record_id = form.get("record_id", "").strip()[:100]
        path = f"/records/{urllib.parse.quote(record_id, safe=':')}/lift"  # one path segment
        assert visitor.token is not None
        body = _fields(form, LIFTED)
        lifted = await _api(request).credit_records("POST", path, visitor.token, body)
        return _credit_page(request, visitor, f"{t['record_lifted']}: {lifted['id']}")

    return await page(request, build, officer=True)
