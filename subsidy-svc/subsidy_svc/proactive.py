"""Proactive payouts (免申即享): a run evaluates every enterprise for a proactive
policy's version, with the same engine as an application, and gives each eligible one
a notice; after the notice period the gateway takes each notice still standing and pays
it through the instant flow, under the notice's id. Never commits.

A run moves forward a batch at a time in USCC order: its cursor is the last enterprise
evaluated, so a batch sent twice (a retry after a crash) is recorded once, and a batch
that would skip enterprises is refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.events import (
    NOTICE_DECLINED,
    NOTICE_FAILED,
    NOTICE_ISSUED,
    PROACTIVE_RUN_PROGRESSED,
    NoticeEvent,
    NoticeFailed,
    ProactiveRunProgressed,
)
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.subsidy import (
    Beneficiary,
    Notice,
    NoticeStatus,
    ProactiveRun,
    RunBatch,
    RunRecheck,
    RunState,
)
from qinqing_shared.db import as_utc
from qinqing_shared.outbox import Outbox
from subsidy_svc.eligibility.engine import claim_subjects, evaluate
from subsidy_svc.errors import (
    BatchNotInOrder,
    NoticeDeclined,
    NoticeNotDue,
    NoticeNotFound,
    NoticeNotTaken,
    NoticeTaken,
    NotProactive,
    RunNotStarted,
    RunOutOfOrder,
)
from subsidy_svc.models import NoticeRow, ProactiveRunRow
from subsidy_svc.proactive_repository import ProactiveRepository
from subsidy_svc.service import beneficiaries


async def start(repo: ProactiveRepository, policy: Policy, now: dt.datetime) -> ProactiveRun:
    """The run of this policy version, begun if it was not (starting twice starts once)."""
    if not policy.proactive:
        raise NotProactive(f"Policy {policy.id} version {policy.version} is paid on application.")
    row = await repo.run(policy.id, policy.version)
    if row is None:
        row = ProactiveRunRow(
            policy_id=policy.id,
            policy_version=policy.version,
            department_code=policy.department_code,
            state=RunState.EVALUATING,
            cursor=None,
            evaluated=0,
            eligible=0,
            started_at=now,
        )
        await repo.add_run(row)
    return _uncounted(row)


async def record_batch(
    repo: ProactiveRepository, outbox: Outbox, batch: RunBatch, now: dt.datetime
) -> ProactiveRun:
    """Evaluate the next enterprises and give each eligible one a notice, once."""
    policy = batch.policy
    row = await repo.run(policy.id, policy.version, lock=True)
    if row is None:
        raise RunNotStarted(f"Policy {policy.id} version {policy.version} has no run.")
    if row.state != RunState.EVALUATING or _before(batch.after, row.cursor):
        return _uncounted(row)  # recorded already: a retry
    if batch.after != row.cursor:
        raise RunOutOfOrder(
            f"The run has evaluated up to {row.cursor}; this batch starts after {batch.after}."
        )
    _check_order(batch.after, batch.enterprises)
    notices = await _notify(repo, outbox, policy, batch.on, batch.enterprises, now)
    if batch.enterprises:
        row.cursor = batch.enterprises[-1].uscc
    row.evaluated += len(batch.enterprises)
    row.eligible += len(notices)
    if batch.last:
        row.state, row.evaluated_at = RunState.PAYING, now
    progressed = ProactiveRunProgressed(
        policy_id=row.policy_id,
        policy_version=row.policy_version,
        state=row.state,
        evaluated=row.evaluated,
        eligible=row.eligible,
    )
    outbox.add(repo.session, PROACTIVE_RUN_PROGRESSED, progressed.model_dump(), key=_run_key(row))
    return _uncounted(row)


async def recheck(
    repo: ProactiveRepository, outbox: Outbox, body: RunRecheck, now: dt.datetime
) -> ProactiveRun:
    """Evaluate enterprises again after a department's new facts: one that has no notice
    of this version yet and now qualifies is given one (evaluating again gives none
    twice). While the run still evaluates, the enterprises it has not reached yet are
    left to it; once it has evaluated all, any may be (one registered since, too)."""
    policy = body.policy
    row = await repo.run(policy.id, policy.version, lock=True)
    if row is None:
        raise RunNotStarted(f"Policy {policy.id} version {policy.version} has no run.")
    reached = [e for e in body.enterprises if _reached(row, e.uscc)]
    noticed = await repo.noticed(policy.id, policy.version, [e.uscc for e in reached])
    fresh = [e for e in reached if e.uscc not in noticed]
    notices = await _notify(repo, outbox, policy, body.on, fresh, now)
    row.eligible += len(notices)
    return _uncounted(row)


def _reached(row: ProactiveRunRow, uscc: str) -> bool:
    if row.state != RunState.EVALUATING:
        return True
    return row.cursor is not None and uscc <= row.cursor


def _before(after: str | None, cursor: str | None) -> bool:
    """Whether a batch starting after ``after`` starts before the run's cursor."""
    return cursor is not None and (after is None or after < cursor)


