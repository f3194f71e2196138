"""HTTP API of catalog-svc."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request

from catalog_svc import service
from catalog_svc.errors import PolicyVersionConflict
from catalog_svc.repository import CatalogRepository, ServiceFilter
from catalog_svc.schemas import (
    DepartmentOut,
    DistrictOut,
    PolicyPage,
    ServiceKind,
    ServiceOut,
    ServicePage,
    Stats,
)
from qinqing_shared import audit
from qinqing_shared.app import Runtime
from qinqing_shared.auth.guard import GUARDED_RESPONSES, allow, forbidden
from qinqing_shared.auth.scopes import POLICIES_WRITE
from qinqing_shared.auth.signing import Signer, digest
from qinqing_shared.auth.tokens import Caller
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.deps import ReadUnitDep, WriteUnitDep
from qinqing_shared.problems import PolicyIdMismatch, not_found, responses
from qinqing_shared.ratelimit import limit_anonymous

router = APIRouter()
PUBLIC = [Depends(limit_anonymous)]  # anonymous routes: counted per address


@router.get("/services", response_model=ServicePage, tags=["services"], dependencies=PUBLIC)
async def search_services(
    unit: ReadUnitDep,
    district: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    department: str | None = None,
    kind: ServiceKind | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> ServicePage:
    """Search services by district, department, kind and name."""
    where = ServiceFilter(district=district, department=department, kind=kind, text=q)
    repo = CatalogRepository(unit.session)
    return await service.search_services(repo, where=where, page=page, page_size=page_size)


@router.get("/services/{code}", response_model=ServiceOut, tags=["services"], dependencies=PUBLIC)
async def get_service(code: str, unit: ReadUnitDep) -> ServiceOut:
    row = await CatalogRepository(unit.session).service(code)
    if row is None:
        raise not_found("Service", code)
    return ServiceOut.model_validate(row)


@router.get("/districts", response_model=list[DistrictOut], tags=["services"], dependencies=PUBLIC)
async def list_districts(unit: ReadUnitDep) -> list[DistrictOut]:
    return [
        DistrictOut.model_validate(r) for r in await CatalogRepository(unit.session).districts()
    ]


@router.get(
    "/departments", response_model=list[DepartmentOut], tags=["services"], dependencies=PUBLIC
)
async def list_departments(unit: ReadUnitDep) -> list[DepartmentOut]:
    rows = await CatalogRepository(unit.session).departments()
    return [DepartmentOut.model_validate(r) for r in rows]


def signed(policy: Policy, request: Request) -> Policy:
    """The policy with catalog-svc's signature over it: subsidy-svc decides on exactly it."""
    runtime: Runtime = request.app.state.runtime
    signer: Signer = runtime.signs()
    claims = {
        "sub": policy.id,
        "version": policy.version,
        "sha256": digest(policy.signed_content()),
    }
    return policy.model_copy(update={"attestation": signer.sign(claims)})


@router.get("/policies", response_model=PolicyPage, tags=["policies"], dependencies=PUBLIC)
async def list_policies(
    unit: ReadUnitDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    department: Annotated[str | None, Query(max_length=20)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> PolicyPage:
    """Published policies, searched by name and department (public)."""
    repo = CatalogRepository(unit.session)
    return await service.list_policies(
        repo, text=q, department=department, page=page, size=page_size
    )


@router.get("/policies/{policy_id}", response_model=Policy, tags=["policies"], dependencies=PUBLIC)
async def get_policy(policy_id: str, unit: ReadUnitDep, request: Request) -> Policy:
    """A published policy, signed by catalog-svc (public)."""
    policy = await service.get_policy(CatalogRepository(unit.session), policy_id=policy_id)
    return signed(policy, request)


@router.put(
    "/policies/{policy_id}",
    response_model=Policy,
    tags=["policies"],
    responses={**GUARDED_RESPONSES, **responses(PolicyIdMismatch, PolicyVersionConflict)},
)
async def publish_policy(
    policy_id: str,
    policy: Policy,
    uow: WriteUnitDep,
    caller: Caller = allow(scopes=(POLICIES_WRITE,)),
) -> Policy:
    """Publish a policy version: a department, for its own policies only."""
    if caller.department != policy.department_code:
        raise forbidden(f"Only department {policy.department_code} publishes this policy.")
    if policy.id != policy_id:
        raise PolicyIdMismatch.of(policy_id, policy.id)
    audit.record(
        uow.outbox,
        uow.session,
        actor=caller.client_id,
        action="policy.published",
        object_type="policy",
        object_id=f"{policy.id}@{policy.version}",
    )
    answer = await service.publish_policy(CatalogRepository(uow.session), uow.outbox, policy=policy)
    await uow.commit()
    return answer


@router.get("/stats", response_model=Stats, tags=["stats"], dependencies=PUBLIC)
async def get_stats(unit: ReadUnitDep) -> Stats:
    return await service.stats(CatalogRepository(unit.session))
