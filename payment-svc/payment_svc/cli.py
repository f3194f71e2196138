"""``payment-svc migrate | seed FILE | serve --port N``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import uvicorn
from sqlalchemy.ext.asyncio import AsyncSession

from payment_svc import budgets
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


def main(argv: list[str] | None = None) -> None:
    """The service's commands, and ``sandbox-bank --port N`` to run the sandbox bank."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["sandbox-bank"]:
        parser = argparse.ArgumentParser(prog="payment-svc sandbox-bank")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, required=True)
        options = parser.parse_args(args[1:])
        uvicorn.run(
            "payment_svc.bank.sandbox.app:create_app",
            factory=True,
            host=options.host,
            port=options.port,
            log_level="warning",
        )
        return
    commands.main(args)


if __name__ == "__main__":
    main()
