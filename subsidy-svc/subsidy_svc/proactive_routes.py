"""HTTP API of proactive runs and notices (subsidy_svc.proactive): the gateway drives a
run and pays its notices; enterprises read and decline them through the gateway."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query, Request

from qinqing_shared import audit
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import OPERATIONS_READ
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.catalog import MAX_VERSION
from qinqing_shared.contracts.subsidy import (
    Notice,
    NoticeFailure,
    NoticeTaking,
    ProactiveRun,
    RunBatch,
    RunRecheck,
    RunStart,
)
from qinqing_shared.deps import ReadUnitDep, WriteUnitDep
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import responses
from subsidy_svc import proactive, signed
from subsidy_svc.endpoints import GATEWAY
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
from subsidy_svc.proactive_repository import ProactiveRepository

router = APIRouter(tags=["proactive"], responses={**GUARDED_RESPONSES, 422: {}})
PolicyId = Annotated[str, Path(max_length=60)]
Version = Annotated[int, Path(ge=1, le=MAX_VERSION)]
NoticeId = Annotated[str, Path(max_length=36)]


def _now(request: Request) -> dt.datetime:
    return signed.runtime(request).clock.now()


@router.post("/proactive-runs", response_model=ProactiveRun, responses=responses(NotProactive))
async def start_run(
    body: RunStart,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> ProactiveRun:
    """Begin the run of a proactive policy's version (signed by catalog-svc), once."""
    await signed.verify_policy(request, body.policy)
    run = await proactive.start(ProactiveRepository(uow.session), body.policy, _now(request))
    await uow.commit()
    return run


@router.post(
    "/proactive-runs/batches",
    response_model=ProactiveRun,
    responses=responses(RunNotStarted, RunOutOfOrder, BatchNotInOrder),
)
async def record_batch(
    body: RunBatch,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> ProactiveRun:
    """Evaluate the run's next enterprises, as identity-svc signed them, and give each
    eligible one a notice. A batch sent again is recorded once."""
    await signed.verify_policy(request, body.policy)
    for enterprise in body.enterprises:
        await signed.verify_profile(request, enterprise)
    repo = ProactiveRepository(uow.session)
    run = await proactive.record_batch(repo, uow.outbox, body, _now(request))
    await uow.commit()
    return run


@router.post(
    "/proactive-runs/rechecks",
    response_model=ProactiveRun,
    responses=responses(RunNotStarted),
)
async def recheck(
    body: RunRecheck,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> ProactiveRun:
    """Evaluate again enterprises a department's new facts concern (signed profiles):
    those the run passed without a notice are given one if they now qualify."""
    await signed.verify_policy(request, body.policy)
    for enterprise in body.enterprises:
        await signed.verify_profile(request, enterprise)
    run = await proactive.recheck(ProactiveRepository(uow.session), uow.outbox, body, _now(request))
    await uow.commit()
    return run


@router.get(
    "/proactive-runs/{policy_id}/{version}",
    response_model=ProactiveRun,
    responses=responses(RunNotStarted),
)
async def get_run(
    policy_id: PolicyId,
    version: Version,
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=GATEWAY),
) -> ProactiveRun:
    return await proactive.run(ProactiveRepository(unit.session), policy_id, version)


@router.get("/proactive-runs/{policy_id}/{version}/due", response_model=list[Notice])
async def due_notices(
    policy_id: PolicyId,
    version: Version,
    unit: ReadUnitDep,
    request: Request,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    _caller: Caller = allow(services=GATEWAY),
) -> list[Notice]:
    """The run's notices whose notice period is over and that were not declined."""
    repo = ProactiveRepository(unit.session)
    return await proactive.due(repo, policy_id, version, _now(request), limit)


@router.post("/proactive-runs/{policy_id}/{version}/takings", response_model=list[Notice])
async def take_due_notices(
    policy_id: PolicyId,
    version: Version,
    body: NoticeTaking,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> list[Notice]:
    """Start paying the run's due notices at once (at most ``limit``, oldest first): none
    of them can be declined any more. Notices taken before and never decided (their
    payment was cut off) come again, so a batch cut off by a crash is paid once."""
    repo = ProactiveRepository(uow.session)
    taken = await proactive.take_due(repo, policy_id, version, _now(request), body.limit)
    await uow.commit()
    return taken


@router.post(
    "/notices/{notice_id}/taking",
    response_model=Notice,
    responses=responses(NoticeNotFound, NoticeDeclined, NoticeNotDue),
)
async def take_notice(
    notice_id: NoticeId,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> Notice:
    """Start paying a notice: it can no longer be declined."""
    notice = await proactive.take(ProactiveRepository(uow.session), notice_id, _now(request))
    await uow.commit()
    return notice


@router.post(
    "/notices/{notice_id}/failure",
    response_model=Notice,
    responses=responses(NoticeNotFound, NoticeDeclined, NoticeNotTaken),
)
async def fail_notice(
    notice_id: NoticeId,
    body: NoticeFailure,
    uow: WriteUnitDep,
    request: Request,
    _caller: Caller = allow(services=GATEWAY),
) -> Notice:
    """A notice taken whose payment could not start: recorded with why, not retried."""
    repo = ProactiveRepository(uow.session)
    notice = await proactive.fail(repo, uow.outbox, notice_id, body.reason, _now(request))
    await uow.commit()
    return notice


@router.post(
    "/notices/{notice_id}/declining",
    response_model=Notice,
    responses=responses(NoticeNotFound, NoticeTaken),
)
async def decline_notice(
    notice_id: NoticeId,
    uow: WriteUnitDep,
    request: Request,
    caller: Caller = allow(services=GATEWAY),
    x_on_behalf_of: Annotated[str | None, Header(max_length=100)] = None,
) -> Notice:
    """The enterprise declines (the gateway has checked who asks, and names it in
    ``X-On-Behalf-Of``): an audit record of the enterprise's, in the same transaction."""
    repo = ProactiveRepository(uow.session)
    notice = await proactive.decline(repo, uow.outbox, notice_id, _now(request))
    audit.record(
        uow.outbox,
        uow.session,
        actor=caller.client_id,
        on_behalf_of=x_on_behalf_of,
        action="notice.declined",
        object_type="notice",
        object_id=notice.id,
        uscc=notice.uscc,
    )
    await uow.commit()
    return notice


@router.get("/notices/{notice_id}", response_model=Notice, responses=responses(NoticeNotFound))
async def get_notice(
    notice_id: NoticeId,
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=GATEWAY),
) -> Notice:
    return await proactive.notice(ProactiveRepository(unit.session), notice_id)


@router.get("/enterprises/{uscc}/notices", response_model=list[Notice])
async def notices_of(
    uscc: Uscc,
    unit: ReadUnitDep,
    _caller: Caller = allow(scopes=(OPERATIONS_READ,), services=GATEWAY),
) -> list[Notice]:
    """An enterprise's notices, newest first."""
    return await proactive.notices_of(ProactiveRepository(unit.session), uscc)
