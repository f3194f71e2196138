"""People who sign in (an enterprise's staff, a department's officers), and their
passwords.

A password is kept as scrypt (RFC 7914) with a salt of its own: people choose
passwords, so the hash must be slow, unlike a client's random secret.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from qinqing_gateway.models import Person
from qinqing_shared.auth.scopes import KIND_SCOPES
from qinqing_shared.db import insert_ignore

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    _, n, r, p, salt, digest = stored.split("$")
    found = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p)
    )
    return hmac.compare_digest(found.hex(), digest)


# Compared against when the username is unknown: the same work either way.
_DECOY = hash_password(secrets.token_urlsafe(16))


async def sign_in(session: AsyncSession, username: str, password: str) -> Person | None:
    person = await session.get(Person, username)
    if person is None or person.disabled_at is not None:
        password_matches(password, _DECOY)
        return None
    return person if password_matches(password, person.password_scrypt) else None


async def register(
    session: AsyncSession,
    *,
    username: str,
    password: str,
    name: str,
    uscc: str | None = None,
    department: str | None = None,
    scopes: list[str] | None = None,
) -> None:
    """A member of an enterprise's staff (``uscc``), or a department's officer
    (``department``, with the department scopes the officer may give the portal)."""
    if (uscc is None) == (department is None):
        raise ValueError(f"{username}: a person belongs to an enterprise or a department")
    wrong = set(scopes or []) - KIND_SCOPES["department"]
    if wrong or (department is not None and not scopes):
        raise ValueError(f"{username}: an officer holds department scopes only: {sorted(wrong)}")
    values: dict[str, object] = {
        "username": username,
        "password_scrypt": hash_password(password),
        "name": name,
        "uscc": uscc,
        "department": department,
        "scopes": " ".join(sorted(scopes)) if scopes else None,
        "created_at": dt.datetime.now(dt.UTC),
        "disabled_at": None,
    }
    if not await insert_ignore(session, Person, values):
        changed = {k: v for k, v in values.items() if k not in ("username", "created_at")}
        await session.execute(update(Person).where(Person.username == username).values(changed))


def may_give(person: Person) -> frozenset[str]:
    """The scopes this person may give an app: an enterprise's, or the officer's own."""
    if person.department is not None:
        return frozenset((person.scopes or "").split()) & KIND_SCOPES["department"]
    return KIND_SCOPES["enterprise"]
