"""The bulk path decides with the instant flow's engine (no second rules engine): 10,000
enterprises of the big city (qinqing_devtools.bigcity) decided both ways find the same
outcomes and amounts.

- The bulk way: a proactive run evaluates them a batch at a time and gives each
  eligible one a notice; the bulk path then decides the notices' applications a batch
  at a time (``batches.decide_many``).
- The instant way: each enterprise applies on its own (``service.decide``), on a
  database of its own, as the instant flow's ``POST /applications`` decides one.

Run once, in the PostgreSQL pass (the database the bulk path is built for): the engine
is the same on either.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import select

from qinqing_devtools import bigcity, demo
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.subsidy import BatchApplication, EvaluationRequest, RunBatch
from qinqing_shared.db import Database
from qinqing_shared.outbox import Outbox
from qinqing_shared.uow import Units
from subsidy_svc import batches, proactive, service
from subsidy_svc.models import NoticeRow
from subsidy_svc.models import OutboxEvent as SubsidyOutbox
from subsidy_svc.proactive_repository import ProactiveRepository
from subsidy_svc.repository import SubsidyRepository
from tests.service.auth_support import SIGNERS
from tests.service.test_proactive import check

pytestmark = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL"), reason="run once, in the PostgreSQL pass"
)
SIZE, SLICE, SEED = 10_000, 500, 2026
ON = dt.date(2026, 11, 2)
NOW = dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
POLICY = Policy.model_validate(demo.job_retention_policy() | {"notice_days": 0})
Decided = dict[str, tuple[str, int]]  # by USCC: the outcome, and the amount paid


def city() -> list[EnterpriseProfile]:
    made = (bigcity.enterprise(SEED, i) for i in range(SIZE))
    return sorted((EnterpriseProfile.model_validate(e) for e in made), key=lambda e: e.uscc)


async def the_bulk_way(units: Units, enterprises: list[EnterpriseProfile]) -> Decided:
    async with units.write() as uow:
        await proactive.start(ProactiveRepository(uow.session), POLICY, NOW)
        await uow.commit()
    after = None
    for start in range(0, SIZE, SLICE):
        part = enterprises[start : start + SLICE]
        last = start + SLICE >= SIZE
        body = RunBatch(policy=POLICY, on=ON, after=after, enterprises=part, last=last)
        async with units.write() as uow:
            repo = ProactiveRepository(uow.session)
            await proactive.record_batch(repo, uow.outbox, body, NOW)
            await uow.commit()
        after = part[-1].uscc
    async with units.read() as unit:
        notices = {n.uscc: n for n in (await unit.session.scalars(select(NoticeRow))).all()}
    by_uscc = {e.uscc: e for e in enterprises}
    items = [
        BatchApplication(application_id=n.id, enterprise=by_uscc[uscc], credit=check(n.id, uscc))
        for uscc, n in sorted(notices.items())
    ]
    decided: Decided = {}
    for start in range(0, len(items), SLICE):
        async with units.write() as uow:
            found = await batches.decide_many(
                SubsidyRepository(uow.session),
                uow.outbox,
                policy=POLICY,
                applied_on=ON,
                items=items[start : start + SLICE],
                signer=SIGNERS["subsidy-svc"],
            )
            await uow.commit()
        for app in found.values():
            assert not isinstance(app, Exception), app
            decided[app.uscc] = (str(app.status), app.amount_fen)
            assert app.amount_fen == notices[app.uscc].amount_fen  # as the notice told
    return decided


async def the_instant_way(units: Units, enterprises: list[EnterpriseProfile]) -> Decided:
    decided: Decided = {}
    for start in range(0, SIZE, SLICE):
        async with units.write() as uow:  # each decided alone; committed a slice at a time
            for enterprise in enterprises[start : start + SLICE]:
                application_id = str(uuid.uuid4())
                request = EvaluationRequest(
                    application_id=application_id,
                    applied_on=ON,
                    policy=POLICY,
                    enterprise=enterprise,
                    credit=check(application_id, enterprise.uscc),
                )
                app = await service.decide(
                    SubsidyRepository(uow.session),
                    uow.outbox,
                    request=request,
                    signer=SIGNERS["subsidy-svc"],
                )
                decided[app.uscc] = (str(app.status), app.amount_fen)
            await uow.commit()
    return decided


async def test_ten_thousand_enterprises_decided_both_ways_find_the_same_outcomes_and_amounts(
    service_db: Callable[..., str],
) -> None:
    enterprises = city()
    bulk_db = Database(service_db("subsidy_svc"))
    instant_db = Database(service_db("subsidy_svc", "instant"))
    outbox = Outbox(SubsidyOutbox, "/qinqing/subsidy-svc")
    try:
        bulk = await the_bulk_way(Units(bulk_db, outbox), enterprises)
        instant = await the_instant_way(Units(instant_db, outbox), enterprises)
    finally:
        await bulk_db.dispose()
        await instant_db.dispose()
    approved = {u: fen for u, (status, fen) in instant.items() if status == "approved"}
    assert bulk == {u: ("approved", fen) for u, fen in approved.items()}
    assert {status for status, _ in instant.values()} == {"approved", "rejected"}
    assert 0.55 * SIZE < len(approved) < 0.75 * SIZE  # about two in three qualify
    assert len(set(approved.values())) > 5  # amounts that differ by enterprise
