"""RFC 9068 JWT access tokens: who the caller is, verified against the issuer's JWKS."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, get_args

import jwt

from qinqing_shared.auth.jwks import JwksCache
from qinqing_shared.auth.scopes import KIND_SCOPES, Kind

ACCESS_TOKEN_TYPES = ("at+jwt", "application/at+jwt")
TOKEN_ALGORITHMS = ["RS256", "ES256", "PS256", "EdDSA"]
# The platform's own authorization server signs RS256 only: the EdDSA keys beside its
# token keys in the gateway's JWKS sign decision receipts, never an access token.
OWN_ALGORITHMS = ["RS256"]
# Claims of the platform's own beside RFC 9068's (an external issuer maps its own here).
KIND_CLAIM = "qinqing_kind"
USCC_CLAIM = "qinqing_uscc"
DEPARTMENT_CLAIM = "qinqing_department"


class InvalidToken(Exception):
    """The token is not one this service accepts; the message says why (not logged)."""


@dataclass(frozen=True)
class Caller:
    """The verified caller of a request."""

    client_id: str
    kind: Kind
    scopes: frozenset[str]
    uscc: str | None = None
    department: str | None = None
    token: str = ""
    jti: str = ""
    person: str | None = None  # a person signed in through the client (the token's sub)

    @property
    def actor(self) -> str:
        """Who acts, as records name them: the client, and the person signed in to it."""
        named = f"{self.client_id} ({self.person})" if self.person else self.client_id
        return named[:100]  # as records keep it

    def is_service(self, *names: str) -> bool:
        return self.kind == "service" and self.client_id in names


class TokenVerifier:
    """Accepts access tokens of the trusted issuers whose audience is one of ``audiences``.

    The platform's own authorization server is always trusted (it issues the services'
    tokens); an external OpenID Connect issuer may be trusted beside it for callers.
    """

    def __init__(
        self, issuers: dict[str, JwksCache], audiences: list[str], own: str | None = None
    ) -> None:
        self.issuers = issuers
        self.audiences = audiences
        self.own = own  # the platform's own issuer; None: each trusted issuer is

    async def verify(self, token: str) -> Caller:
        try:
            header = jwt.get_unverified_header(token)
            issuer = str(jwt.decode(token, options={"verify_signature": False}).get("iss"))
        except jwt.InvalidTokenError as exc:
            raise InvalidToken("not a JWT") from exc
        if header.get("typ") not in ACCESS_TOKEN_TYPES:
            raise InvalidToken("not a JWT access token (typ at+jwt)")
        jwks = self.issuers.get(issuer)
        if jwks is None:
            raise InvalidToken("issued by an issuer this platform does not trust")
        key = await jwks.key(str(header.get("kid", "")))
        if key is None:
            raise InvalidToken("signed with an unknown key")
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=OWN_ALGORITHMS if issuer == self.own else TOKEN_ALGORITHMS,
                audience=self.audiences,
                issuer=issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub", "client_id", "jti"]},
            )
        except jwt.InvalidTokenError as exc:
            raise InvalidToken(str(exc)) from exc
        caller = caller_of(claims, token)
        return caller if self.own in (None, issuer) else _external(caller)


def _external(caller: Caller) -> Caller:
    """An external issuer's caller: never a platform service, and only its kind's scopes
    (a city's identity provider speaks for people and organisations, not for money
    movements between the platform's services)."""
    if caller.kind == "service":
        raise InvalidToken("an external issuer does not issue the platform services' tokens")
    return replace(caller, scopes=caller.scopes & KIND_SCOPES[caller.kind])


def _person(claims: dict[str, Any]) -> str | None:
    """The person a token acts for, when it names one besides its client."""
    sub = claims.get("sub")
    return str(sub) if sub is not None and sub != claims["client_id"] else None


def caller_of(claims: dict[str, Any], token: str = "") -> Caller:
    kind = claims.get(KIND_CLAIM)
    if kind not in get_args(Kind):
        raise InvalidToken("the token names no kind of caller")
    assert isinstance(kind, str)
    return Caller(
        client_id=str(claims["client_id"]),
        kind=kind,  # type: ignore[arg-type]  # checked against Kind above
        scopes=frozenset(str(claims.get("scope", "")).split()),
        uscc=claims.get(USCC_CLAIM),
        department=claims.get(DEPARTMENT_CLAIM),
        token=token,
        jti=str(claims.get("jti", "")),
        person=_person(claims),
    )
