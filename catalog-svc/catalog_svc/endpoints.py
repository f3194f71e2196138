"""HTTP API of catalog-svc."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy.exc import IntegrityError

from catalog_svc import items, policies, service
from catalog_svc.errors import (
    HandlingChanged,
    PolicyVersionConflict,
    PolicyVersionNotFound,
    ServiceItemNotFound,
)
from catalog_svc.interaction.figures import RequestFigures
from catalog_svc.interaction.repository import RequestRepository
from catalog_svc.repository import CatalogRepository, ServiceFilter
from catalog_svc.schemas import (
    DepartmentOut,
    DistrictOut,
    PolicyPage,
    PolicyVersionOut,
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
from qinqing_shared.contracts.catalog import MAX_VERSION, ItemHandling, Policy, ServiceHandling
from qinqing_shared.deps import ReadUnitDep, WriteUnitDep
from qinqing_shared.problems import PolicyIdMismatch, not_found, responses
from qinqing_shared.ratelimit import limit_anonymous
from qinqing_shared.uow import UnitOfWork as WriteUnit

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


def signed_item(found: ServiceHandling, request: Request) -> ServiceHandling:
    """The item's handling with catalog-svc's signature: subsidy-svc decides on it."""
    runtime: Runtime = request.app.state.runtime
    claims = {"sub": found.service_code, "sha256": digest(found.signed_content())}
    return found.model_copy(update={"attestation": runtime.signs().sign(claims)})


@router.get(
    "/services/{code}/handling",
    response_model=ServiceHandling,
    tags=["services"],
    dependencies=PUBLIC,
    responses=responses(ServiceItemNotFound),
)
async def get_handling(code: str, unit: ReadUnitDep, request: Request) -> ServiceHandling:
    """How a service item is handled: routed to its department, or decided at once from
    department data on the conditions shown (signed by catalog-svc)."""
    row = await items.item(CatalogRepository(unit.session), code)
    return signed_item(items.handling(row), request)


@router.put(
    "/services/{code}/handling",
    response_model=ServiceHandling,
    tags=["services"],
    responses={**GUARDED_RESPONSES, **responses(ServiceItemNotFound, HandlingChanged)},
)
async def set_handling(
    code: str,
    body: ItemHandling,
    uow: WriteUnitDep,
    request: Request,
    caller: Caller = allow(scopes=(POLICIES_WRITE,)),
    edited_from: Annotated[
        int | None,
        Query(ge=0, description="Set only if the item's handling is still at this version"),
    ] = None,
) -> ServiceHandling:
    """Set how one of the department's own service items is handled from now on: a new
    version, announced; requests already decided keep the decision they were given."""
    repo = CatalogRepository(uow.session)
    answer = await items.set_handling(repo, uow.outbox, caller, code, body, edited_from)
    await uow.commit()
    return signed_item(answer, request)


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
async def get_policy(
    policy_id: str,
    unit: ReadUnitDep,
    request: Request,
    on: Annotated[
        dt.date | None, Query(description="the version deciding applications made that day")
    ] = None,
) -> Policy:
    """A published policy, signed by catalog-svc (public): the version in effect on
    ``on``, or the newest without it."""
    policy = await policies.in_effect(CatalogRepository(unit.session), policy_id, on)
    return signed(policy, request)


@router.get(
    "/policies/{policy_id}/versions",
    response_model=list[PolicyVersionOut],
    tags=["policies"],
    dependencies=PUBLIC,
)
async def policy_history(policy_id: str, unit: ReadUnitDep) -> list[PolicyVersionOut]:
    """Every published version of a policy, oldest first (public)."""
    return await policies.history(CatalogRepository(unit.session), policy_id)


@router.get(
    "/policies/{policy_id}/versions/{version}",
    response_model=Policy,
    tags=["policies"],
    dependencies=PUBLIC,
    responses=responses(PolicyVersionNotFound),
)
async def policy_version(
    policy_id: str,
    version: Annotated[int, Path(ge=1, le=MAX_VERSION)],
    unit: ReadUnitDep,
    request: Request,
) -> Policy:
    """One published version, signed by catalog-svc (public)."""
    policy = await policies.version(CatalogRepository(unit.session), policy_id, version)
    return signed(policy, request)


def _own(caller: Caller, policy: Policy, policy_id: str) -> None:
    if caller.department != policy.department_code:
        raise forbidden(f"Only department {policy.department_code} writes this policy.")
    if policy.id != policy_id:
        raise PolicyIdMismatch.of(policy_id, policy.id)


async def _commit(uow: WriteUnit, policy_id: str, version: int) -> None:
    """Two writers of the same new version at once: the second is told, not a 500."""
    try:
        await uow.commit()
    except IntegrityError as exc:
        raise PolicyVersionConflict(
            f"Version {version} of policy {policy_id} was written at the same moment by "
            "another request: read the policy again."
        ) from exc


def _audit(uow: WriteUnit, caller: Caller, action: str, policy_id: str, version: int) -> None:
    audit.record(
        uow.outbox,
        uow.session,
        actor=caller.actor,
        action=action,
        object_type="policy",
        object_id=f"{policy_id}@{version}",
    )


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
    """Publish a policy version at once: a department, for its own policies only."""
    _own(caller, policy, policy_id)
    _audit(uow, caller, "policy.published", policy.id, policy.version)
    repo = CatalogRepository(uow.session)
    answer = await policies.publish(repo, uow.outbox, policy, by=caller.actor)
    await _commit(uow, policy.id, policy.version)
    return answer


@router.post(
    "/policies/{policy_id}/drafts",
    response_model=PolicyVersionOut,
    status_code=201,
    tags=["policies"],
    responses={**GUARDED_RESPONSES, **responses(PolicyIdMismatch, PolicyVersionConflict)},
)
async def draft_policy(
    policy_id: str,
    policy: Policy,
    uow: WriteUnitDep,
    caller: Caller = allow(scopes=(POLICIES_WRITE,)),
) -> PolicyVersionOut:
    """Write a draft version (again, while it is a draft): its department only."""
    _own(caller, policy, policy_id)
    _audit(uow, caller, "policy.drafted", policy.id, policy.version)
    repo = CatalogRepository(uow.session)
    answer = await policies.draft(repo, policy, author=caller.actor)
    await _commit(uow, policy.id, policy.version)
    return answer


@router.get(
    "/policies/{policy_id}/drafts",
    response_model=list[PolicyVersionOut],
    tags=["policies"],
    responses=GUARDED_RESPONSES,
)
async def list_drafts(
    policy_id: str, unit: ReadUnitDep, caller: Caller = allow(scopes=(POLICIES_WRITE,))
) -> list[PolicyVersionOut]:
    """The caller's department's drafts of the policy."""
    return await policies.drafts(CatalogRepository(unit.session), policy_id, caller.department)


@router.post(
    "/policies/{policy_id}/drafts/{version}/publish",
    response_model=Policy,
    tags=["policies"],
    responses={**GUARDED_RESPONSES, **responses(PolicyVersionNotFound, PolicyVersionConflict)},
)
async def publish_draft(
    policy_id: str,
    version: Annotated[int, Path(ge=1, le=MAX_VERSION)],
    uow: WriteUnitDep,
    caller: Caller = allow(scopes=(POLICIES_WRITE,)),
) -> Policy:
    """Publish a draft version: from then on it never changes. Its department only."""
    repo = CatalogRepository(uow.session)
    found = await repo.version(policy_id, version)
    if found is not None and found.department_code != caller.department:
        raise forbidden(f"Only department {found.department_code} publishes this policy.")
    _audit(uow, caller, "policy.published", policy_id, version)
    answer = await policies.publish_draft(repo, uow.outbox, policy_id, version, by=caller.actor)
    await _commit(uow, policy_id, version)
    return answer


@router.get("/stats", response_model=Stats, tags=["stats"], dependencies=PUBLIC)
async def get_stats(unit: ReadUnitDep, request: Request) -> Stats:
    figures: RequestFigures = request.app.state.request_figures
    requests = await figures.get(RequestRepository(unit.session))
    return await service.stats(CatalogRepository(unit.session), requests)
