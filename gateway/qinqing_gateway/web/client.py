"""The portal as an OAuth client of the platform's own authorization server.

A confidential client (``portal``): its secret is made at the gateway's first start and
kept in its key folder (mode 0600), and the gateway registers it, with its one
redirect address, at every start. It asks for the enterprise scopes a person can give.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
from pathlib import Path

from qinqing_gateway.oauth.authorize import PORTAL_CLIENT_ID
from qinqing_gateway.oauth.registry import ClientSpec, Registry
from qinqing_shared.auth.scopes import KIND_SCOPES
from qinqing_shared.uow import Units

CLIENT_ID = PORTAL_CLIENT_ID
SCOPES = sorted(KIND_SCOPES["enterprise"])  # what the portal asks a person for
OFFICER_SCOPES = sorted(KIND_SCOPES["department"])  # what the console asks an officer for
log = logging.getLogger("qinqing.web")


def secret_in(folder: Path) -> str:
    """The portal's client secret, made once."""
    path = folder / "portal" / "client_secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another instance made it first
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(secrets.token_urlsafe(32))
    return path.read_text(encoding="utf-8").strip()


class PortalClient:
    def __init__(self, origin: str, secret: str) -> None:
        self.client_id = CLIENT_ID
        self.secret = secret
        self.redirect_uri = origin.rstrip("/") + "/portal/callback"

    def spec(self) -> ClientSpec:
        return ClientSpec(
            client_id=self.client_id,
            kind="app",
            name="Qinqing portal (亲清在线企业服务)",
            scopes=[],  # it holds no rights of its own: only what a person signs in with
            client_secret=self.secret,
            redirect_uris=(self.redirect_uri,),
        )

    async def register_forever(self, units: Units, every: float = 2.0) -> None:
        """Register (or update) the portal client once the database answers, unless an
        operator disabled it."""
        while True:
            try:
                async with units.write() as uow:
                    registry = Registry(uow.session)
                    known = await registry.client(self.client_id)
                    if known is not None and known.disabled_at is not None:
                        log.warning("portal: its client is disabled; left so")
                        return  # an operator turned the portal off: a restart keeps it off
                    await registry.register(self.spec())
                    await uow.commit()
                return
            except Exception:  # noqa: BLE001 - not migrated or not up yet: try again
                log.warning("portal: the client registry is not reachable yet")
                await asyncio.sleep(every)
