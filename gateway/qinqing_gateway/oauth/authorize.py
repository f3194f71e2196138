"""The authorization-code grant with PKCE (RFC 6749 §4.1, RFC 7636): people sign in.

A person of an enterprise's staff signs in on the platform's page, for an app the
enterprise uses (or, later, the portal). The app gets a code at its registered
redirect URI and exchanges it, with the PKCE verifier, for a token that acts for that
enterprise only (``qinqing_kind: enterprise``, the person as ``sub``, the app as
``client_id``). Only S256 challenges; codes live 60 seconds and work once.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import html
import secrets
import time
import urllib.parse
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from qinqing_gateway.models import AuthorizationCode, OAuthClient
from qinqing_gateway.oauth import people
from qinqing_gateway.oauth.state import AuthServer
from qinqing_shared.auth.scopes import APPLICATIONS_READ, APPLICATIONS_WRITE, KIND_SCOPES
from qinqing_shared.openapi import HTML_ERRORS
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(tags=["oauth"], dependencies=[Depends(limit_anonymous)])
CODE_SECONDS = 60
FORM_SECONDS = 600
DEFAULT_SCOPES = f"{APPLICATIONS_WRITE} {APPLICATIONS_READ}"
PORTAL_CLIENT_ID = "portal"  # the platform's own pages (qinqing_gateway.web)
PARAMS = ("client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method")
_FORM_KEY = secrets.token_bytes(32)  # signs this process's sign-in forms (CSRF)


@dataclass(frozen=True)
class AuthRequest:
    client_id: str
    redirect_uri: str
    scope: str
    state: str
    code_challenge: str


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    text = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width"><title>{html.escape(title)} - '
        "Qinqing</title></head><body><main>"
        f"<h1>{html.escape(title)}</h1>{body}</main></body></html>"
    )
    headers = {
        "Cache-Control": "no-store",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": "default-src 'none'; form-action 'self'",
    }
    return HTMLResponse(text, status_code=status, headers=headers)


def _refused(detail: str) -> HTMLResponse:
    return _page("This sign-in link is not valid", f"<p>{html.escape(detail)}</p>", 400)


async def _checked(server: AuthServer, values: dict[str, str]) -> AuthRequest | str:
    """The request, or why it is refused (never redirected: the URI may be a lure)."""
    if values.get("response_type", "code") != "code":
        return "Only response_type=code is supported."
    async with server.units.read() as unit:
        client = await unit.session.get(OAuthClient, values.get("client_id", ""))
    uris = (client.redirect_uris or "").split() if client else []
    if client is None or client.kind != "app" or client.disabled_at is not None:
        return "The app is not known to the platform."
    if values.get("redirect_uri") not in uris:
        return "The app did not register this redirect address."
    challenge = values.get("code_challenge", "")
    if values.get("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
        return "A PKCE code_challenge with code_challenge_method=S256 is required."
    scope = values.get("scope") or DEFAULT_SCOPES
    if not set(scope.split()) <= _askable(client.client_id):
        return "The app asked for scopes a person cannot give it."
    return AuthRequest(
        client.client_id, values["redirect_uri"], scope, values.get("state", "")[:500], challenge
    )


def _askable(client_id: str) -> frozenset[str]:
    """What an app may ask a person for: an enterprise's scopes; the platform's own
    portal also a department's (its console, for officers)."""
    if client_id == PORTAL_CLIENT_ID:
        return KIND_SCOPES["enterprise"] | KIND_SCOPES["department"]
    return KIND_SCOPES["enterprise"]


def _signature(values: dict[str, str], issued: str) -> str:
    text = "\n".join([issued, *(values.get(k, "") for k in PARAMS)])
    return hmac.new(_FORM_KEY, text.encode(), hashlib.sha256).hexdigest()


