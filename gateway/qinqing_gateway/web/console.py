"""The department console: an officer signs in (the same authorization-code grant,
with the department's scopes the officer holds) and drafts, reviews and publishes
the department's policies, through catalog-svc's department API with the officer's
own token: what any department's system may do, no more."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qinqing_gateway.web.api import PublicApi
from qinqing_gateway.web.client import OFFICER_SCOPES
from qinqing_gateway.web.i18n import language, words
from qinqing_gateway.web.pages import render
from qinqing_gateway.web.portal import (
    SignInNeeded,
    form_of,
    page,
    problem_page,
    start_sign_in,
    visitor_of,
)
from qinqing_gateway.web.sessions import Visitor
from qinqing_shared.contracts.catalog import MAX_VERSION
from qinqing_shared.openapi import HTML_ERRORS
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(include_in_schema=False, tags=["web"], dependencies=[Depends(limit_anonymous)])
PolicyId = Annotated[str, Path(max_length=60, pattern=r"^[a-z0-9][a-z0-9-]*$")]
Version = Annotated[int, Path(ge=1, le=MAX_VERSION)]
MAX_DRAFT_BYTES = 32_768
# made-up facts a draft is previewed on, edited by the officer (kept nowhere)
SAMPLE: dict[str, Any] = {
    "uscc": "91330106MA8000001P",
    "name": "Sample Enterprise",
    "status": "active",
    "district_code": "330106",
    "industry_code": "I6511",
    "registered_on": "2020-01-01",
    "bank_account": {"bank": "Bank of Hangzhou", "account_no": "62990000000001"},
    "legal_representative": "330110199801010010",
    "employees": [
        {
            "id_number": "330110199801010010",
            "name": "Sample Person",
            "birth_date": "1998-01-01",
            "household_district": "330106",
            "education": {"degree": "bachelor", "graduation_year": 2024},
            "social_insurance_months_in_city": 12,
            "owns_home_in_city": False,
        }
    ],
}
# what the officer edits: the version's content without what the platform sets
EDITED = ("name", "service_code", "currency", "budget_fen", "valid_from", "valid_to", "rules")


def _api(request: Request) -> PublicApi:
    api: PublicApi = request.app.state.web_api
    return api


@router.get("/console", response_class=HTMLResponse, openapi_extra=HTML_ERRORS)
async def home(request: Request) -> Response:
    """The department's policies, each with its versions and drafts."""
    t = words(language(request))
    try:
        visitor = await visitor_of(request, officer=True)
    except SignInNeeded:  # not signed in as an officer: the way in
        return render(request, "console_signin.html", title=t["console_title"])
    query = f"/v1/policies?department={visitor.department}&page_size=100"
    try:
        found = await _api(request).get(query)
    except Problem as problem:
        return problem_page(request, problem)
    return render(
        request,
        "console_home.html",
        title=t["console_title"],
        visitor=visitor,
        policies=found["items"],
    )


@router.get("/console/sign-in", openapi_extra=HTML_ERRORS)
async def sign_in(request: Request) -> Response:
    """An officer goes to sign in, asking for the department's scopes."""
    return await start_sign_in(request, OFFICER_SCOPES)


async def _policy_page(
    request: Request, visitor: Visitor, policy_id: str, draft: str | None = None
) -> HTMLResponse:
    api, t = _api(request), words(language(request))
    assert visitor.token is not None
    versions = await api.get(f"/v1/policies/{policy_id}/versions")
    drafts = await api.department("GET", f"/policies/{policy_id}/drafts", visitor.token)
    known = [*versions, *drafts]
    if not known:
        raise Problem(404, "policy-not-found", "No such policy", f"No policy {policy_id}.")
    latest = max(known, key=lambda v: v["policy"]["version"])["policy"]
    if latest["department_code"] != visitor.department:
        raise Problem(404, "policy-not-found", "No such policy", f"{policy_id} is not yours.")
    edited = draft or json.dumps({k: latest[k] for k in EDITED}, ensure_ascii=False, indent=2)
    budget = await _budget(api, policy_id, visitor.token)
    paid = (
        await api.get(f"/v1/budgets/{policy_id}/payouts?limit=10", visitor.token) if budget else []
    )
    return render(
        request,
        "console_policy.html",
        title=f"{t['policy']}: {latest['name']}",
        visitor=visitor,
        policy_id=policy_id,
        versions=versions,
        drafts=drafts,
        next_version=latest["version"] + 1,
        edited=edited,
        budget=budget,
        payouts=paid,
        sample=json.dumps(SAMPLE, ensure_ascii=False, indent=2),
    )


