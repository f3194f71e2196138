"""``credit-svc migrate | seed FILE | serve --port N``."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from credit_svc.config import Settings
from credit_svc.models import CreditRecord
from credit_svc.repository import CreditRepository
from qinqing_shared.cli import ServiceCommands
from qinqing_shared.contracts.credit import CreditRecordOut
from qinqing_shared.ids import validate_uscc


def record_row(raw: dict[str, Any]) -> dict[str, Any]:
    record = CreditRecordOut.model_validate(raw)
    uscc = validate_uscc(raw["uscc"])
    key = f"{uscc}|{record.kind}|{record.department}|{record.valid_from}"
    return {
        "id": hashlib.sha256(key.encode()).hexdigest()[:32],
        "uscc": uscc,
        **record.model_dump(exclude={"id", "lifted_on"}),
    }


async def seed(session: AsyncSession, dataset: dict[str, Any]) -> int:
    if await CreditRepository(session).count_records():
        return 0
    rows = [record_row(r) for r in dataset["credit_records"]]
    if rows:
        await session.execute(insert(CreditRecord), rows)
    return len(rows)


commands = ServiceCommands(
    name="credit-svc",
    settings=Settings,
    app_factory="credit_svc.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
    seeder=seed,
)
main = commands.main

if __name__ == "__main__":
    main()
