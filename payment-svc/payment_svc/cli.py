"""``payment-svc migrate | seed FILE | serve --port N``."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import nats
from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc import budgets
from payment_svc.bank.connector import HttpBankConnector
from payment_svc.config import Settings
from payment_svc.reconciliation import reconcile, summary
from payment_svc.repository import PaymentRepository
from qinqing_shared.cli import ServiceCommands
from qinqing_shared.contracts.payment import BudgetOpen
from qinqing_shared.db import Database
from qinqing_shared.uow import Units


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
            await budgets.open_budget(repo, request=request)
            opened += 1
    return opened


commands = ServiceCommands(
    name="payment-svc",
    settings=Settings,
    app_factory="payment_svc.main:create_app",
    migrations_dir=Path(__file__).parent / "migrations",
    seeder=seed,
)


async def _reconcile(settings: Settings) -> int:
    """Print the reconciliation report; exit 1 when anything differs."""
    db = Database(settings.database_url)
    bank = HttpBankConnector.to(settings.bank_url, 10, settings.bank_api_key)
    client = await nats.connect(settings.nats_url)
    try:
        report = await reconcile(Units(db), bank, client.jetstream())
    finally:
        await client.close()
        await bank.aclose()
        await db.dispose()
    print(summary(report))
    for difference in report.differences:
        print(
            f"  {difference.source}/{difference.kind} {difference.reference}: {difference.detail}"
        )
    return 0 if report.clean else 1


def main(argv: list[str] | None = None) -> None:
    """The service's commands and ``reconcile``."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["reconcile"]:
        sys.exit(asyncio.run(_reconcile(Settings())))
    commands.main(args)


if __name__ == "__main__":
    main()
