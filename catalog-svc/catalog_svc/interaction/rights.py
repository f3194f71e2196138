"""Who may see a request, follow it, and answer it (docs/interaction.md, Access).

The free text is the enterprise's own words and may hold personal data: it is shown
only to the enterprise, the app that submitted it for the enterprise, the department
that holds it (its handlers and its supervisor), the city's oversight desk and
operators. Anyone else is told there is no such request (404).
"""

from __future__ import annotations

from catalog_svc.models import InteractionRequest
from qinqing_shared.auth.scopes import (
    OPERATIONS_READ,
    REQUESTS_ANSWER,
    REQUESTS_OVERSEE,
    REQUESTS_SUPERVISE,
    REQUESTS_WRITE,
)
from qinqing_shared.auth.tokens import Caller

DEPARTMENT_SCOPES = (REQUESTS_ANSWER, REQUESTS_SUPERVISE)
OVERSEERS = (OPERATIONS_READ, REQUESTS_OVERSEE)


def may_follow(caller: Caller, row: InteractionRequest) -> bool:
    """The enterprise, and the app that submitted it for the enterprise."""
    if REQUESTS_WRITE not in caller.scopes:
        return False
    if caller.kind == "enterprise":
        return caller.uscc == row.uscc
    return caller.kind == "app" and caller.client_id == row.client_id


def may_answer(caller: Caller, row: InteractionRequest) -> bool:
    """The department that holds it: its handlers and its supervisor."""
    return (
        caller.kind == "department"
        and caller.department == row.department_code
        and any(scope in caller.scopes for scope in DEPARTMENT_SCOPES)
    )


def oversees(caller: Caller) -> bool:
    return caller.kind == "operator" and any(scope in caller.scopes for scope in OVERSEERS)


def may_read(caller: Caller, row: InteractionRequest) -> bool:
    return may_follow(caller, row) or may_answer(caller, row) or oversees(caller)
