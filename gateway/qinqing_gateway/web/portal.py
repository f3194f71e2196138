"""The enterprise portal: a person of an enterprise's staff signs in (authorization
code with PKCE, as the ``portal`` client), then sees what applies to the enterprise,
applies in one click, follows the application, and manages apps' access, all through
the public API with that person's token.

Every page needs a signed-in session (the cookie of ``sessions``); every form that
changes something carries the session's CSRF token and comes from this origin.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import urllib.parse
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qinqing_gateway.web import push
from qinqing_gateway.web.api import PublicApi
from qinqing_gateway.web.client import SCOPES, PortalClient
from qinqing_gateway.web.guard import checked_form
from qinqing_gateway.web.i18n import language, problem_hint, problem_title, words
from qinqing_gateway.web.pages import render
from qinqing_gateway.web.sessions import COOKIE, Sessions, Visitor
from qinqing_shared.openapi import HTML_ERRORS
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(include_in_schema=False, tags=["web"], dependencies=[Depends(limit_anonymous)])
ApplicationId = Annotated[str, Path(max_length=36, pattern=r"^[0-9a-f-]{36}$")]
_ATTEMPT = re.compile(r"[A-Za-z0-9_-]{16,64}")
_POLICY = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
_CLIENT = re.compile(r"[A-Za-z0-9._-]{1,100}")
_NOTICE = re.compile(r"[0-9a-f-]{36}")
FINAL = {"paid", "rejected", "clawed_back"}


class SignInNeeded(Exception):
    """The page needs a signed-in person: answered with the sign-in link."""


def _api(request: Request) -> PublicApi:
    api: PublicApi = request.app.state.web_api
    return api


def _sessions(request: Request) -> Sessions:
    sessions: Sessions = request.app.state.web_sessions
    return sessions


def _client(request: Request) -> PortalClient:
    client: PortalClient = request.app.state.portal_client
    return client


def _secure(request: Request) -> bool:
    return _client(request).redirect_uri.startswith("https://")


def _set_cookie(request: Request, response: Response, session_id: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE,
        session_id,
        max_age=max_age,
        path="/",  # the portal's and the console's pages
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


async def visitor_of(request: Request, officer: bool = False) -> Visitor:
    """The signed-in person: of an enterprise (the portal), or an officer (the console)."""
    found = await _sessions(request).find(request.cookies.get(COOKIE))
    if found is None or not (found.officer if officer else found.enterprise):
        raise SignInNeeded
    return found


async def form_of(request: Request, visitor: Visitor) -> dict[str, str]:
    """A form sent from this origin with the session's CSRF token; else refused."""
    page_origin = f"{request.url.scheme}://{request.url.netloc}"
    raw = await request.body()
    return checked_form(raw, request.headers.get("origin"), page_origin, visitor.csrf)


def problem_page(request: Request, problem: Problem) -> HTMLResponse:
    lang = language(request)
    t = words(lang)
    if problem.status == 401:
        return sign_in_page(request)
    status = problem.status if 400 <= problem.status < 600 else 502
    return render(
        request,
        "error.html",
        status=status,
        title=t["error_title"],
        problem_title=problem_title(problem.slug, problem.title, lang),
        hint=problem_hint(problem.slug, lang),
        detail=problem.detail or t["try_again"],
        sign_in=False,
    )


def sign_in_page(request: Request) -> HTMLResponse:
    t = words(language(request))
    return render(
        request,
        "error.html",
        status=401,
        title=t["portal_title"],
        problem_title=t["sign_in"],
        detail=t["session_over"],
        sign_in="/console/sign-in"
        if request.url.path.startswith("/console")
        else "/portal/sign-in",
    )


async def page(request: Request, build: Any, officer: bool = False) -> Response:
    """Run a page's work: not signed in → the sign-in page; a problem → its page."""
    try:
        visitor = await visitor_of(request, officer)
        response: Response = await build(visitor)
        return response
    except SignInNeeded:
        return sign_in_page(request)
    except Problem as problem:
        return problem_page(request, problem)


