"""The live figures the platform shows the public: cash transactions and money paid, in
all and by department (the policy's) and district (the enterprise's), moved by events.
A payout counts when the bank completed it, and comes out once if its money came back or
was demanded back. Never commits.

Each figure is a counter row: ``cash_transactions``, ``cash_paid_fen``, and the same
with ``@department:<code>`` and ``@district:<code>`` (``unknown`` when catalog-svc has not
heard of the policy's department or the enterprise's district).
"""

from __future__ import annotations

from catalog_svc.repository import CatalogRepository
from catalog_svc.schemas import Figures

CASH_TRANSACTIONS = "cash_transactions"
CASH_PAID_FEN = "cash_paid_fen"
UNKNOWN = "unknown"


async def count(
    repo: CatalogRepository, policy_id: str, uscc: str, transactions: int, amount_fen: int
) -> None:
    """Move every figure the payout belongs to by ``transactions`` and ``amount_fen``."""
    policy = await repo.policy(policy_id)
    department = policy.department_code if policy is not None else UNKNOWN
    district = await repo.district_of(uscc) or UNKNOWN
    for suffix in ("", f"@department:{department}", f"@district:{district}"):
        await repo.add_to_counter(CASH_TRANSACTIONS + suffix, transactions)
        await repo.add_to_counter(CASH_PAID_FEN + suffix, amount_fen)


async def by(repo: CatalogRepository, what: str) -> list[Figures]:
    """The figures of each department (``what="department"``) or district, by code."""
    transactions = await repo.counters_with_prefix(f"{CASH_TRANSACTIONS}@{what}:")
    paid = await repo.counters_with_prefix(f"{CASH_PAID_FEN}@{what}:")
    return [
        Figures(
            code=code, cash_transactions=transactions.get(code, 0), cash_paid_fen=paid.get(code, 0)
        )
        for code in sorted(set(transactions) | set(paid))
    ]
