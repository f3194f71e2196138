"""Who may act for an enterprise, who may read an application, and what an app sees."""

from __future__ import annotations

import re
from typing import Any

from qinqing_gateway.models import Flow
from qinqing_gateway.oauth.registry import Registry
from qinqing_shared.auth.guard import forbidden
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.uow import Units

_SEEN = re.compile(r" \(seen: .*\)$|（实际：.*）$")  # what was seen, in English or Chinese
_PEOPLE = ("employee ", "员工 ")
PERSONAL = {"seen": None, "source": None}  # what an app is not shown of a person's entry


async def ensure_may_act_for(units: Units, caller: Caller, uscc: str) -> None:
    """An enterprise acts for itself; an app for enterprises that granted it access."""
    if caller.kind == "enterprise" and caller.uscc == uscc:
        return
    if caller.kind == "app":
        async with units.read() as unit:
            if await Registry(unit.session).has_grant(uscc, caller.client_id):
                return
        raise forbidden(f"Enterprise {uscc} has not granted this app access.")
    raise forbidden(f"This caller may not act for enterprise {uscc}.")


def may_read(caller: Caller, flow: Flow) -> bool:
    """The app that made it, the enterprise it is for, and operators."""
    if caller.kind == "operator":
        return True
    if caller.kind == "enterprise":
        return caller.uscc == flow.uscc
    return caller.kind == "app" and caller.client_id == flow.client_id


def as_seen_by(caller: Caller, view: dict[str, Any]) -> dict[str, Any]:
    """An app sees outcomes and the clauses that failed, never a person's own facts
    (age, degree year, home ownership): with the masked ID they would identify people.
    Nor the department records they were read from: an id that follows a person."""
    return public_view(view) if caller.kind == "app" else view


def public_view(view: dict[str, Any]) -> dict[str, Any]:
    """An application as an app (or a department reading a complaint) may see it."""
    decision = view.get("decision")
    if not isinstance(decision, dict):
        return view
    trace = [
        entry | PERSONAL if str(entry.get("subject", "")).startswith("employee") else entry
        for entry in decision.get("trace", [])
    ]
    shown = {"trace": trace, "reasons": public_reasons(decision.get("reasons", []))}
    if "reasons_zh" in decision:
        shown["reasons_zh"] = public_reasons(decision["reasons_zh"])
    return view | {"decision": decision | shown}


def public_reasons(reasons: list[str]) -> list[str]:
    """The reasons without any person's own values (what an app may read)."""
    return [_SEEN.sub("", r) if r.startswith(_PEOPLE) else r for r in reasons]
