"""The portal's OAuth client on the gateway's real registry: registered at start with
its one redirect address and no rights of its own, and never turned back on by a
restart once an operator disabled it."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import update

from qinqing_gateway.models import OAuthClient
from qinqing_gateway.oauth.registry import Registry
from qinqing_gateway.web.client import PortalClient
from qinqing_shared.db import Database
from qinqing_shared.uow import Units

SECRET = "a-portal-secret-of-at-least-32-characters"


@pytest.fixture
async def units(service_db: Callable[[str], str]) -> AsyncIterator[Units]:
    db = Database(service_db("qinqing_gateway"))
    yield Units(db)
    await db.dispose()


async def registered(units: Units) -> OAuthClient | None:
    async with units.read() as unit:
        return await Registry(unit.session).client("portal")


async def test_the_portal_is_registered_with_its_address_and_no_rights(units: Units) -> None:
    portal = PortalClient("https://qinqing.example.gov.cn/", SECRET)
    await portal.register_forever(units)
    found = await registered(units)
    assert found is not None
    assert (found.kind, found.scopes, found.redirect_uris, found.disabled_at) == (
        "app",
        "",
        "https://qinqing.example.gov.cn/portal/callback",
        None,
    )
    async with units.read() as unit:
        assert await Registry(unit.session).authenticate("portal", SECRET) is not None


async def test_a_restart_leaves_a_disabled_portal_disabled(units: Units) -> None:
    portal = PortalClient("https://qinqing.example.gov.cn", SECRET)
    await portal.register_forever(units)
    off = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    async with units.write() as uow:
        await uow.session.execute(
            update(OAuthClient).where(OAuthClient.client_id == "portal").values(disabled_at=off)
        )
        await uow.commit()
    await portal.register_forever(units)  # the gateway starts again
    found = await registered(units)
    assert found is not None and found.disabled_at is not None
