"""/v1 routes of credit commitments: an enterprise (or an app it granted) commits, and
reads its commitments and what became of them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from qinqing_gateway.access import ensure_may_act_for
from qinqing_gateway.commitments import CommitmentDesk
from qinqing_gateway.errors import FactKnown, NotCommittable
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow
from qinqing_shared.auth.scopes import APPLICATIONS_READ, APPLICATIONS_WRITE, OPERATIONS_READ
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.credit import Commitment, CommitmentIn
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import responses
from qinqing_shared.uow import Units

router = APIRouter(prefix="/v1", responses=GUARDED_RESPONSES, tags=["commitments"])


def _desk(request: Request) -> CommitmentDesk:
    desk: CommitmentDesk = request.app.state.commitments
    return desk


def _units(request: Request) -> Units:
    units: Units = request.app.state.runtime.units
    return units


@router.post(
    "/commitments",
    response_model=Commitment,
    responses={404: {}, 422: {}, **responses(NotCommittable, FactKnown)},
)
async def make_commitment(
    body: CommitmentIn,
    request: Request,
    caller: Caller = allow(scopes=(APPLICATIONS_WRITE,)),
) -> Commitment:
    """Commit for a fact no department has sent yet (信用承诺): "this employee owns no
    home in the city". With a valid commitment the next application is paid at once; the
    platform verifies it when the department's data comes, and what was paid on a
    broken one is clawed back. Only for a clause the policy opens to commitments; not
    for an enterprise under joint punishment or that broke one (409
    ``commitment-refused``). Asking again for the same clause and employee answers the
    commitment that stands."""
    await ensure_may_act_for(_units(request), caller, body.uscc)
    return await _desk(request).make(caller, body)


@router.get("/enterprises/{uscc}/commitments", response_model=list[Commitment])
async def list_commitments(
    uscc: Annotated[Uscc, Path(description="USCC")],
    request: Request,
    caller: Caller = allow(scopes=(APPLICATIONS_READ, OPERATIONS_READ)),
) -> list[Commitment]:
    """An enterprise's commitments, open and verified, with the evidence (the employee
    masked): the enterprise, an app it granted access, operators."""
    if caller.kind != "operator":
        await ensure_may_act_for(_units(request), caller, uscc)
    return await _desk(request).of(uscc)
