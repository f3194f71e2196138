"""Direct interaction in the pages (docs/interaction.md): a person of an enterprise
raises a request and follows it (replies, rates, reopens) through the public API; an
officer takes, asks, transfers, answers and closes the department's requests through
catalog-svc's department API, with the officer's own token. Who may do what is the
API's to decide; a page only shows the forms that fit the request's state."""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response

from qinqing_gateway.web import push
from qinqing_gateway.web.api import PublicApi
from qinqing_gateway.web.i18n import language, words
from qinqing_gateway.web.pages import render
from qinqing_gateway.web.portal import _ATTEMPT, form_of, page
from qinqing_gateway.web.sessions import Visitor
from qinqing_shared.contracts.interaction import REQUEST_ID
from qinqing_shared.openapi import HTML_ERRORS
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(include_in_schema=False, tags=["web"], dependencies=[Depends(limit_anonymous)])
RequestId = Annotated[str, Path(pattern=REQUEST_ID)]
EnterpriseStep = Literal["replies", "ratings", "reopenings"]
OfficerStep = Literal["acceptance", "questions", "transfers", "answers", "closure"]
_TOPIC = re.compile(r"[a-z][a-z0-9-]{0,39}")
_POLICY = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
_DEPARTMENT = re.compile(r"[A-Z]{2}-[A-Z0-9]{2,10}")
_SERVICE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,39}")


def _api(request: Request) -> PublicApi:
    api: PublicApi = request.app.state.web_api
    return api


def bad_form(detail: str) -> Problem:
    return Problem(422, "bad-form", "The form was not complete", detail)


# -- the enterprise -----------------------------------------------------------------------


@router.get("/portal/requests", openapi_extra=HTML_ERRORS)
async def enterprise_requests(request: Request) -> Response:
    """The enterprise's requests, and the form to raise one."""
    lang = language(request)
    t = words(lang)

    async def build(visitor: Visitor) -> Response:
        api = _api(request)
        listed = await api.get("/v1/requests", visitor.token)
        topics = await api.get("/v1/request-topics")
        policies = await api.get("/v1/policies?page_size=100")
        return render(
            request,
            "requests.html",
            title=t["requests_title"],
            visitor=visitor,
            requests=listed,
            topics=topics,
            policies=policies["items"],
            departments=await api.names("departments", lang),
            attempt=secrets.token_urlsafe(24),
            base="/portal/requests",
            service=_service_asked(request),
        )

    return await page(request, build)


def _service_asked(request: Request) -> str | None:
    """The service item a link asked for (``?service=``), if it is a code."""
    code = request.query_params.get("service", "")
    return code if _SERVICE.fullmatch(code) else None


def _raised(form: dict[str, str], uscc: str | None) -> dict[str, Any]:
    topic, policy = form.get("topic", ""), form.get("policy_id", "")
    service = form.get("service_code", "").strip()
    if not _TOPIC.fullmatch(topic) or (policy and not _POLICY.fullmatch(policy)):
        raise bad_form("Choose a topic (and a policy, if it is about one).")
    if service and not _SERVICE.fullmatch(service):
        raise bad_form("A service item's code is letters, digits and '-'.")
    links = {"policy_id": policy} if policy else {}
    if service:
        links["service_code"] = service
    title, text = form.get("title", "").strip(), form.get("text", "").strip()
    return {"uscc": uscc, "topic": topic, "title": title, "text": text, "links": links}


