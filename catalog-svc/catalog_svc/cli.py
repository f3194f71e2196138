"""``catalog-svc migrate | seed FILE | serve --port N``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from catalog_svc.config import Settings
from catalog_svc.models import Department, District, PolicyRow, PolicyVersion, Service
from catalog_svc.repository import CatalogRepository
from qinqing_shared.cli import ServiceCommands
from qinqing_shared.contracts.catalog import Policy


async def seed(session: AsyncSession, dataset: dict[str, Any]) -> int:
    if await CatalogRepository(session).count(District):
        return 0
    published = [Policy.model_validate(p) for p in dataset["policies"]]
    policies = [p.model_dump(mode="python", exclude={"attestation"}) for p in published]
    loads = [
        (District, dataset["districts"]),
        (Department, dataset["departments"]),
        (Service, dataset["services"]),
        (PolicyRow, policies),
        (PolicyVersion, [_first_version(p) for p in published]),
    ]
    for table, rows in loads:
        await session.execute(insert(table), rows)
    return sum(len(rows) for _, rows in loads)


def _first_version(policy: Policy) -> dict[str, Any]:
    """A seeded policy as its published version (policies.py keeps every one)."""
    now = dt.datetime.now(dt.UTC)
    return {
        "policy_id": policy.id,
        "version": policy.version,
        "state": "published",
        "department_code": policy.department_code,
        "valid_from": policy.valid_from,
        "content": policy.signed_content(),
        "author": "seed",
        "created_at": now,
        "published_at": now,
        "published_by": "seed",
    }


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
