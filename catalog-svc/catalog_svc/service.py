"""Logic of catalog-svc: search, policies, live figures. Never commits."""

from __future__ import annotations

from catalog_svc.errors import PolicyVersionConflict
from catalog_svc.models import Department, District, PolicyRow, Service
from catalog_svc.repository import CatalogRepository, ServiceFilter
from catalog_svc.schemas import PolicyPage, PolicySummary, ServiceOut, ServicePage, Stats
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.events import POLICY_PUBLISHED
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import not_found

CASH_TRANSACTIONS = "cash_transactions"
CASH_PAID_FEN = "cash_paid_fen"


async def search_services(
    repo: CatalogRepository, *, where: ServiceFilter, page: int, page_size: int
) -> ServicePage:
    rows, total = await repo.search(where, (page - 1) * page_size, page_size)
    items = [ServiceOut.model_validate(r) for r in rows]
    return ServicePage(items=items, total=total, page=page, page_size=page_size)


async def list_policies(
    repo: CatalogRepository, *, text: str | None, department: str | None, page: int, size: int
) -> PolicyPage:
    rows, total = await repo.policies(text, department, (page - 1) * size, size)
    items = [PolicySummary.model_validate(r) for r in rows]
    return PolicyPage(items=items, total=total, page=page, page_size=size)


async def get_policy(repo: CatalogRepository, *, policy_id: str) -> Policy:
    row = await repo.policy(policy_id)
    if row is None:
        raise not_found("Policy", policy_id)
    return to_policy(row)


def to_policy(row: PolicyRow) -> Policy:
    return Policy.model_validate(
        {c: getattr(row, c) for c in Policy.model_fields if c != "attestation"}
    )


async def publish_policy(repo: CatalogRepository, outbox: Outbox, *, policy: Policy) -> Policy:
    """Store a new version of a policy; a version may only move forward."""
    if await repo.service(policy.service_code) is None:
        raise not_found("Service", policy.service_code)
    current = await repo.policy(policy.id)
    if current is not None and policy.version <= current.version:
        raise PolicyVersionConflict(
            f"Policy {policy.id} is at version {current.version}; "
            f"publish version {current.version + 1} or later.",
        )
    policy = policy.model_copy(update={"attestation": None})  # never taken in
    await repo.session.merge(PolicyRow(**policy.model_dump(mode="python", exclude={"attestation"})))
    outbox.add(repo.session, POLICY_PUBLISHED, policy.signed_content(), key=policy.id)
    return policy


async def stats(repo: CatalogRepository) -> Stats:
    return Stats(
        services=await repo.count(Service),
        service_items=await repo.count(Service, kind="service_item"),
        subsidies=await repo.count(Service, kind="subsidy"),
        departments=await repo.count(Department),
        districts=await repo.count(District),
        cash_transactions=await repo.counter(CASH_TRANSACTIONS),
        cash_paid_fen=await repo.counter(CASH_PAID_FEN),
    )