@router.post("/portal/requests", openapi_extra=HTML_ERRORS)
async def raise_request(request: Request) -> Response:
    """Raise a request, keyed by the form's attempt (a second click files it once)."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        attempt = _attempt(form)
        assert visitor.token is not None
        return await _file(_api(request), visitor.token, _raised(form, visitor.uscc), attempt)

    return await page(request, build)


@router.get("/portal/requests/{request_id}", openapi_extra=HTML_ERRORS)
async def enterprise_request(request: Request, request_id: RequestId) -> Response:
    """A request with its whole history, and what the enterprise may do next."""

    async def build(visitor: Visitor) -> Response:
        assert visitor.token is not None
        view = await _api(request).get(f"/v1/requests/{request_id}", visitor.token)
        _shown(request).remember(visitor.token, request_id)
        return await _request_page(request, visitor, view, officer=False)

    return await page(request, build)


@router.get("/portal/requests/{request_id}/events", openapi_extra=HTML_ERRORS)
async def enterprise_request_events(request: Request, request_id: RequestId) -> Response:
    """The request's steps as they happen (server-sent events), for its enterprise."""

    async def build(visitor: Visitor) -> Response:
        assert visitor.token is not None
        if not _shown(request).recent(visitor.token, request_id):  # may they read it
            await _api(request).get(f"/v1/requests/{request_id}", visitor.token)
            _shown(request).remember(visitor.token, request_id)
        return push.followed(request, request_id)

    return await page(request, build)


@router.post("/portal/requests/{request_id}/commitment", openapi_extra=HTML_ERRORS)
async def commit_and_ask_again(request: Request, request_id: RequestId) -> Response:
    """A service item left to its department for want of data that its conditions open
    to commitments (告知承诺制): the enterprise commits for each such condition and asks
    again, keyed by the form's attempt; the new request is decided on the commitments."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        attempt = _attempt(form)
        assert visitor.token is not None
        api = _api(request)
        view = await api.get(f"/v1/requests/{request_id}", visitor.token)
        code = view["links"].get("service_code")
        clauses = [c["clause"] for c in await _committable(api, view)]
        if not clauses:
            raise bad_form("Nothing in this request may be committed to.")
        signed_by = form.get("signed_by", "").strip()
        for clause in clauses:
            body = {"uscc": view["uscc"], "service_code": code, "clause": clause}
            await api.send(
                "POST", "/v1/commitments", visitor.token, body | {"signed_by": signed_by}
            )
        again = {k: view[k] for k in ("uscc", "topic", "title", "text", "links")}
        return await _file(api, visitor.token, again, attempt)

    return await page(request, build)


def _attempt(form: dict[str, str]) -> str:
    """The form's attempt: the Idempotency-Key of what it files (a second click is one)."""
    attempt = form.get("attempt", "")
    if not _ATTEMPT.fullmatch(attempt):
        raise bad_form("Open the page again.")
    return attempt


async def _file(api: PublicApi, token: str, body: dict[str, Any], attempt: str) -> Response:
    """File the request, keyed by the form's attempt, and show it."""
    filed = await api.send("POST", "/v1/requests", token, body, key=f"portal-{attempt}")
    return RedirectResponse(f"/portal/requests/{filed['id']}", status_code=303)


async def _committable(api: PublicApi, view: dict[str, Any]) -> list[dict[str, str]]:
    """The conditions a service item left undecided for want of data that it opens to
    commitments: what the enterprise may declare (the item's handling, as it stands)."""
    decision = view.get("decision") or {}
    code = view["links"].get("service_code")
    if decision.get("outcome") != "undecided" or not code:
        return []
    unknown = {e["clause"] for e in decision["trace"] if e.get("missing_from") and not e["passed"]}
    handling = (await api.get(f"/v1/services/{code}/handling"))["handling"]
    return [
        {"clause": c["clause"], "statement": c["commitment"]["statement"]}
        for c in handling["conditions"]
        if c.get("commitment") and c["clause"] in unknown
    ]