@router.get("/portal", response_class=HTMLResponse, openapi_extra=HTML_ERRORS)
async def home(request: Request) -> Response:
    """The enterprise's page: the subsidies it can apply for, its applications."""
    found = await _sessions(request).find(request.cookies.get(COOKIE))
    t = words(language(request))
    if found is None or not found.enterprise:
        return render(request, "portal_signin.html", title=t["portal_title"])

    async def build(visitor: Visitor) -> Response:
        api = _api(request)
        policies = await api.get("/v1/policies?page_size=100", visitor.token)
        base = f"/v1/enterprises/{visitor.uscc}"
        applications = await api.get(f"{base}/applications?page_size=20", visitor.token)
        notices = await api.get(f"{base}/notices", visitor.token)
        held = await api.get(f"{base}/holdings", visitor.token)
        district = held["district_code"]
        services = await api.get(
            f"/v1/services?kind=service_item&district={district}&page_size=10", visitor.token
        )
        return render(
            request,
            "portal_home.html",
            title=t["portal_title"],
            visitor=visitor,
            policies=policies["items"],
            applications=applications["items"],
            notices=notices[:20],
            held=held,
            services=services,
            attempt=secrets.token_urlsafe(24),
        )

    return await page(request, build)


@router.get("/portal/sign-in", openapi_extra=HTML_ERRORS)
async def sign_in(request: Request) -> Response:
    """Start the authorization-code grant: state and PKCE verifier kept in a new session."""
    return await start_sign_in(request, SCOPES)


async def start_sign_in(request: Request, scopes: list[str]) -> Response:
    """A person (``SCOPES``) or an officer (``OFFICER_SCOPES``) goes to sign in."""
    client = _client(request)
    state, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    session_id = await _sessions(request).start_sign_in(state, verifier)
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": client.client_id,
            "redirect_uri": client.redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": challenge.rstrip(b"=").decode(),
            "code_challenge_method": "S256",
        }
    )
    response = RedirectResponse(f"/oauth/authorize?{query}", status_code=303)
    _set_cookie(request, response, session_id, 600)
    return response


@router.get("/portal/callback", openapi_extra=HTML_ERRORS)
async def callback(request: Request) -> Response:
    """The authorization server's answer: the code exchanged for the person's token."""
    code, state = request.query_params.get("code", ""), request.query_params.get("state", "")
    cookie = request.cookies.get(COOKIE, "")
    verifier = await _sessions(request).pending(cookie, state) if cookie and state else None
    if verifier is None or not code:
        return sign_in_page(request)
    client = _client(request)
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": client.redirect_uri,
        "code_verifier": verifier,
    }
    try:
        answer = await _api(request).token(form, client.client_id, client.secret)
        token = str(answer["access_token"])
        caller = await request.app.state.verifier.verify(token)  # ours, and unaltered
    except Problem as problem:
        return problem_page(request, problem)
    person = caller.person or ""
    if caller.kind not in ("enterprise", "department"):
        return sign_in_page(request)
    lifetime = int(answer["expires_in"])
    session_id = await _sessions(request).signed_in(
        person, caller.uscc, caller.department, token, lifetime
    )
    home = "/console" if caller.kind == "department" else "/portal"
    response = RedirectResponse(home, status_code=303)
    _set_cookie(request, response, session_id, lifetime)
    return response


