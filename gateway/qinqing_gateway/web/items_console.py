"""The console's service items: how each of the department's items is handled (routed
to the department, or decided at once from department data, a condition perhaps open
to a credit commitment), and a new handling version set by an officer, through
catalog-svc's department API with the officer's own token (docs/interaction.md).
catalog-svc decides who may set it (the item's own department) and what is valid."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

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
ServiceCode = Annotated[str, Path(max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")]
MAX_ITEMS = 100  # a department's items on one page


def _api(request: Request) -> PublicApi:
    api: PublicApi = request.app.state.web_api
    return api


def committable(handling: dict[str, Any]) -> bool:
    """Whether a condition of the item is open to a credit commitment."""
    return any(rule.get("commitment") for rule in handling["conditions"])


async def _handling(api: PublicApi, code: str, visitor: Visitor) -> dict[str, Any]:
    found: dict[str, Any] = await api.get(f"/v1/services/{code}/handling", visitor.token)
    return found


@router.get("/console/items", openapi_extra=HTML_ERRORS)
async def items(request: Request) -> Response:
    """The department's service items, each with how it is handled and its version."""
    api, t = _api(request), words(language(request))

    async def build(visitor: Visitor) -> Response:
        query = f"department={visitor.department}&kind=service_item&page_size={MAX_ITEMS}"
        found = (await api.get(f"/v1/services?{query}", visitor.token))["items"]
        handled = await asyncio.gather(*(_handling(api, i["code"], visitor) for i in found))
        rows = [
            {**item, "handling": h["handling"], "version": h["version"]}
            | {"committable": committable(h["handling"])}
            for item, h in zip(found, handled, strict=True)
        ]
        return render(
            request, "console_items.html", title=t["items_title"], visitor=visitor, items=rows
        )

    return await page(request, build, officer=True)


async def _item_page(request: Request, visitor: Visitor, code: str) -> HTMLResponse:
    t = words(language(request))
    found = await _handling(_api(request), code, visitor)
    if found["department_code"] != visitor.department:
        detail = f"{code} is handled by department {found['department_code']}, not yours."
        raise Problem(404, "service-item-not-found", "No such service item", detail)
    edited = json.dumps(found["handling"], ensure_ascii=False, indent=2)
    return render(
        request,
        "console_item.html",
        title=f"{t['handling']}: {code}",
        visitor=visitor,
        item=found,
        committable=committable(found["handling"]),
        edited=edited,
    )


@router.get("/console/items/{code}", openapi_extra=HTML_ERRORS)
async def item(request: Request, code: ServiceCode) -> Response:
    """One of the department's items: its handling now, and the form to set a new one."""

    async def build(visitor: Visitor) -> Response:
        return await _item_page(request, visitor, code)

    return await page(request, build, officer=True)


@router.post("/console/items/{code}/handling", openapi_extra=HTML_ERRORS)
async def set_handling(request: Request, code: ServiceCode) -> Response:
    """Set a new handling version from the edited JSON. The form names the version it
    was edited from: if another officer set one since, catalog-svc writes nothing."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        edited_from = form.get("version", "")
        if not (edited_from.isascii() and edited_from.isdigit() and len(edited_from) < 10):
            raise Problem(422, "bad-form", "The handling was not accepted", "Open the page again.")
        handling = json_object(form.get("handling", ""), "The handling")
        assert visitor.token is not None
        path = f"/services/{code}/handling?edited_from={edited_from}"
        await _api(request).department("PUT", path, visitor.token, handling)
        return RedirectResponse(f"/console/items/{code}", status_code=303)

    return await page(request, build, officer=True)
