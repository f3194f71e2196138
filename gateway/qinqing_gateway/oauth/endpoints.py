"""The token endpoint (client-credentials and authorization-code grants), revocation,
JWKS and RFC 8414 metadata.

Answers follow RFC 6749 §5.2 (``{"error": ..., "error_description": ...}``), not
problem details: OAuth clients everywhere read that shape.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from qinqing_gateway.models import OAuthClient
from qinqing_gateway.oauth.authorize import redeem
from qinqing_gateway.oauth.issuer import CALLER_TOKEN_SECONDS, SERVICE_TOKEN_SECONDS, Grant
from qinqing_gateway.oauth.registry import Registry
from qinqing_gateway.oauth.state import AuthServer
from qinqing_shared.auth.scopes import API_AUDIENCE, KIND_SCOPES
from qinqing_shared.auth.tokens import InvalidToken
from qinqing_shared.openapi import OAUTH_ERRORS
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter(tags=["oauth"], dependencies=[Depends(limit_anonymous)])
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
MAX_FORM_BYTES = 4096
# The services a service client may ask a token for (RFC 8707 ``resource``).
SERVICES = {"identity-svc", "catalog-svc", "subsidy-svc", "credit-svc", "payment-svc"}


def _server(request: Request) -> AuthServer:
    server: AuthServer = request.app.state.auth_server
    return server


def oauth_error(code: str, description: str, status: int = 400) -> JSONResponse:
    headers = dict(NO_STORE)
    if code == "invalid_client":
        headers["WWW-Authenticate"] = 'Basic realm="qinqing"'
    body = {"error": code, "error_description": description}
    return JSONResponse(body, status_code=status, headers=headers)


async def _form(request: Request) -> dict[str, str] | None:
    if not request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return None
    raw = await request.body()
    if len(raw) > MAX_FORM_BYTES:
        return None
    try:
        pairs = urllib.parse.parse_qsl(raw.decode("ascii"), strict_parsing=False)
    except (UnicodeDecodeError, ValueError):
        return None
    return dict(pairs)


def _credentials(request: Request, form: dict[str, str]) -> tuple[str, str] | None:
    """client_secret_basic (RFC 6749 §2.3.1) or client_secret_post."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return None
        client_id, _, secret = decoded.partition(":")
        return urllib.parse.unquote_plus(client_id), urllib.parse.unquote_plus(secret)
    if "client_id" in form and "client_secret" in form:
        return form["client_id"], form["client_secret"]
    return None


async def _public_client(request: Request, form: dict[str, str]) -> OAuthClient | None:
    """A public client names itself in the form and sends no secret (RFC 6749 §3.2.1);
    PKCE and its registered redirect address stand for the secret it cannot keep."""
    if "client_secret" in form or "authorization" in request.headers or "client_id" not in form:
        return None
    async with _server(request).units.read() as unit:
        return await Registry(unit.session).public_client(form["client_id"])


async def _client(request: Request, form: dict[str, str]) -> OAuthClient | None:
    credentials = _credentials(request, form)
    if credentials is None:
        return None
    async with _server(request).units.read() as unit:
        return await Registry(unit.session).authenticate(*credentials)


