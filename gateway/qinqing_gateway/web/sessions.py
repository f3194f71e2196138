"""The portal's browser sessions: a random id in an HttpOnly, SameSite cookie, kept
here only as its SHA-256; a CSRF token per session for every form that changes
something; the OAuth state and PKCE verifier while signing in; the person's access
token after, never longer than the token lives (15 minutes), then sign in again."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete

from qinqing_gateway.models import WebSession
from qinqing_gateway.web.guard import same
from qinqing_shared.db import as_utc
from qinqing_shared.uow import Units

COOKIE = "qinqing_portal"
SIGN_IN_SECONDS = 600  # from the sign-in page to the callback


@dataclass(frozen=True)
class Visitor:
    """A session as a page sees it."""

    session_id: str  # the cookie's value
    csrf: str
    username: str | None
    uscc: str | None  # a person of this enterprise
    department: str | None  # or an officer of this department
    token: str | None

    @property
    def enterprise(self) -> bool:
        return self.token is not None and self.uscc is not None

    @property
    def officer(self) -> bool:
        return self.token is not None and self.department is not None


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Sessions:
    def __init__(self, units: Units) -> None:
        self.units = units

    async def start_sign_in(self, state: str, verifier: str) -> str:
        """A new session waiting for its sign-in; its id (the cookie's value)."""
        session_id = secrets.token_urlsafe(32)
        now = _now()
        async with self.units.write() as uow:
            uow.session.add(
                WebSession(
                    id_sha256=_hash(session_id),
                    csrf=secrets.token_urlsafe(32),
                    state=state,
                    verifier=verifier,
                    created_at=now,
                    expires_at=now + dt.timedelta(seconds=SIGN_IN_SECONDS),
                )
            )
            await uow.commit()
        return session_id

    async def pending(self, session_id: str, state: str) -> str | None:
        """The PKCE verifier of a session waiting for this ``state``, used up."""
        async with self.units.write() as uow:
            row = await uow.session.get(WebSession, _hash(session_id), with_for_update=True)
            if row is None or row.state is None or as_utc(row.expires_at) < _now():
                return None
            if not same(row.state, state):
                return None
            verifier = row.verifier
            await uow.session.delete(row)  # the signed-in session gets a new id
            await uow.commit()
        return verifier

    async def signed_in(
        self, username: str, uscc: str | None, department: str | None, token: str, expires_in: int
    ) -> str:
        """The session of a person who signed in: a fresh id (no fixation)."""
        session_id = secrets.token_urlsafe(32)
        now = _now()
        async with self.units.write() as uow:
            uow.session.add(
                WebSession(
                    id_sha256=_hash(session_id),
                    csrf=secrets.token_urlsafe(32),
                    username=username,
                    uscc=uscc,
                    department=department,
                    access_token=token,
                    created_at=now,
                    expires_at=now + dt.timedelta(seconds=expires_in),
                )
            )
            await uow.commit()
        return session_id

    async def find(self, session_id: str | None) -> Visitor | None:
        if not session_id or len(session_id) > 100:
            return None
        async with self.units.read() as unit:
            row = await unit.session.get(WebSession, _hash(session_id))
        if row is None or as_utc(row.expires_at) < _now():
            return None
        return Visitor(
            session_id, row.csrf, row.username, row.uscc, row.department, row.access_token
        )

    async def end(self, session_id: str) -> None:
        async with self.units.write() as uow:
            await uow.session.execute(
                delete(WebSession).where(WebSession.id_sha256 == _hash(session_id))
            )
            await uow.commit()
