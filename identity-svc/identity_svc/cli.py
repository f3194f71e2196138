"""``identity-svc migrate | seed FILE | serve --port N``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from identity_svc import service
from identity_svc.config import Settings
from identity_svc.repository import IdentityRepository
from qinqing_shared.cli import ServiceCommands
from qinqing_shared.contracts.identity import EnterpriseProfile


async def seed(session: AsyncSession, dataset: dict[str, Any]) -> int:
    if await IdentityRepository(session).count_enterprises():
        return 0
    profiles = (EnterpriseProfile.model_validate(e) for e in dataset["enterprises"])
    return await service.load(session, profiles)


commands = ServiceCommands(
    name="identity-svc",
    settings=Settings,
    app_factory="identity_svc.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
    seeder=seed,
)
main = commands.main

if __name__ == "__main__":
    main()
