"""How each service item is handled: routed to its department, or decided at once from
department data (秒批) on conditions its department writes as data (docs/interaction.md).

Only the item's own department sets its handling; each change is a new version, named
by every decision made on it, announced by an event and kept on the audit chain.
"""

from __future__ import annotations

from catalog_svc.errors import HandlingChanged, ServiceItemNotFound
from catalog_svc.models import Service
from catalog_svc.repository import CatalogRepository
from qinqing_shared import audit
from qinqing_shared.auth.guard import forbidden
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.catalog import ItemHandling, ServiceHandling
from qinqing_shared.contracts.events import ITEM_HANDLING_SET
from qinqing_shared.outbox import Outbox

SERVICE_ITEM = "service_item"  # a catalog service of this kind is asked for as a request


def handling(row: Service) -> ServiceHandling:
    return ServiceHandling(
        service_code=row.code,
        department_code=row.department_code,
        version=row.handling_version,
        handling=ItemHandling.model_validate(row.handling or {}),
    )


async def item(repo: CatalogRepository, code: str, *, lock: bool = False) -> Service:
    row = await repo.service(code, lock=lock)
    if row is None or row.kind != SERVICE_ITEM:
        raise ServiceItemNotFound(f"No service item {code!r} is in the catalog.")
    return row


async def set_handling(
    repo: CatalogRepository,
    outbox: Outbox,
    caller: Caller,
    code: str,
    given: ItemHandling,
    edited_from: int | None = None,
) -> ServiceHandling:
    """Its department sets how the item is handled from now on (a new version); when
    ``edited_from`` is given, only if that is still the item's version (checked under
    the row's lock, so two officers' forms never overwrite each other unseen)."""
    row = await item(repo, code, lock=True)
    if caller.department != row.department_code:
        raise forbidden(f"Only department {row.department_code} sets how {code} is handled.")
    if edited_from is not None and edited_from != row.handling_version:
        raise HandlingChanged(
            f"{code}'s handling is at version {row.handling_version} now, not "
            f"{edited_from} as edited: read it again and set it from there."
        )
    row.handling = given.model_dump(mode="json")
    row.handling_version += 1
    answer = handling(row)
    outbox.add(repo.session, ITEM_HANDLING_SET, answer.signed_content(), key=code)
    audit.record(
        outbox,
        repo.session,
        actor=caller.actor,
        action="service-item.handling-set",
        object_type="service",
        object_id=f"{code}@{row.handling_version}",
    )
    return answer