async def _notify(
    repo: ProactiveRepository,
    outbox: Outbox,
    policy: Policy,
    on: dt.date,
    enterprises: Sequence[EnterpriseProfile],
    now: dt.datetime,
) -> list[NoticeRow]:
    """The eligible ones of these enterprises given their notices, each announced."""
    notices = await _evaluate(repo, policy, on, enterprises, now)
    for notice in notices:
        await repo.add_notice(notice)
        event = _event(notice).model_dump(mode="json")
        outbox.add(repo.session, NOTICE_ISSUED, event, key=notice.id)
    return notices


def _check_order(after: str | None, enterprises: Sequence[EnterpriseProfile]) -> None:
    usccs = [e.uscc for e in enterprises]
    if usccs != sorted(set(usccs)) or (after is not None and usccs and usccs[0] <= after):
        raise BatchNotInOrder(f"A batch lists enterprises in USCC order, each after {after}.")


async def _evaluate(
    repo: ProactiveRepository,
    policy: Policy,
    on: dt.date,
    enterprises: Sequence[EnterpriseProfile],
    now: dt.datetime,
) -> list[NoticeRow]:
    """The eligible enterprises, as notices: the engine that decides applications, on
    the same facts, with the claims they (or their employees) already hold this year.
    One told under an earlier version and still waiting is left to that notice."""
    subjects = [s for e in enterprises for s in claim_subjects(policy, e)]
    claims = await repo.subsidy.claims_this_year(policy.id, on.year, subjects)
    standing = await repo.standing(policy.id, [e.uscc for e in enterprises])
    pay_after = now + dt.timedelta(days=policy.notice_days)
    notices = []
    for enterprise in enterprises:
        if enterprise.uscc in standing:
            continue
        result = evaluate(policy, enterprise, on, claims)
        if result.eligible:  # an eligible decision always pays something
            notices.append(
                NoticeRow(
                    id=str(uuid.uuid4()),
                    policy_id=policy.id,
                    policy_version=policy.version,
                    uscc=enterprise.uscc,
                    amount_fen=result.amount_fen,
                    currency=policy.currency,
                    beneficiaries=[b.model_dump() for b in beneficiaries(result)],
                    status=NoticeStatus.NOTICED,
                    noticed_at=now,
                    pay_after=pay_after,
                )
            )
    return notices


async def due(
    repo: ProactiveRepository, policy_id: str, version: int, now: dt.datetime, limit: int
) -> list[Notice]:
    """Notices still standing whose notice period is over, oldest first."""
    return [_notice(row, None) for row in await repo.due(policy_id, version, now, limit)]


async def take_due(
    repo: ProactiveRepository, policy_id: str, version: int, now: dt.datetime, limit: int
) -> list[Notice]:
    """Take the run's due notices for payment at once, as ``take`` would each: from then
    on none can be declined. Those taken before whose payment was cut off (no
    application yet) are among them again."""
    rows = await repo.due(policy_id, version, now, limit, lock=True)
    for row in rows:
        if row.status == NoticeStatus.NOTICED:
            row.status, row.taken_at = NoticeStatus.TAKEN, now
    return [_notice(row, None) for row in rows]


async def take(repo: ProactiveRepository, notice_id: str, now: dt.datetime) -> Notice:
    """Start paying a notice: from then on it cannot be declined (taking twice is once)."""
    row = await _get(repo, notice_id, lock=True)
    if row.status == NoticeStatus.DECLINED:
        raise NoticeDeclined(f"Notice {notice_id} was declined by the enterprise.")
    if row.status == NoticeStatus.NOTICED:
        pay_after = as_utc(row.pay_after)
        if pay_after > now:
            raise NoticeNotDue(f"Notice {notice_id} is paid after {pay_after.isoformat()}.")
        row.status, row.taken_at = NoticeStatus.TAKEN, now
    return await _view_notice(repo, row)


async def decline(
    repo: ProactiveRepository, outbox: Outbox, notice_id: str, now: dt.datetime
) -> Notice:
    """The enterprise says no before the money moves (declining twice is once)."""
    row = await _get(repo, notice_id, lock=True)
    if row.status == NoticeStatus.TAKEN:
        raise NoticeTaken(f"The payment of notice {notice_id} has started: it cannot be declined.")
    if row.status == NoticeStatus.NOTICED:
        row.status, row.declined_at = NoticeStatus.DECLINED, now
        event = _event(row).model_dump(mode="json")
        outbox.add(repo.session, NOTICE_DECLINED, event, key=row.id)
    return await _view_notice(repo, row)