@router.post("/portal/requests/{request_id}/{step}", openapi_extra=HTML_ERRORS)
async def enterprise_step(
    request: Request, request_id: RequestId, step: EnterpriseStep
) -> Response:
    """Reply to a question, rate the answer, or reopen the request."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        assert visitor.token is not None
        path = f"/v1/requests/{request_id}/{step}"
        await _api(request).send("POST", path, visitor.token, _step_body(step, form))
        return RedirectResponse(f"/portal/requests/{request_id}", status_code=303)

    return await page(request, build)


# -- the department -----------------------------------------------------------------------


@router.get("/console/requests", openapi_extra=HTML_ERRORS)
async def department_requests(request: Request) -> Response:
    """The requests the officer's department holds, escalated ones marked."""
    lang = language(request)
    t = words(lang)

    async def build(visitor: Visitor) -> Response:
        assert visitor.token is not None
        api = _api(request)
        listed = await api.department("GET", "/requests", visitor.token)
        return render(
            request,
            "console_requests.html",
            title=t["requests_title"],
            visitor=visitor,
            requests=listed,
            departments=await api.names("departments", lang),
            base="/console/requests",
        )

    return await page(request, build, officer=True)


@router.get("/console/requests/{request_id}", openapi_extra=HTML_ERRORS)
async def department_request(request: Request, request_id: RequestId) -> Response:
    async def build(visitor: Visitor) -> Response:
        assert visitor.token is not None
        view = await _api(request).department("GET", f"/requests/{request_id}", visitor.token)
        _shown(request).remember(visitor.token, request_id)
        return await _request_page(request, visitor, view, officer=True)

    return await page(request, build, officer=True)


@router.get("/console/requests/{request_id}/events", openapi_extra=HTML_ERRORS)
async def department_request_events(request: Request, request_id: RequestId) -> Response:
    """The request's steps as they happen (server-sent events), for its department."""

    async def build(visitor: Visitor) -> Response:
        assert visitor.token is not None
        if not _shown(request).recent(visitor.token, request_id):  # may they read it
            await _api(request).department("GET", f"/requests/{request_id}", visitor.token)
            _shown(request).remember(visitor.token, request_id)
        return push.followed(request, request_id)

    return await page(request, build, officer=True)


@router.post("/console/requests/{request_id}/{action}", openapi_extra=HTML_ERRORS)
async def department_step(request: Request, request_id: RequestId, action: OfficerStep) -> Response:
    """Take the request, ask, transfer, answer or close it. After a transfer it is no
    longer the department's: back to the list."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        assert visitor.token is not None
        path = f"/requests/{request_id}/{action}"
        await _api(request).department("POST", path, visitor.token, _step_body(action, form))
        own = f"/console/requests/{request_id}"
        after = "/console/requests" if action == "transfers" else own
        return RedirectResponse(after, status_code=303)

    return await page(request, build, officer=True)


def _step_body(step: str, form: dict[str, str]) -> dict[str, Any] | None:
    """The API's body for a step, from the form (the API checks the values)."""
    text = form.get("text", "").strip()
    if step in ("acceptance", "closure"):
        return None
    if step == "ratings":
        rating = form.get("rating", "")
        if rating not in ("1", "2", "3", "4", "5"):
            raise bad_form("Choose a rating from 1 to 5.")
        return {"rating": int(rating), "comment": text or None}
    if step == "transfers":
        to = form.get("to_department", "")
        if not _DEPARTMENT.fullmatch(to):
            raise bad_form("Choose the department to pass the request to.")
        return {"to_department": to, "reason": text}
    if step == "answers" and form.get("outcome") in ("granted", "refused"):
        return {"text": text, "outcome": form["outcome"]}
    return {"text": text}


def _shown(request: Request) -> push.Shown:
    followers: push.Followers = request.app.state.followers
    return followers.shown


async def _request_page(
    request: Request, visitor: Visitor, view: dict[str, Any], *, officer: bool
) -> Response:
    lang = language(request)
    departments = await _api(request).names("departments", lang)
    return render(
        request,
        "request.html",
        title=words(lang)["request_title"],
        visitor=visitor,
        view=view,
        officer=officer,
        departments=departments,
        base="/console/requests" if officer else "/portal/requests",
        committable=[] if officer else await _committable(_api(request), view),
        attempt=secrets.token_urlsafe(24),
    )
