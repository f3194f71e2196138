"""Who may act for an enterprise, on the gateway's real grant registry: an app only for
enterprises that granted it access, and only while the grant stands."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from qinqing_gateway.access import ensure_may_act_for
from qinqing_gateway.oauth.registry import ClientSpec, Registry
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.db import Database
from qinqing_shared.problems import Problem
from qinqing_shared.uow import Units

GRANTING = "91330106MA2H00014Q"
OTHER = "91330108MA2H00022G"


@pytest.fixture
async def units(service_db: Callable[[str], str]) -> AsyncIterator[Units]:
    db = Database(service_db("qinqing_gateway"))
    units = Units(db)
    async with units.write() as uow:
        registry = Registry(uow.session)
        for client_id in ("app-granted", "app-other"):
            await registry.register(ClientSpec(client_id, "app", client_id, [], "secret"))
        await registry.grant(GRANTING, "app-granted", by="enterprise")
        await uow.commit()
    yield units
    await db.dispose()


def app(client_id: str) -> Caller:
    return Caller(client_id=client_id, kind="app", scopes=frozenset())


async def refusal(units: Units, caller: Caller, uscc: str) -> tuple[int, str]:
    with pytest.raises(Problem) as refused:
        await ensure_may_act_for(units, caller, uscc)
    return refused.value.status, refused.value.detail


async def test_an_app_acts_only_for_the_enterprises_that_granted_it(units: Units) -> None:
    await ensure_may_act_for(units, app("app-granted"), GRANTING)
    assert await refusal(units, app("app-granted"), OTHER) == (
        403,
        f"Enterprise {OTHER} has not granted this app access.",
    )
    assert await refusal(units, app("app-other"), GRANTING) == (
        403,
        f"Enterprise {GRANTING} has not granted this app access.",
    )


async def test_a_revoked_grant_lets_the_app_act_no_more(units: Units) -> None:
    async with units.write() as uow:
        assert await Registry(uow.session).revoke_grant(GRANTING, "app-granted")
        await uow.commit()
    assert (await refusal(units, app("app-granted"), GRANTING))[0] == 403