@router.post("/portal/sign-out", openapi_extra=HTML_ERRORS)
async def sign_out(request: Request) -> Response:
    """End the session and revoke the person's token."""

    visitor = await _sessions(request).find(request.cookies.get(COOKIE))
    if visitor is None or visitor.token is None:
        return sign_in_page(request)
    try:
        await form_of(request, visitor)
    except Problem as problem:
        return problem_page(request, problem)
    client = _client(request)
    await _api(request).revoke(visitor.token, client.client_id, client.secret)
    await _sessions(request).end(visitor.session_id)
    response = RedirectResponse("/console" if visitor.officer else "/portal", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


@router.post("/portal/apply", openapi_extra=HTML_ERRORS)
async def apply(request: Request) -> Response:
    """One click: the application, keyed by the form's attempt (a second click of the
    same form is the same application, paid once)."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        policy, attempt = form.get("policy_id", ""), form.get("attempt", "")
        if not _POLICY.fullmatch(policy) or not _ATTEMPT.fullmatch(attempt):
            raise Problem(422, "bad-form", "The form was not complete", "Open the page again.")
        assert visitor.token is not None
        view = await _api(request).send(
            "POST",
            f"/v1/policies/{policy}/applications",
            visitor.token,
            {"uscc": visitor.uscc},
            key=f"portal-{attempt}",
        )
        return RedirectResponse(f"/portal/applications/{view['id']}", status_code=303)

    return await page(request, build)


@router.post("/portal/notices/decline", openapi_extra=HTML_ERRORS)
async def decline_notice(request: Request) -> Response:
    """Decline a payment the platform would make without an application (before its
    notice period ends), through the public API as the signed-in person."""

    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        notice_id = form.get("notice_id", "")
        if not _NOTICE.fullmatch(notice_id):
            raise Problem(422, "bad-form", "The form was not complete", "Open the page again.")
        assert visitor.token is not None
        await _api(request).send("POST", f"/v1/notices/{notice_id}/decline", visitor.token, None)
        return RedirectResponse("/portal#notices-h", status_code=303)

    return await page(request, build)


async def _application(request: Request, visitor: Visitor, application_id: str) -> Any:
    return await _api(request).get(f"/v1/applications/{application_id}", visitor.token)


@router.get("/portal/applications/{application_id}", openapi_extra=HTML_ERRORS)
async def application(request: Request, application_id: ApplicationId) -> Response:
    """An application: its status, payout and the decision's trace in plain words."""
    t = words(language(request))

    async def build(visitor: Visitor) -> Response:
        view = await _application(request, visitor, application_id)
        return render(request, "application.html", title=t["application"], view=view, final=FINAL)

    return await page(request, build)


@router.get("/portal/applications/{application_id}/live", openapi_extra=HTML_ERRORS)
async def application_live(request: Request, application_id: ApplicationId) -> Response:
    """The application's part of its page: what the page fetches while it runs."""

    async def build(visitor: Visitor) -> Response:
        view = await _application(request, visitor, application_id)
        return render(request, "application_live.html", view=view, final=FINAL)

    return await page(request, build)


@router.get("/portal/applications/{application_id}/events", openapi_extra=HTML_ERRORS)
async def application_events(request: Request, application_id: ApplicationId) -> Response:
    """The application's steps as they happen (server-sent events): for the person who
    may read the application (read once through the API first), until it is final."""

    async def build(visitor: Visitor) -> Response:
        view = await _application(request, visitor, application_id)  # may this person read it
        if view["status"] in FINAL:
            return Response(status_code=204)  # nothing more will happen: the page stops
        return push.followed(request, application_id)

    return await page(request, build)


@router.get("/portal/access", openapi_extra=HTML_ERRORS)
async def access(request: Request) -> Response:
    """Which apps may act for the enterprise, and who read or changed its data."""
    t = words(language(request))

    async def build(visitor: Visitor) -> Response:
        api, base = _api(request), f"/v1/enterprises/{visitor.uscc}"
        grants = await api.get(f"{base}/grants", visitor.token)
        records = await api.get(f"{base}/audit", visitor.token)
        return render(
            request,
            "access.html",
            title=t["access_title"],
            visitor=visitor,
            grants=grants,
            records=records,
        )

    return await page(request, build)


@router.post("/portal/access/grant", openapi_extra=HTML_ERRORS)
async def grant(request: Request) -> Response:
    return await _change_grant(request, "PUT")


@router.post("/portal/access/revoke", openapi_extra=HTML_ERRORS)
async def revoke(request: Request) -> Response:
    return await _change_grant(request, "DELETE")


async def _change_grant(request: Request, method: str) -> Response:
    async def build(visitor: Visitor) -> Response:
        form = await form_of(request, visitor)
        client_id = form.get("client_id", "").strip()
        if not _CLIENT.fullmatch(client_id):
            raise Problem(
                422, "bad-form", "The app id is not valid", "Letters, digits, '.', '_' or '-'."
            )
        assert visitor.token is not None
        path = f"/v1/enterprises/{visitor.uscc}/grants/{client_id}"
        await _api(request).send(method, path, visitor.token)
        return RedirectResponse("/portal/access", status_code=303)

    return await page(request, build)
