"""Payouts of a batch written set-based: what ``payouts.reserve`` and ``payouts._settle``
do for one payout, done for many with a statement per kind of row. Never commits.

Only the plain case goes this way: a new payout of an enterprise that owes nothing
back, from a budget that covers the whole batch's share of it, settled whole by the
bank. Everything else (an enterprise with a clawback to set off, a payout that exists
already, a budget that cannot cover the batch, a bank's refusal or a late answer) is
handed back to the caller, which takes it through the one-payout path: the same rows,
the same ledger, the same events, so both paths agree to the fen.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from payment_svc import ledger, payouts
from payment_svc.bank.connector import Receipt
from payment_svc.models import Account, Clawback, PayoutRow
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.bank import BankStatus
from qinqing_shared.contracts.payment import PayoutRequest, PayoutStatus
from qinqing_shared.db import insert_ignore_many, table_of
from qinqing_shared.outbox import Outbox

OWING = ("demanded", "partly_repaid")


class _Uncovered(Exception):
    """A budget that cannot cover its policy's share of the batch: roll the share back."""


async def reserve_many(
    repo: PaymentRepository, requests: Sequence[PayoutRequest]
) -> tuple[list[PayoutRow], list[PayoutRequest]]:
    """The batch's plain payouts reserved, each policy's share from its budget in one
    conditional update (in a savepoint: a share its budget cannot cover, or whose
    policy has none, is rolled back whole); and the requests left to the one-payout
    path."""
    plain, left = await _plain(repo, requests)
    by_policy: dict[str, list[PayoutRequest]] = defaultdict(list)
    for request in plain:
        by_policy[request.policy_id].append(request)
    reserved: list[PayoutRow] = []
    for policy_id, share in sorted(by_policy.items()):
        try:
            async with repo.session.begin_nested():
                reserved += await _reserve_share(repo, policy_id, share)
        except (_Uncovered, IntegrityError):  # no budget for the policy, or a payout
            left += share  # made meanwhile: each as alone (404, or the one made)
    return reserved, left


async def _plain(
    repo: PaymentRepository, requests: Sequence[PayoutRequest]
) -> tuple[list[PayoutRequest], list[PayoutRequest]]:
    """(new payouts of enterprises owing nothing; the rest)."""
    ids = [r.application_id for r in requests]
    made = set(
        (
            await repo.session.scalars(
                select(PayoutRow.application_id).where(PayoutRow.application_id.in_(ids))
            )
        ).all()
    )
    owing = set(
        (
            await repo.session.scalars(
                select(Clawback.uscc).where(
                    Clawback.uscc.in_({r.uscc for r in requests}), Clawback.status.in_(OWING)
                )
            )
        ).all()
    )
    plain: list[PayoutRequest] = []
    left: list[PayoutRequest] = []
    for request in requests:  # each application once (``PayoutBatch``)
        new = request.application_id not in made and request.uscc not in owing
        (plain if new else left).append(request)
    return plain, left


async def _reserve_share(
    repo: PaymentRepository, policy_id: str, share: list[PayoutRequest]
) -> list[PayoutRow]:
    values = [payouts.new_payout(request) | {"offset_fen": 0} for request in share]
    await repo.session.execute(insert(table_of(PayoutRow)), values)
    now = dt.datetime.now(dt.UTC)
    accounts = {
        (ledger.enterprise_account(str(v["uscc"])), str(v["currency"])): None for v in values
    }
    await insert_ignore_many(
        repo.session,
        Account,
        [
            {"id": account, "kind": "enterprise", "currency": currency, "created_at": now}
            for account, currency in accounts
        ],
    )
    move = ledger.Move(
        "reservation", ledger.budget_account(policy_id), ledger.hold_account(policy_id)
    )
    await ledger.post_many(
        repo.session,
        [
            ledger.Posting(
                (move,), str(v["application_id"]), int(str(v["amount_fen"])), str(v["currency"])
            )
            for v in values
        ],
    )
    if not await repo.reserve(policy_id, sum(int(str(v["amount_fen"])) for v in values)):
        raise _Uncovered(policy_id)
    return [PayoutRow(**v) for v in values]


def settled_whole(row: PayoutRow, receipt: Receipt) -> bool:
    """Whether the bank's word settles this payout as a plain one (``settle_many``)."""
    waiting = row.status in (PayoutStatus.RESERVED, PayoutStatus.SENT)
    return waiting and receipt.status == BankStatus.COMPLETED and not row.offset_fen


async def settle_many(
    repo: PaymentRepository, outbox: Outbox, settled: Sequence[tuple[PayoutRow, Receipt]]
) -> None:
    """Plain payouts the bank paid (``settled_whole``), settled as ``payouts._settle``
    settles one: the ledger's payout and settlement moves, each payout completed with its
    event and audit record, and each policy's budget moved once."""
    postings = []
    totals: dict[str, int] = defaultdict(int)
    for row, receipt in settled:
        enterprise = ledger.enterprise_account(row.uscc)
        moves = (
            ledger.Move("payout", ledger.hold_account(row.policy_id), enterprise),
            ledger.Move("settlement", enterprise, ledger.CLEARING),
        )
        postings.append(ledger.Posting(moves, row.application_id, row.amount_fen, row.currency))
        payouts.completed(repo, outbox, row, receipt.reference)
        totals[row.policy_id] += row.amount_fen
    await ledger.post_many(repo.session, postings)
    for policy_id, total in sorted(totals.items()):  # the shared rows last (see reserve)
        await repo.settle(policy_id, total)
