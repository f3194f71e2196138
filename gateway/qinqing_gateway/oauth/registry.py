"""Clients, grants and revoked tokens: every query of the authorization server."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_gateway.models import AppGrant, OAuthClient, RevokedToken
from qinqing_shared.auth.scopes import KIND_SCOPES, KINDS
from qinqing_shared.db import insert_ignore, table_of


def secret_hash(secret: str) -> str:
    # Secrets are 256-bit random strings made by the platform (not passwords a person
    # chose), so one SHA-256 is as strong as a slow hash here and costs nothing per call.
    return hashlib.sha256(secret.encode()).hexdigest()


# A public client's stored secret hash: no SHA-256 is empty, so no secret matches it.
PUBLIC = ""


@dataclass(frozen=True)
class ClientSpec:
    """A client to register: what ``gateway clients register`` reads."""

    client_id: str
    kind: str
    name: str
    scopes: list[str]
    client_secret: str = ""
    uscc: str | None = None
    department: str | None = None
    redirect_uris: tuple[str, ...] = ()
    # A public client (RFC 6749 §2.1: a browser or mobile app that cannot keep a
    # secret) has none: it only redeems the codes its people's sign-ins give it, with
    # PKCE, at its registered addresses.
    public: bool = False

    def problems(self) -> list[str]:
        if self.kind not in KINDS:
            return [f"{self.client_id}: unknown kind {self.kind!r}"]
        extra = set(self.scopes) - KIND_SCOPES[self.kind]
        found = [f"{self.client_id}: a {self.kind} may not hold {sorted(extra)}"] if extra else []
        if self.kind == "enterprise" and not self.uscc:
            found.append(f"{self.client_id}: an enterprise client names its USCC")
        if self.kind == "department" and not self.department:
            found.append(f"{self.client_id}: a department client names its department")
        if self.public:
            found += self._public_problems()
        elif len(self.client_secret) < 32:
            found.append(f"{self.client_id}: a client secret has at least 32 characters")
        return found

    def _public_problems(self) -> list[str]:
        found = []
        if self.client_secret:
            found.append(f"{self.client_id}: a public client has no secret")
        if self.kind != "app":
            found.append(f"{self.client_id}: only an app may be a public client")
        if not self.redirect_uris:
            found.append(f"{self.client_id}: a public client registers its redirect addresses")
        return found


class Registry:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def authenticate(self, client_id: str, secret: str) -> OAuthClient | None:
        client = await self.session.get(OAuthClient, client_id)
        if client is None or client.disabled_at is not None:
            secret_hash(secret)  # same work whether or not the client exists
            return None
        return client if hmac.compare_digest(client.secret_sha256, secret_hash(secret)) else None

    async def client(self, client_id: str) -> OAuthClient | None:
        return await self.session.get(OAuthClient, client_id)

    async def public_client(self, client_id: str) -> OAuthClient | None:
        """A public client (no secret), or None."""
        client = await self.session.get(OAuthClient, client_id)
        if client is None or client.disabled_at is not None or client.secret_sha256 != PUBLIC:
            return None
        return client

    async def register(self, spec: ClientSpec) -> None:
        """Create the client, or update it to ``spec`` (secret included)."""
        values = {
            "client_id": spec.client_id,
            "secret_sha256": PUBLIC if spec.public else secret_hash(spec.client_secret),
            "kind": spec.kind,
            "name": spec.name,
            "scopes": " ".join(sorted(spec.scopes)),
            "uscc": spec.uscc,
            "department": spec.department,
            "redirect_uris": " ".join(spec.redirect_uris) or None,
            "created_at": dt.datetime.now(dt.UTC),
            "disabled_at": None,
        }
        if not await insert_ignore(self.session, OAuthClient, values):
            del values["created_at"]
            await self.session.execute(
                update(OAuthClient).where(OAuthClient.client_id == spec.client_id).values(values)
            )

    async def has_grant(self, uscc: str, client_id: str) -> bool:
        found = await self.session.execute(_GRANT_IN_FORCE, {"u": uscc, "c": client_id})
        return found.first() is not None

    async def grants(self, uscc: str) -> list[AppGrant]:
        query = select(AppGrant).where(AppGrant.uscc == uscc, AppGrant.revoked_at.is_(None))
        return list(await self.session.scalars(query.order_by(AppGrant.granted_at)))

    async def grant(self, uscc: str, client_id: str, by: str) -> None:
        now = dt.datetime.now(dt.UTC)
        values = {"uscc": uscc, "client_id": client_id, "granted_by": by, "granted_at": now}
        if not await insert_ignore(self.session, AppGrant, values | {"revoked_at": None}):
            await self.session.execute(
                update(AppGrant)
                .where(AppGrant.uscc == uscc, AppGrant.client_id == client_id)
                .values(granted_by=by, granted_at=now, revoked_at=None)
            )

    async def revoke_grant(self, uscc: str, client_id: str) -> bool:
        result = await self.session.execute(
            update(AppGrant)
            .where(
                AppGrant.uscc == uscc,
                AppGrant.client_id == client_id,
                AppGrant.revoked_at.is_(None),
            )
            .values(revoked_at=dt.datetime.now(dt.UTC))
        )
        return bool(getattr(result, "rowcount", 0))

    async def revoke_token(self, jti: str, expires_at: dt.datetime) -> None:
        await insert_ignore(self.session, RevokedToken, {"jti": jti, "expires_at": expires_at})

    async def revoked_since(self, now: dt.datetime) -> list[str]:
        query = select(RevokedToken.jti).where(RevokedToken.expires_at > now)
        return list(await self.session.scalars(query))

    async def forget_expired(self, now: dt.datetime) -> None:
        await self.session.execute(delete(RevokedToken).where(RevokedToken.expires_at <= now))


_GRANTS = table_of(AppGrant)
_GRANT_IN_FORCE = select(_GRANTS.c.client_id).where(
    _GRANTS.c.uscc == bindparam("u"),
    _GRANTS.c.client_id == bindparam("c"),
    _GRANTS.c.revoked_at.is_(None),
)
