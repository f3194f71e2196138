"""Logic of catalog-svc: search, policies, live figures. Never commits."""

from __future__ import annotations

import datetime as dt

from catalog_svc import figures
from catalog_svc.figures import CASH_PAID_FEN, CASH_TRANSACTIONS, SERVICE_ITEMS_HANDLED
from catalog_svc.models import Department, District, Service
from catalog_svc.repository import CatalogRepository, ServiceFilter
from catalog_svc.schemas import PolicyPage, PolicySummary, ServiceOut, ServicePage, Stats
from qinqing_shared.contracts.interaction import InteractionFigures


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


async def stats(
    repo: CatalogRepository,
    requests: InteractionFigures | None = None,
    now: dt.datetime | None = None,
) -> Stats:
    """The public figures; ``now`` ends the per-minute series (the current time if not given)."""
    return Stats(
        requests=requests,
        services=await repo.count(Service),
        service_items=await repo.count(Service, kind="service_item"),
        subsidies=await repo.count(Service, kind="subsidy"),
        departments=await repo.count(Department),
        districts=await repo.count(District),
        cash_transactions=await repo.counter(CASH_TRANSACTIONS),
        cash_paid_fen=await repo.counter(CASH_PAID_FEN),
        service_items_handled=await repo.counter(SERVICE_ITEMS_HANDLED),
        by_department=await figures.by(repo, "department"),
        by_district=await figures.by(repo, "district"),
        latest_payouts=await figures.latest(repo),
        payouts_per_minute=await figures.per_minute(repo, now or dt.datetime.now(dt.UTC)),
    )
