"""The live figures the platform shows the public: cash transactions and money paid, in
all and by department (the policy's) and district (the enterprise's), moved by events.
A payout counts when the bank completed it, and comes out once if its money came back or
was demanded back. Never commits.

Each figure is a counter row: ``cash_transactions``, ``cash_paid_fen``, and the same
with ``@department:<code>`` and ``@district:<code>`` (``unknown`` when catalog-svc has not
heard of the policy's department or the enterprise's district).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from catalog_svc.repository import CatalogRepository
from catalog_svc.schemas import Figures, LatestPayout, Minute
from qinqing_shared.db import as_utc

CASH_TRANSACTIONS = "cash_transactions"
CASH_PAID_FEN = "cash_paid_fen"
UNKNOWN = "unknown"
LATEST = 10  # payouts the dashboard lists
MINUTES = 30  # minutes of payouts per minute


@dataclass(frozen=True)
class Where:
    """Where a payout's money counts: the policy's department, the enterprise's district."""

    department: str
    district: str


async def count(
    repo: CatalogRepository, policy_id: str, uscc: str, transactions: int, amount_fen: int
) -> Where:
    """Move every figure the payout belongs to by ``transactions`` and ``amount_fen``."""
    policy = await repo.policy(policy_id)
    where = Where(
        department=policy.department_code if policy is not None else UNKNOWN,
        district=await repo.district_of(uscc) or UNKNOWN,
    )
    for suffix in ("", f"@department:{where.department}", f"@district:{where.district}"):
        await repo.add_to_counter(CASH_TRANSACTIONS + suffix, transactions)
        await repo.add_to_counter(CASH_PAID_FEN + suffix, amount_fen)
    return where


SERVICE_ITEMS_HANDLED = "service_items_handled"


async def count_service_item(
    repo: CatalogRepository, department: str, uscc: str, delta: int = 1
) -> None:
    """A service item handled (granted or refused, once per request): in all, for the
    department that decided it and the enterprise's district, wherever it was asked.
    A revoked grant (its commitment broken) is a reversal: counted out (-1)."""
    district = await repo.district_of(uscc) or UNKNOWN
    for suffix in ("", f"@department:{department}", f"@district:{district}"):
        await repo.add_to_counter(SERVICE_ITEMS_HANDLED + suffix, delta)


def minute_of(at: dt.datetime) -> int:
    """Minutes since the epoch (UTC): the bucket of payouts per minute."""
    return int(at.timestamp()) // 60


async def remember(
    repo: CatalogRepository, payout_id: str, paid_at: dt.datetime, where: Where, amount_fen: int
) -> None:
    """A completed payout for the dashboard: where and how much, never to whom."""
    await repo.add_recent(
        {
            "payout_id": payout_id,
            "paid_at": paid_at,
            "minute": minute_of(paid_at),
            "department_code": where.department,
            "district_code": where.district,
            "amount_fen": amount_fen,
        }
    )


async def latest(repo: CatalogRepository) -> list[LatestPayout]:
    rows = await repo.recent(LATEST)
    return [
        LatestPayout(
            paid_at=as_utc(row.paid_at),
            department_code=row.department_code,
            district_code=row.district_code,
            amount_fen=row.amount_fen,
        )
        for row in rows
    ]


async def per_minute(repo: CatalogRepository, now: dt.datetime) -> list[Minute]:
    """The last ``MINUTES`` minutes, oldest first, each with its payouts (0 when none)."""
    last = minute_of(now)
    found = await repo.payouts_per_minute(last - MINUTES + 1)
    return [
        Minute(
            minute=dt.datetime.fromtimestamp(m * 60, dt.UTC),
            payouts=found.get(m, (0, 0))[0],
            paid_fen=found.get(m, (0, 0))[1],
        )
        for m in range(last - MINUTES + 1, last + 1)
    ]


async def by(repo: CatalogRepository, what: str) -> list[Figures]:
    """The figures of each department (``what="department"``) or district, by code."""
    transactions = await repo.counters_with_prefix(f"{CASH_TRANSACTIONS}@{what}:")
    paid = await repo.counters_with_prefix(f"{CASH_PAID_FEN}@{what}:")
    items = await repo.counters_with_prefix(f"{SERVICE_ITEMS_HANDLED}@{what}:")
    return [
        Figures(
            code=code,
            cash_transactions=transactions.get(code, 0),
            cash_paid_fen=paid.get(code, 0),
            service_items_handled=items.get(code, 0),
        )
        for code in sorted(set(transactions) | set(paid) | set(items))
    ]
