"""``catalog-svc migrate | seed FILE | serve --port N``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_svc.config import Settings
from catalog_svc.models import Department, District, PolicyRow, Service
from catalog_svc.repository import CatalogRepository
from qinqing_shared.cli import ServiceCommands
from qinqing_shared.contracts.catalog import Policy


async def seed(session: AsyncSession, dataset: dict[str, Any]) -> int:
    if await CatalogRepository(session).count(District):
        return 0
    policies = [Policy.model_validate(p).model_dump(mode="python") for p in dataset["policies"]]
    loads = [
        (District, dataset["districts"]),
        (Department, dataset["departments"]),
        (Service, dataset["services"]),
        (PolicyRow, policies),
    ]
    for table, rows in loads:
        await session.execute(insert(table), rows)
    return sum(len(rows) for _, rows in loads)


commands = ServiceCommands(
    name="catalog-svc",
    settings=Settings,
    app_factory="catalog_svc.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
    seeder=seed,
)
main = commands.main

if __name__ == "__main__":
    main()