@router.post("/oauth/token", responses={400: {}, 401: {}}, openapi_extra=OAUTH_ERRORS)
async def token(request: Request) -> JSONResponse:
    """Client-credentials grant (RFC 6749 §4.4): a JWT access token (RFC 9068)."""
    form = await _form(request)
    if form is None:
        return oauth_error("invalid_request", "Send a form (application/x-www-form-urlencoded).")
    client = await _client(request, form)
    if client is None and form.get("grant_type") == "authorization_code":
        client = await _public_client(request, form)
    if client is None:
        return oauth_error("invalid_client", "Unknown client or wrong secret.", 401)
    if form.get("grant_type") == "authorization_code":
        return await _code_grant(request, client, form)
    if form.get("grant_type") != "client_credentials":
        return oauth_error(
            "unsupported_grant_type", "Use client_credentials or authorization_code."
        )
    granted = client.scopes.split()
    asked = form.get("scope", "").split() or granted
    if not set(asked) <= set(granted) or not set(asked) <= KIND_SCOPES.get(client.kind, set()):  # type: ignore[call-overload]
        return oauth_error("invalid_scope", f"This client may ask for: {' '.join(granted)}.")
    audience, lifetime = API_AUDIENCE, CALLER_TOKEN_SECONDS
    if client.kind == "service":
        audience, lifetime = form.get("resource", ""), SERVICE_TOKEN_SECONDS
        if audience not in SERVICES:
            return oauth_error("invalid_target", "A service names the service it calls.")
    grant = Grant(
        client.client_id, client.kind, tuple(asked), audience, client.uscc, client.department
    )
    access = _server(request).issuer.issue(grant, lifetime)
    body = {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": lifetime,
        "scope": " ".join(asked),
    }
    return JSONResponse(body, headers=NO_STORE)


async def _code_grant(request: Request, client: OAuthClient, form: dict[str, str]) -> JSONResponse:
    """A person's code (PKCE): a token acting for that person's enterprise only, or
    for an officer's department with the scopes the officer holds."""
    found = await redeem(_server(request), client, form)
    if isinstance(found, str):
        return oauth_error(
            found, "The code is unknown, used, expired, or not this client's and verifier's."
        )
    scopes = tuple(found.scope.split())
    grant = Grant(  # for the person's enterprise, or an officer's department
        client.client_id,
        "department" if found.department is not None else "enterprise",
        scopes,
        API_AUDIENCE,
        uscc=found.uscc,
        department=found.department,
        subject=found.username,
    )
    access = _server(request).issuer.issue(grant, CALLER_TOKEN_SECONDS)
    body = {
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": CALLER_TOKEN_SECONDS,
        "scope": found.scope,
    }
    return JSONResponse(body, headers=NO_STORE)


@router.post("/oauth/revoke", responses={400: {}, 401: {}}, openapi_extra=OAUTH_ERRORS)
async def revoke(request: Request) -> JSONResponse:
    """Token revocation (RFC 7009): a client revokes its own access token."""
    form = await _form(request)
    if form is None or "token" not in form:
        return oauth_error("invalid_request", "Send the token to revoke as a form field.")
    client = await _client(request, form) or await _public_client(request, form)
    if client is None:
        return oauth_error("invalid_client", "Unknown client or wrong secret.", 401)
    server = _server(request)
    try:
        claims = await server.claims_of(form["token"])
    except InvalidToken:
        return JSONResponse({}, headers=NO_STORE)  # RFC 7009 §2.2: invalid tokens are fine
    if claims.get("client_id") == client.client_id:
        await server.revoke(claims)
    return JSONResponse({}, headers=NO_STORE)


@router.get("/.well-known/jwks.json")
async def jwks(request: Request) -> dict[str, Any]:
    """The keys access tokens (current and previous) and decision receipts (every one
    ever used: an old receipt always verifies) are signed with."""
    tokens = _server(request).issuer.ring.jwks()["keys"]
    receipts = request.app.state.receipts.ring.jwks()["keys"]  # never retired
    return {"keys": tokens + receipts}


@router.get("/.well-known/oauth-authorization-server")
async def metadata(request: Request) -> dict[str, Any]:
    """RFC 8414 authorization server metadata."""
    url = _server(request).issuer.url.rstrip("/")
    return {
        "issuer": _server(request).issuer.url,
        "token_endpoint": f"{url}/oauth/token",
        "jwks_uri": f"{url}/.well-known/jwks.json",
        "revocation_endpoint": f"{url}/oauth/revoke",
        "authorization_endpoint": f"{url}/oauth/authorize",
        "grant_types_supported": ["client_credentials", "authorization_code"],
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "none",  # public clients, for the authorization-code grant with PKCE only
        ],
        "revocation_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "none",
        ],
        "scopes_supported": sorted(set().union(*KIND_SCOPES.values())),
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
    }
