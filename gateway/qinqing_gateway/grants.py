"""An enterprise's own settings: which apps may act for it, and its payee account."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel

from qinqing_gateway.errors import AppNotFound, GrantNotFound
from qinqing_gateway.oauth.registry import Registry
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import AUDIT_READ, GRANTS_WRITE, OPERATIONS_READ, PAYEE_WRITE
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.identity import BankAccount
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import responses
from qinqing_shared.uow import Units

router = APIRouter(prefix="/v1/enterprises", tags=["enterprises"], responses=GUARDED_RESPONSES)
UsccPath = Annotated[Uscc, Path(description="Unified Social Credit Code (GB 32100-2015)")]
ClientIdPath = Annotated[str, Path(max_length=100, pattern=r"^[A-Za-z0-9._-]+$")]


class GrantOut(BaseModel):
    client_id: str
    app_name: str
    granted_at: dt.datetime


def _units(request: Request) -> Units:
    units: Units = request.app.state.runtime.units
    return units


def _own(caller: Caller, uscc: str) -> None:
    if caller.kind != "enterprise" or caller.uscc != uscc:
        raise forbidden(f"Only enterprise {uscc} itself manages its grants.")


@router.get("/{uscc}/grants", response_model=list[GrantOut])
async def list_grants(
    uscc: UsccPath, request: Request, caller: Caller = allow(scopes=(GRANTS_WRITE,))
) -> list[GrantOut]:
    """The apps this enterprise lets act for it."""
    _own(caller, uscc)
    async with _units(request).read() as unit:
        registry = Registry(unit.session)
        grants = await registry.grants(uscc)
        names = {g.client_id: await registry.client(g.client_id) for g in grants}
    return [
        GrantOut(client_id=g.client_id, app_name=c.name if c else "", granted_at=g.granted_at)
        for g in grants
        for c in [names[g.client_id]]
    ]


@router.put("/{uscc}/grants/{client_id}", status_code=204, responses=responses(AppNotFound))
async def grant(
    uscc: UsccPath,
    client_id: ClientIdPath,
    request: Request,
    caller: Caller = allow(scopes=(GRANTS_WRITE,)),
) -> Response:
    """Let an app apply and read applications for this enterprise (until revoked)."""
    _own(caller, uscc)
    async with _units(request).write() as uow:
        registry = Registry(uow.session)
        app = await registry.client(client_id)
        if app is None or app.kind != "app" or app.disabled_at is not None:
            raise AppNotFound(f"No app {client_id!r}.")
        await registry.grant(uscc, client_id, caller.client_id)
        await uow.commit()
    return Response(status_code=204)


@router.delete("/{uscc}/grants/{client_id}", status_code=204, responses=responses(GrantNotFound))
async def revoke_grant(
    uscc: UsccPath,
    client_id: ClientIdPath,
    request: Request,
    caller: Caller = allow(scopes=(GRANTS_WRITE,)),
) -> Response:
    """Stop an app acting for this enterprise, at once."""
    _own(caller, uscc)
    async with _units(request).write() as uow:
        if not await Registry(uow.session).revoke_grant(uscc, client_id):
            raise GrantNotFound(f"{client_id!r} holds no grant.")
        await uow.commit()
    return Response(status_code=204)


@router.get("/{uscc}/audit")
async def records_of_use(
    uscc: UsccPath,
    request: Request,
    caller: Caller = allow(scopes=(AUDIT_READ, OPERATIONS_READ)),
) -> Any:
    """Who read or changed this enterprise's data, and when: its records of past use
    (the enterprise itself, operators). identity-svc checks the caller's token."""
    headers = {"Authorization": f"Bearer {caller.token}"}
    path = f"/enterprises/{uscc}/audit"
    return await request.app.state.peers.identity.request("GET", path, headers=headers)


@router.put("/{uscc}/payee-account", responses={404: {}, 422: {}})
async def change_payee_account(
    uscc: UsccPath,
    account: BankAccount,
    request: Request,
    caller: Caller = allow(scopes=(PAYEE_WRITE,)),
) -> Any:
    """Change the account subsidies are paid to: the enterprise itself, or market
    regulation. identity-svc checks the caller's own token and records who did it."""
    headers = {"Authorization": f"Bearer {caller.token}"}
    path = f"/enterprises/{uscc}/payee-account"
    return await request.app.state.peers.identity.request(
        "PUT", path, account.model_dump(), headers
    )
