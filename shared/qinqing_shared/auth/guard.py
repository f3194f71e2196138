"""The dependency every route declares: who may call it.

``Access(scopes=..., services=...)`` admits a caller holding one of ``scopes`` (apps,
enterprises, departments, operators: the authorization server gives each kind only its
own scopes) or a service named in ``services``. No token, or one that does not verify:
401. A verified caller without the right: 403. Whether the caller may see *this*
object is the route's own check (404 when not).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from qinqing_shared.auth.jwks import JwksUnavailable
from qinqing_shared.auth.tokens import Caller, InvalidToken, TokenVerifier
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import RateLimits

_bearer = HTTPBearer(auto_error=False, description="An OAuth 2.0 access token (RFC 9068)")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]

# What every guarded route may answer besides its own, for the OpenAPI document.
GUARDED_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "no valid access token"},
    403: {"description": "the caller lacks the scope or right this route needs"},
    429: {"description": "the caller's rate limit is spent; see Retry-After"},
}


def unauthenticated(detail: str, invalid: bool) -> Problem:
    challenge = 'Bearer realm="qinqing"' + (', error="invalid_token"' if invalid else "")
    problem = Problem(401, "unauthenticated", "Authentication required", detail)
    problem.headers = {"WWW-Authenticate": challenge}
    return problem


def forbidden(detail: str) -> Problem:
    return Problem(403, "forbidden", "Not allowed", detail)


async def authenticate(request: Request, credentials: Credentials) -> Caller:
    """The verified caller; 401 without a valid token."""
    if credentials is None:
        raise unauthenticated("Send an access token: Authorization: Bearer <token>.", False)
    verifier: TokenVerifier = request.app.state.verifier
    try:
        caller = await verifier.verify(credentials.credentials)
    except InvalidToken as exc:
        raise unauthenticated(f"The access token is not accepted: {exc}.", True) from exc
    except JwksUnavailable as exc:  # the issuer is restarting: "not now", not "no"
        problem = Problem(
            503, "issuer-unavailable", "Token cannot be checked yet", "Retry shortly."
        )
        problem.headers = {"Retry-After": "2"}
        raise problem from exc
    revoked = getattr(request.app.state, "revoked", None)
    if revoked is not None and await revoked(caller):
        raise unauthenticated("The access token has been revoked.", True)
    limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
    if limits is not None and caller.kind != "service":
        # counted once verified, so no one spends another's quota; the platform's own
        # services are not counted (the outside caller they act for already was)
        limits.caller(caller)
    return caller


class Access:
    """A route's rule: one of ``scopes``, or one of the named ``services``."""

    def __init__(self, *, scopes: tuple[str, ...] = (), services: tuple[str, ...] = ()) -> None:
        self.scopes = scopes
        self.services = services

    async def __call__(self, caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
        if caller.kind == "service":
            if caller.client_id in self.services:
                return caller
            raise forbidden(f"The service {caller.client_id} may not call this route.")
        if any(scope in caller.scopes for scope in self.scopes):
            return caller
        needed = " or ".join(self.scopes) or "a service's token"
        raise forbidden(f"This route needs {needed}.")


def allow(*, scopes: tuple[str, ...] = (), services: tuple[str, ...] = ()) -> Any:
    """``caller: Caller = allow(scopes=(...,))`` in a route's signature."""
    return Depends(Access(scopes=scopes, services=services))
