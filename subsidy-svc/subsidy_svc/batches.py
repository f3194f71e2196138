"""Applications of one policy decided at once: a proactive run's payouts. Never commits.

Each is decided as ``service.decide`` decides one alone, all in one transaction. One
that cannot be decided is answered with its problem, and the others go on; such a
problem is found before anything of that application is written (its signatures by the
caller, its credit check's subject first, its claims in their own savepoint), so
nothing of it stays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from qinqing_shared.auth.signing import Signer
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.subsidy import (
    Application,
    BatchApplication,
    EvaluationRequest,
)
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import Problem
from subsidy_svc import service
from subsidy_svc.errors import ClaimsContended, CreditCheckMismatch
from subsidy_svc.repository import SubsidyRepository


async def decide_many(
    repo: SubsidyRepository,
    outbox: Outbox,
    *,
    policy: Policy,
    applied_on: dt.date,
    items: Sequence[BatchApplication],
    signer: Signer,
) -> dict[str, Application | Problem]:
    """Each application decided (deciding one again answers its decision), or why not."""
    decided: dict[str, Application | Problem] = {}
    for item in items:
        request = EvaluationRequest(
            application_id=item.application_id,
            applied_on=applied_on,
            policy=policy,
            enterprise=item.enterprise,
            credit=item.credit,
        )
        try:
            decided[item.application_id] = await service.decide(
                repo, outbox, request=request, signer=signer
            )
        except (ClaimsContended, CreditCheckMismatch) as problem:  # before any write
            decided[item.application_id] = problem
    return decided
