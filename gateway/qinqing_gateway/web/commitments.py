"""The portal's credit commitments (信用承诺): the enterprise reviews its commitments
(open, kept, broken, with the evidence) and makes one for a clause a policy opens to
commitments, for an employee whose department data has not come. The ID number is
typed into the form and sent in the body to the API, never in an address or a log."""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from qinqing_gateway.web.api import PublicApi
from qinqing_gateway.web.i18n import language, words
from qinqing_gateway.web.pages import render
from qinqing_gateway.web.portal import form_of, page
from qinqing_gateway.web.sessions import Visitor
from qinqing_shared.openapi import HTML_ERRORS
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(include_in_schema=False, tags=["web"], dependencies=[Depends(limit_anonymous)])
_OPTION = re.compile(r"(?P<policy>[a-z0-9][a-z0-9-]{0,59})/(?P<clause>[a-z0-9_]{1,60})")


def _api(request: Request) -> PublicApi:
    api: PublicApi = request.app.state.web_api
    return api


async def open_clauses(api: PublicApi) -> list[dict[str, str]]:
    """Each clause of a published policy that an enterprise may commit for."""
    found = []
    for summary in (await api.get("/v1/policies?page_size=100"))["items"]:
        policy = await api.get(f"/v1/policies/{summary['id']}")
        rules = policy["rules"]
        for rule in [*rules["enterprise"], *rules["person"]]:
            if rule.get("commitment"):
                found.append(
                    {
                        "value": f"{policy['id']}/{rule['clause']}",
                        "policy": policy["name"],
                        "statement": rule["commitment"]["statement"],
                    }
                )
    return found


@router.get("/portal/commitments", openapi_extra=HTML_ERRORS)
async def commitments(request: Request) -> Response:
    """The enterprise's commitments, and the form to make one."""
    t = words(language(request))

    async def build(visitor: Visitor) -> Response:
        api = _api(request)
        made = await api.get(f"/v1/enterprises/{visitor.uscc}/commitments", visitor.token)
        return render(
            request,
            "commitments.html",
            title=t["commitments_title"],
            visitor=visitor,
            commitments=made,
            clauses=await open_clauses(api),
        )

    return await page(request, build)


@router.post("/portal/commitments", openapi_extra=HTML_ERRORS)
async def commit(request: Request) -> Response:
    """Make a commitment (asking again for the same clause and employee answers the
    commitment that stands)."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        chosen = _OPTION.fullmatch(form.get("clause", ""))
        if chosen is None:
            raise Problem(422, "bad-form", "Choose a clause", "Choose what you commit to.")
        body: dict[str, Any] = {
            "uscc": visitor.uscc,
            "policy_id": chosen["policy"],
            "clause": chosen["clause"],
            "id_number": form.get("id_number", "").strip(),
            "signed_by": form.get("signed_by", "").strip(),
        }
        assert visitor.token is not None
        await _api(request).send("POST", "/v1/commitments", visitor.token, body)
        return RedirectResponse("/portal/commitments", status_code=303)

    return await page(request, build)
