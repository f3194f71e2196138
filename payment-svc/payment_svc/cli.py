"""``payment-svc migrate | seed FILE | serve --port N``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc import service
from payment_svc.config import Settings
from payment_svc.repository import PaymentRepository
from qinqing_shared.cli import ServiceCommands
from qinqing_shared.contracts.payment import BudgetOpen


async def seed(session: AsyncSession, dataset: dict[str, Any]) -> int:
    """Open the budget of every policy in the dataset (once)."""
    repo = PaymentRepository(session)
    opened = 0
    for policy in dataset["policies"]:
        if await repo.budget(policy["id"]) is None:
            request = BudgetOpen(
                policy_id=policy["id"],
                department_code=policy["department_code"],
                amount_fen=policy["budget_fen"],
                currency=policy["currency"],
            )
            await service.open_budget(repo, request=request)
            opened += 1
    return opened


commands = ServiceCommands(
    name="payment-svc",
    settings=Settings,
    app_factory="payment_svc.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
    seeder=seed,
)
main = commands.main

if __name__ == "__main__":
    main()