async def _budget(api: PublicApi, policy_id: str, token: str) -> dict[str, Any] | None:
    """The policy's budget as the department may read it; None before it is opened."""
    try:
        found: dict[str, Any] = await api.get(f"/v1/budgets/{policy_id}", token)
    except Problem as problem:
        if problem.status == 404:
            return None
        raise
    return found


@router.get("/console/policies/{policy_id}", openapi_extra=HTML_ERRORS)
async def policy(request: Request, policy_id: PolicyId) -> Response:
    """A policy's published versions and the department's drafts; a new draft's form."""

    async def build(visitor: Visitor) -> Response:
        return await _policy_page(request, visitor, policy_id)

    return await page(request, build, officer=True)


@router.post("/console/policies/{policy_id}/drafts", openapi_extra=HTML_ERRORS)
async def save_draft(request: Request, policy_id: PolicyId) -> Response:
    """Write a draft version from the edited JSON; a mistake is shown with the text kept."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        text, version = form.get("policy", ""), form.get("version", "")
        body = _draft_body(text, policy_id, version, visitor)
        assert visitor.token is not None
        await _api(request).department("POST", f"/policies/{policy_id}/drafts", visitor.token, body)
        return RedirectResponse(f"/console/policies/{policy_id}", status_code=303)

    return await page(request, build, officer=True)


def json_object(text: str, what: str) -> dict[str, Any]:
    """The form's JSON text as an object, or a problem saying where it is wrong."""
    if len(text.encode()) > MAX_DRAFT_BYTES:
        raise Problem(422, "bad-form", f"{what} is too long", f"At most {MAX_DRAFT_BYTES} bytes.")
    try:
        found = json.loads(text)
    except json.JSONDecodeError as exc:
        title = f"{what} is not valid JSON"
        raise Problem(422, "not-json", title, f"{exc.msg} (line {exc.lineno})") from exc
    if not isinstance(found, dict):
        raise Problem(422, "not-json", f"{what} is not valid JSON", "Send an object.")
    return found


def _draft_body(text: str, policy_id: str, version: str, visitor: Visitor) -> dict[str, Any]:
    if not (version.isascii() and version.isdigit()):
        raise Problem(422, "bad-form", "The draft was not accepted", "Open the page again.")
    edited = json_object(text, "The draft")
    fixed = {"id": policy_id, "version": int(version), "department_code": visitor.department}
    return {k: edited[k] for k in EDITED if k in edited} | fixed


@router.post("/console/policies/{policy_id}/drafts/{version}/publish", openapi_extra=HTML_ERRORS)
async def publish(request: Request, policy_id: PolicyId, version: Version) -> Response:
    """Publish a draft: from then on it never changes, and funds the policy's budget."""

    async def build(visitor: Visitor) -> Response:
        await form_of(request, visitor)
        assert visitor.token is not None
        path = f"/policies/{policy_id}/drafts/{version}/publish"
        await _api(request).department("POST", path, visitor.token)
        return RedirectResponse(f"/console/policies/{policy_id}", status_code=303)

    return await page(request, build, officer=True)


@router.post("/console/policies/{policy_id}/preview", openapi_extra=HTML_ERRORS)
async def preview(request: Request, policy_id: PolicyId) -> Response:
    """A draft decided on made-up facts: eligible or not, how much, and why."""
    t = words(language(request))

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        draft = form.get("draft", "")
        facts = json_object(form.get("enterprise", ""), "The made-up enterprise")
        if not (draft.isascii() and draft.isdigit()):
            raise Problem(422, "bad-form", "Choose a draft", "Choose the draft to preview.")
        asked = {"enterprise": facts, "draft": int(draft)}
        assert visitor.token is not None
        path = f"/v1/policies/{policy_id}/simulations"
        simulation = await _api(request).send("POST", path, visitor.token, asked)
        title = f"{t['preview']}: {policy_id} v{draft}"
        return render(
            request,
            "console_preview.html",
            title=title,
            visitor=visitor,
            sim=simulation,
            policy_id=policy_id,
        )

    return await page(request, build, officer=True)