def _form(values: dict[str, str], error: str | None = None) -> HTMLResponse:
    issued = str(int(time.time()))
    hidden = "".join(
        f'<input type="hidden" name="{k}" value="{html.escape(values.get(k, ""))}">' for k in PARAMS
    )
    problem = f'<div role="alert" id="error"><p>{html.escape(error)}</p></div>' if error else ""
    described = ' aria-describedby="error"' if error else ""
    body = (
        f"{problem}<p>Sign in for your enterprise to let the app act for it.</p>"
        '<form method="post" action="/oauth/authorize">'
        f'{hidden}<input type="hidden" name="issued" value="{issued}">'
        f'<input type="hidden" name="form_signature" value="{_signature(values, issued)}">'
        f'<p><label for="username">Username</label><br><input id="username" name="username"'
        f' autocomplete="username" required{described}></p>'
        '<p><label for="password">Password</label><br><input id="password" name="password"'
        ' type="password" autocomplete="current-password" required></p>'
        '<p><button type="submit">Sign in</button></p></form>'
    )
    return _page("Sign in", body, 401 if error else 200)


@router.get(
    "/oauth/authorize", response_class=HTMLResponse, responses={400: {}}, openapi_extra=HTML_ERRORS
)
async def authorize_page(request: Request) -> Response:
    """The sign-in page of the authorization-code grant (with PKCE S256)."""
    values = dict(request.query_params)
    checked = await _checked(request.app.state.auth_server, values)
    return _refused(checked) if isinstance(checked, str) else _form(values)


@router.post(
    "/oauth/authorize",
    response_class=HTMLResponse,
    responses={302: {}, 400: {}, 401: {}},
    openapi_extra=HTML_ERRORS,
)
async def authorize(request: Request) -> Response:
    """Check the person's password; send the app a code at its redirect address."""
    form = await _read_form(request)
    server: AuthServer = request.app.state.auth_server
    checked = await _checked(server, form)
    if isinstance(checked, str):
        return _refused(checked)
    issued = form.get("issued", "0")
    fresh = issued.isascii() and issued.isdigit() and time.time() - int(issued) < FORM_SECONDS
    if not fresh or not hmac.compare_digest(  # bytes: a non-ASCII text is unequal, not an error
        form.get("form_signature", "").encode(), _signature(form, issued).encode()
    ):
        return _refused("The sign-in form expired or was not ours; start again from the app.")
    async with server.units.write() as uow:
        username, password = form.get("username", ""), form.get("password", "")
        person = await people.sign_in(uow.session, username, password)
        if person is None:
            return _form(form, "The username or password is not right.")
        granted = set(checked.scope.split()) & people.may_give(person)
        if not granted:
            return _form(form, "This account cannot give the app what it asked for.")
        code = secrets.token_urlsafe(32)
        uow.session.add(
            AuthorizationCode(
                code_sha256=hashlib.sha256(code.encode()).hexdigest(),
                client_id=checked.client_id,
                username=person.username,
                uscc=person.uscc,
                department=person.department,
                redirect_uri=checked.redirect_uri,
                code_challenge=checked.code_challenge,
                scope=" ".join(sorted(granted)),
                expires_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=CODE_SECONDS),
            )
        )
        await uow.commit()
    query = urllib.parse.urlencode({"code": code, "state": checked.state})
    return RedirectResponse(f"{checked.redirect_uri}?{query}", status_code=302)


async def _read_form(request: Request) -> dict[str, str]:
    raw = (await request.body())[:8192]
    try:
        return dict(urllib.parse.parse_qsl(raw.decode()))
    except (UnicodeDecodeError, ValueError):
        return {}


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def redeem(
    server: AuthServer, client: OAuthClient, form: dict[str, str]
) -> AuthorizationCode | str:
    """The code's grant, used up; or the RFC 6749 error code saying why not."""
    code_hash = hashlib.sha256(form.get("code", "").encode()).hexdigest()
    async with server.units.write() as uow:
        found = await uow.session.get(AuthorizationCode, code_hash, with_for_update=True)
        now = dt.datetime.now(dt.UTC)
        if found is None or found.used_at is not None or _expired(found, now):
            return "invalid_grant"
        if found.client_id != client.client_id or found.redirect_uri != form.get("redirect_uri"):
            return "invalid_grant"
        found.used_at = now  # used up, even by a wrong verifier: a code is tried once
        await uow.commit()
        if not hmac.compare_digest(
            s256(form.get("code_verifier", "")).encode(), found.code_challenge.encode()
        ):
            return "invalid_grant"
        return found


def _expired(code: AuthorizationCode, now: dt.datetime) -> bool:
    expires = code.expires_at if code.expires_at.tzinfo else code.expires_at.replace(tzinfo=dt.UTC)
    return expires <= now