async def fail(
    repo: ProactiveRepository, outbox: Outbox, notice_id: str, reason: str, now: dt.datetime
) -> Notice:
    """A notice taken whose payment could not start (its enterprise is no longer
    registered, or its flow failed for good before a decision): recorded with why, and
    never due again. One whose application was decided is left to that application;
    failing twice is once."""
    row = await _get(repo, notice_id, lock=True)
    if row.status == NoticeStatus.DECLINED:
        raise NoticeDeclined(f"Notice {notice_id} was declined by the enterprise.")
    if row.status == NoticeStatus.NOTICED:
        raise NoticeNotTaken(f"Notice {notice_id} was not taken for payment.")
    application = await repo.subsidy.application(row.id)
    if row.status == NoticeStatus.TAKEN and application is None:
        row.status, row.failed_at, row.failure = NoticeStatus.FAILED, now, reason
        event = NoticeFailed(**_event(row).model_dump(), reason=reason)
        outbox.add(repo.session, NOTICE_FAILED, event.model_dump(mode="json"), key=row.id)
    return _notice(row, application.status if application else None)


async def notice(repo: ProactiveRepository, notice_id: str) -> Notice:
    return await _view_notice(repo, await _get(repo, notice_id))


async def notices_of(repo: ProactiveRepository, uscc: str) -> list[Notice]:
    """An enterprise's notices, newest first, each with its application's status."""
    return [_notice(row, status) for row, status in await repo.notices_of(uscc)]


async def run(repo: ProactiveRepository, policy_id: str, version: int) -> ProactiveRun:
    row = await repo.run(policy_id, version)
    if row is None:
        raise RunNotStarted(f"Policy {policy_id} version {version} has no run.")
    return await view(repo, row)


async def view(repo: ProactiveRepository, row: ProactiveRunRow) -> ProactiveRun:
    """The run with its notices and their applications counted; done once it is paying
    and no notice waits any more (each declined, or taken with its application decided)."""
    notices = await repo.notices_by_status(row.policy_id, row.policy_version)
    applications = await repo.applications_by_status(row.policy_id, row.policy_version)
    waiting = notices.get(NoticeStatus.NOTICED, 0)
    waiting += notices.get(NoticeStatus.TAKEN, 0) - sum(applications.values())
    state = RunState(row.state)
    if state == RunState.PAYING and waiting == 0:
        state = RunState.DONE
    update = {"state": state, "notices": notices, "applications": applications}
    return _uncounted(row).model_copy(update=update)


def _uncounted(row: ProactiveRunRow) -> ProactiveRun:
    """The run as its row holds it, its notices and applications not counted: what a
    batch is answered (counting every notice of the run after each batch would cost
    more the further a run of a million goes); ``view`` counts them."""
    return ProactiveRun(
        policy_id=row.policy_id,
        policy_version=row.policy_version,
        department_code=row.department_code,
        state=RunState(row.state),
        cursor=row.cursor,
        evaluated=row.evaluated,
        eligible=row.eligible,
        started_at=as_utc(row.started_at),
        evaluated_at=as_utc(row.evaluated_at) if row.evaluated_at else None,
    )


async def _get(repo: ProactiveRepository, notice_id: str, lock: bool = False) -> NoticeRow:
    row = await repo.notice(notice_id, lock=lock)
    if row is None:
        raise NoticeNotFound(f"There is no notice {notice_id}.")
    return row


async def _view_notice(repo: ProactiveRepository, row: NoticeRow) -> Notice:
    application = await repo.subsidy.application(row.id)
    return _notice(row, application.status if application else None)


def _notice(row: NoticeRow, application_status: str | None) -> Notice:
    return Notice(
        id=row.id,
        policy_id=row.policy_id,
        policy_version=row.policy_version,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        beneficiaries=[Beneficiary.model_validate(b) for b in row.beneficiaries],
        status=NoticeStatus(row.status),
        noticed_at=as_utc(row.noticed_at),
        pay_after=as_utc(row.pay_after),
        declined_at=as_utc(row.declined_at) if row.declined_at else None,
        taken_at=as_utc(row.taken_at) if row.taken_at else None,
        failed_at=as_utc(row.failed_at) if row.failed_at else None,
        failure=row.failure,
        application_status=application_status,
    )


def _event(row: NoticeRow) -> NoticeEvent:
    return NoticeEvent(
        notice_id=row.id,
        policy_id=row.policy_id,
        policy_version=row.policy_version,
        uscc=row.uscc,
        amount_fen=row.amount_fen,
        currency=row.currency,
        pay_after=as_utc(row.pay_after),
    )


def _run_key(row: ProactiveRunRow) -> str:
    return f"{row.policy_id}@{row.policy_version}"
