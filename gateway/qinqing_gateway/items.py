"""A service item decided at once from department data (秒批), as an enterprise asks for
it: the gateway gathers each word from its owner, signed (the item's conditions from
catalog-svc, the enterprise from identity-svc, its credit from credit-svc), subsidy-svc
decides with the engine that decides applications and signs the decision, and
catalog-svc records the request answered with it (docs/interaction.md)."""

from __future__ import annotations

import asyncio

from fastapi import Request

from qinqing_gateway.config import Settings
from qinqing_gateway.peers import Peers
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.catalog import ServiceHandling
from qinqing_shared.contracts.interaction import RequestIn
from qinqing_shared.contracts.subsidy import ItemDecision
from qinqing_shared.problems import Problem

SERVICE_ITEM_TOPIC = "service-item"  # the request topic that names a service item


async def decide_item(
    request: Request, caller: Caller, body: RequestIn, request_id: str
) -> ItemDecision | None:
    """subsidy-svc's signed decision of the item the request asks for, when its
    department decides it from data; None when its department decides it by hand."""
    code = body.links.service_code
    if body.topic != SERVICE_ITEM_TOPIC or code is None:
        return None
    peers: Peers = request.app.state.peers
    item = await _handling(peers, code)
    if item is None or item.handling.mode != "instant":
        return None
    settings: Settings = request.app.state.settings
    on = settings.today().isoformat()
    # identity-svc audits the profile read with the caller it was read for
    profile, credit = await asyncio.gather(
        peers.identity.request(
            "GET", f"/enterprises/{body.uscc}/profile", headers={"X-On-Behalf-Of": caller.client_id}
        ),
        peers.credit.request(
            "POST", "/checks", {"application_id": request_id, "uscc": body.uscc, "on": on}
        ),
    )
    asked = {
        "request_id": request_id,
        "on": on,
        "item": item.model_dump(mode="json"),
        "enterprise": profile,
        "credit": credit,
    }
    return ItemDecision.model_validate(
        await peers.subsidy.request("POST", "/item-decisions", asked)
    )


async def _handling(peers: Peers, code: str) -> ServiceHandling | None:
    """The item's handling as catalog-svc signed it; None for no such item (the filing
    then tells the enterprise what is wrong with its link)."""
    try:
        return ServiceHandling.model_validate(
            await peers.catalog.request("GET", f"/services/{code}/handling")
        )
    except Problem as problem:
        if problem.status == 404:
            return None
        raise
