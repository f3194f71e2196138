"""Reconciliation: the ledger, the payouts, the bank statement and the published events
must tell one story. ``compare`` is pure; ``gather`` reads the four sources.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from nats.js import JetStreamContext
from pydantic import BaseModel

from payment_svc import ledger
from payment_svc.bank.connector import BankConnector, StatementLine
from payment_svc.repository import PaymentRepository
from qinqing_shared.contracts.events import PAYOUT_COMPLETED
from qinqing_shared.contracts.payment import PayoutStatus
from qinqing_shared.events import stream_name
from qinqing_shared.uow import Units

Kind = Literal["missing", "duplicated", "amount_mismatch", "unbalanced", "unresolved"]
Source = Literal["ledger", "bank", "events", "budget"]
PAID = (PayoutStatus.COMPLETED, PayoutStatus.REVERSED)
IN_FLIGHT = (PayoutStatus.RESERVED, PayoutStatus.SENT)


class Difference(BaseModel):
    kind: Kind
    source: Source
    reference: str
    detail: str


class Report(BaseModel):
    checked_at: dt.datetime
    payouts: int
    bank_lines: int
    events: int
    differences: list[Difference]

    @property
    def clean(self) -> bool:
        return not self.differences


@dataclass
class Facts:
    """What each source says, reduced to what is compared."""

    payouts: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # id: app, status, fen
    offsets: dict[str, int] = field(default_factory=dict)  # payout id: fen set off, not banked
    refunds: dict[str, tuple[str, int]] = field(default_factory=dict)  # id: status, fen
    refunded: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))  # ledger
    settlements: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    unbalanced: list[str] = field(default_factory=list)
    budgets: list[tuple[str, int, int, int, int, int, int]] = field(default_factory=list)
    bank: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    events: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    unpublished: set[str] = field(default_factory=set)
    stale: set[str] = field(default_factory=set)


def compare(facts: Facts) -> list[Difference]:
    out = [
        Difference(
            kind="unbalanced",
            source="ledger",
            reference=t,
            detail="the entries of this transfer do not sum to zero",
        )
        for t in facts.unbalanced
    ]
    out += _budgets(facts)
    for payout_id, (application_id, status, amount) in facts.payouts.items():
        banked = amount - facts.offsets.get(payout_id, 0)  # the part set off never banks
        if status in PAID:
            out += _one(
                facts.settlements.get(application_id, []),
                banked,
                "ledger",
                payout_id,
                "settlement transfer",
            )
            out += _one(
                facts.bank.get(payout_id, []), banked, "bank", payout_id, "bank statement line"
            )
            if payout_id not in facts.unpublished:
                out += _one(
                    facts.events.get(payout_id, []),
                    amount,
                    "events",
                    payout_id,
                    "payout.completed event",
                )
        elif status in IN_FLIGHT and payout_id in facts.stale:
            out.append(
                Difference(
                    kind="unresolved",
                    source="ledger",
                    reference=payout_id,
                    detail=f"payout {status} and not resolved by the bank yet",
                )
            )
    out += _refunds(facts)
    # a payout still in flight (reserved or sent) that the bank has booked is waiting for
    # the bank's answer to be applied: unresolved once stale (above), not missing
    in_flight = {p for p, (_, status, _) in facts.payouts.items() if status in IN_FLIGHT}
    bank = {
        ref: amounts
        for ref, amounts in facts.bank.items()
        if ref not in facts.refunds and ref not in in_flight
    }
    out += _unknown(bank, facts.payouts, "bank statement line")
    out += _unknown(facts.events, facts.payouts, "payout.completed event")
    return out


def _refunds(facts: Facts) -> list[Difference]:
    """A refund the bank paid (even if it returned it later) has one bank line and one
    ledger transfer of its amount; one not paid yet or refused has neither."""
    out: list[Difference] = []
    for refund_id, (status, amount) in facts.refunds.items():
        paid = status in ("completed", "returned")
        bank, ledger_ = facts.bank.get(refund_id, []), facts.refunded.get(refund_id, [])
        if paid:
            out += _one(bank, amount, "bank", refund_id, "bank statement line")
            out += _one(ledger_, amount, "ledger", refund_id, "refund transfer")
        elif ledger_:
            detail = f"a refund transfer for a refund {status} at the bank"
            out.append(
                Difference(kind="missing", source="bank", reference=refund_id, detail=detail)
            )
    return out


def _one(
    amounts: list[int], expected: int, source: Source, ref: str, what: str
) -> list[Difference]:
    if not expected and not amounts:  # nothing to bank (set off whole): nothing banked
        return []
    if not amounts:
        return [Difference(kind="missing", source=source, reference=ref, detail=f"no {what}")]
    if len(amounts) > 1:
        return [
            Difference(
                kind="duplicated", source=source, reference=ref, detail=f"{len(amounts)} {what}s"
            )
        ]
    if amounts[0] != expected:
        return [
            Difference(
                kind="amount_mismatch",
                source=source,
                reference=ref,
                detail=f"{what} of {amounts[0]} fen, payout of {expected} fen",
            )
        ]
    return []


def _unknown(
    seen: dict[str, list[int]], payouts: dict[str, tuple[str, str, int]], what: str
) -> list[Difference]:
    return [
        Difference(
            kind="missing",
            source="ledger",
            reference=ref,
            detail=f"a {what} for a payment the ledger does not show as paid",
        )
        for ref in seen
        if payouts.get(ref, ("", "", 0))[1] not in PAID
    ]


def _budgets(facts: Facts) -> list[Difference]:
    out = []
    for policy, funded, remaining, reserved, paid, account, hold in facts.budgets:
        if funded != remaining + reserved + paid or account != remaining or hold != reserved:
            out.append(
                Difference(
                    kind="amount_mismatch",
                    source="budget",
                    reference=policy,
                    detail=f"funded {funded} != remaining {remaining} + reserved {reserved} + paid "
                    f"{paid}, or budget account {account} / hold {hold} disagree",
                )
            )
    return out


async def gather(
    units: Units, bank: BankConnector, js: JetStreamContext, stale_after: float = 60
) -> tuple[Facts, int, int]:
    """The four sources; the database is never held open while the bank or NATS answer.

    What the outbox has not relayed yet is read with the ledger, before the stream: the
    relay marks an event published only after JetStream acknowledged it, so a payout read
    here is either excused as not relayed or already in the stream read after. Read the
    other way round, an event relayed between the two reads would be reported missing.
    """
    facts = Facts()
    async with units.read() as unit:
        repo = PaymentRepository(unit.session)
        await _ledger_facts(repo, facts, stale_after)
        facts.unpublished = set(await repo.unpublished_payout_ids())
    lines = await bank.statement()
    _add_lines(facts, lines)
    events = await _completed_events(js)
    for payout_id, amount in events:
        facts.events[payout_id].append(amount)
    return facts, len(lines), len(events)


async def _ledger_facts(repo: PaymentRepository, facts: Facts, stale_after: float) -> None:
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=stale_after)
    for row in await repo.payouts():
        facts.payouts[row.id] = (row.application_id, row.status, row.amount_fen)
        if row.offset_fen:
            facts.offsets[row.id] = row.offset_fen
        if row.updated_at is not None and _utc(row.updated_at) < cutoff:
            facts.stale.add(row.id)
    for transfer in await repo.transfers():
        if transfer.kind == "settlement":
            facts.settlements[transfer.reference].append(transfer.amount_fen)
        elif transfer.kind == "refund":
            facts.refunded[transfer.reference].append(transfer.amount_fen)
    for refund in await repo.refunds():
        facts.refunds[refund.id] = (refund.status, refund.amount_fen)
    facts.unbalanced = list(await repo.unbalanced_transfers())
    for budget in await repo.budgets():
        account = await repo.account_balance(budget.account_id)
        hold = await repo.account_balance(ledger.hold_account(budget.policy_id))
        facts.budgets.append(
            (
                budget.policy_id,
                budget.funded_fen,
                budget.remaining_fen,
                budget.reserved_fen,
                budget.paid_fen,
                account,
                hold,
            )
        )


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _add_lines(facts: Facts, lines: Iterable[StatementLine]) -> None:
    for line in lines:
        facts.bank[line.instruction_id].append(line.amount_fen)


async def _completed_events(js: JetStreamContext) -> list[tuple[str, int]]:
    """Every payout.completed event in the payment stream: (payout id, amount)."""
    info = await js.stream_info(stream_name("payment"), subjects_filter=PAYOUT_COMPLETED)
    count = (info.state.subjects or {}).get(PAYOUT_COMPLETED, 0)
    if not count:
        return []
    sub = await js.subscribe(PAYOUT_COMPLETED, ordered_consumer=True)
    found = []
    try:
        for _ in range(count):
            data = json.loads((await sub.next_msg(timeout=5)).data)
            found.append((str(data["payout_id"]), int(data["amount_fen"])))
    finally:
        await sub.unsubscribe()
    return found


async def reconcile(units: Units, bank: BankConnector, js: JetStreamContext) -> Report:
    facts, lines, events = await gather(units, bank, js)
    return Report(
        checked_at=dt.datetime.now(dt.UTC),
        payouts=len(facts.payouts),
        bank_lines=lines,
        events=events,
        differences=compare(facts),
    )


def summary(report: Report) -> str:
    counts = Counter((d.source, d.kind) for d in report.differences)
    head = (
        f"{report.payouts} payouts, {report.bank_lines} bank lines, {report.events} events: "
        f"{len(report.differences)} differences"
    )
    return "\n".join([head, *(f"  {s:<7} {k:<16} {n}" for (s, k), n in sorted(counts.items()))])
