"""HTTP API of identity-svc (internal: called by the gateway and department systems)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from identity_svc import service
from identity_svc.repository import IdentityRepository
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.deps import OutboxDep, ReadSessionDep, SessionDep
from qinqing_shared.ids import Uscc
from qinqing_shared.problems import Problem

router = APIRouter(tags=["enterprises"])
UsccPath = Annotated[Uscc, Path(description="Unified Social Credit Code (GB 32100-2015)")]


@router.get("/enterprises/{uscc}/profile", response_model=EnterpriseProfile)
async def get_profile(uscc: UsccPath, session: ReadSessionDep) -> EnterpriseProfile:
    """The enterprise and its employees' department facts (unmasked: internal callers only)."""
    return await service.get_profile(IdentityRepository(session), uscc=uscc)


@router.put("/enterprises/{uscc}", response_model=EnterpriseProfile)
async def put_enterprise(
    uscc: UsccPath, profile: EnterpriseProfile, session: SessionDep, outbox: OutboxDep
) -> EnterpriseProfile:
    """Register or replace an enterprise with its employees' facts (idempotent)."""
    if profile.uscc != uscc:
        raise Problem(
            422,
            "uscc-mismatch",
            "USCC mismatch",
            f"The path names {uscc} but the body names {profile.uscc}.",
        )
    return await service.register(IdentityRepository(session), outbox, profile=profile)
