"""What the authorization server holds while it runs: its issuer and revoked tokens."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

import jwt

from qinqing_gateway.oauth.issuer import Issuer, expiry_of
from qinqing_gateway.oauth.registry import Registry
from qinqing_shared.auth.tokens import Caller, InvalidToken
from qinqing_shared.uow import Units

log = logging.getLogger("gateway.oauth")


class AuthServer:
    def __init__(self, issuer: Issuer, units: Units) -> None:
        self.issuer = issuer
        self.units = units
        self.revoked: set[str] = set()

    async def claims_of(self, token: str) -> dict[str, Any]:
        """The claims of a token this server issued (any audience), or InvalidToken."""
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = next((k for k in self.issuer.ring.keys if k.kid == kid), None)
            if key is None:
                raise InvalidToken("unknown key")
            claims: dict[str, Any] = jwt.decode(
                token,
                key.private.public_key(),
                algorithms=[key.algorithm],
                issuer=self.issuer.url,
                options={"verify_aud": False},
            )
        except jwt.InvalidTokenError as exc:
            raise InvalidToken(str(exc)) from exc
        return claims

    async def revoke(self, claims: dict[str, Any]) -> None:
        jti = str(claims["jti"])
        async with self.units.write() as uow:
            await Registry(uow.session).revoke_token(jti, expiry_of(claims))
            await uow.commit()
        self.revoked.add(jti)

    async def is_revoked(self, caller: Caller) -> bool:
        return caller.jti in self.revoked

    async def refresh(self) -> None:
        """Revocations made by another gateway on the same database; expired ones go."""
        now = dt.datetime.now(dt.UTC)
        async with self.units.write() as uow:
            registry = Registry(uow.session)
            await registry.forget_expired(now)
            revoked = set(await registry.revoked_since(now))
            await uow.commit()
        self.revoked = revoked

    async def refresh_forever(self, every: float = 5.0) -> None:
        while True:
            try:
                await self.refresh()
            except Exception:
                log.warning("could not refresh revoked tokens", exc_info=True)
            await asyncio.sleep(every)
