"""Policies as versioned data: drafted, published, amended by their own department.

A version is a draft until its department publishes it; a published version never
changes. An amendment is a newer version with its own dates: it decides applications
made on or after its ``valid_from``, and the older version keeps deciding the days
before it (``in_effect``). Every decision names the version it used, and the history
stays readable. A policy belongs to the department that first drafted or published it:
no other department drafts or publishes a version of it. Never commits.
"""

from __future__ import annotations

import datetime as dt

from catalog_svc.errors import PolicyVersionConflict, PolicyVersionNotFound
from catalog_svc.models import PolicyRow, PolicyVersion
from catalog_svc.repository import CatalogRepository
from catalog_svc.schemas import PolicyVersionOut
from qinqing_shared.auth.guard import forbidden
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.events import POLICY_PUBLISHED
from qinqing_shared.db import as_utc
from qinqing_shared.outbox import Outbox
from qinqing_shared.problems import not_found

DRAFT, PUBLISHED = "draft", "published"


async def draft(repo: CatalogRepository, policy: Policy, *, author: str) -> PolicyVersionOut:
    """A new draft version, or a draft written again; published versions never change."""
    await _check(repo, policy)
    row = await repo.version(policy.id, policy.version)
    content = _content(policy)
    if row is None:
        row = PolicyVersion(
            policy_id=policy.id,
            version=policy.version,
            state=DRAFT,
            department_code=policy.department_code,
            valid_from=policy.valid_from,
            content=content,
            author=author,
            created_at=_now(),
        )
        repo.session.add(row)
    else:
        row.content, row.valid_from, row.author = content, policy.valid_from, author
    return to_version(row)


async def publish(repo: CatalogRepository, outbox: Outbox, policy: Policy, *, by: str) -> Policy:
    """Publish a version (its draft, if one was written): from now on it never changes."""
    await _check(repo, policy)
    row = await repo.version(policy.id, policy.version)
    content = _content(policy)
    if row is None:
        row = PolicyVersion(
            policy_id=policy.id,
            version=policy.version,
            department_code=policy.department_code,
            author=by,
            created_at=_now(),
        )
        repo.session.add(row)
    row.state, row.content, row.valid_from = PUBLISHED, content, policy.valid_from
    row.published_at, row.published_by = _now(), by
    await repo.session.merge(PolicyRow(**policy.model_dump(exclude={"attestation"})))
    outbox.add(repo.session, POLICY_PUBLISHED, content, key=policy.id)
    return Policy.model_validate(content)


async def publish_draft(
    repo: CatalogRepository, outbox: Outbox, policy_id: str, version: int, *, by: str
) -> Policy:
    row = await repo.version(policy_id, version)
    if row is None or row.state != DRAFT:
        raise PolicyVersionNotFound(f"Policy {policy_id} has no draft version {version}.")
    return await publish(repo, outbox, Policy.model_validate(row.content), by=by)


async def in_effect(repo: CatalogRepository, policy_id: str, on: dt.date | None) -> Policy:
    """The version deciding applications made on ``on``: the newest published version
    in effect by then (the first one, if none is yet); without a day, the newest."""
    row = await repo.published_version(policy_id, on)
    if row is None:
        raise not_found("Policy", policy_id)
    return Policy.model_validate(row.content)


async def version(repo: CatalogRepository, policy_id: str, number: int) -> Policy:
    row = await repo.version(policy_id, number)
    if row is None or row.state != PUBLISHED:
        raise PolicyVersionNotFound(f"Policy {policy_id} has no published version {number}.")
    return Policy.model_validate(row.content)


async def history(repo: CatalogRepository, policy_id: str) -> list[PolicyVersionOut]:
    rows = await repo.versions(policy_id, state=PUBLISHED)
    if not rows:
        raise not_found("Policy", policy_id)
    return [to_version(r) for r in rows]


async def drafts(
    repo: CatalogRepository, policy_id: str, department: str | None
) -> list[PolicyVersionOut]:
    """A department's own drafts of the policy (another department sees none)."""
    rows = await repo.versions(policy_id, state=DRAFT)
    return [to_version(r) for r in rows if r.department_code == department]


async def _check(repo: CatalogRepository, policy: Policy) -> None:
    """Its service exists, its department owns it, and the version is newer than every
    published one."""
    if await repo.service(policy.service_code) is None:
        raise not_found("Service", policy.service_code)
    owner = await repo.owner(policy.id)
    if owner is not None and owner != policy.department_code:
        raise forbidden(f"Policy {policy.id} belongs to department {owner}.")
    latest = await repo.policy(policy.id)
    if latest is not None and policy.version <= latest.version:
        raise PolicyVersionConflict(
            f"Policy {policy.id} is at version {latest.version}, and a published version "
            f"never changes: amend it with version {latest.version + 1} or later.",
        )


def _content(policy: Policy) -> dict[str, object]:
    return policy.signed_content()  # never the signature it may have been sent with


def to_version(row: PolicyVersion) -> PolicyVersionOut:
    return PolicyVersionOut(
        state=row.state,
        policy=Policy.model_validate(row.content),
        author=row.author,
        created_at=as_utc(row.created_at),
        published_at=as_utc(row.published_at) if row.published_at is not None else None,
        published_by=row.published_by,
    )


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
