"""The problems catalog-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class PolicyVersionConflict(NamedProblem):
    """A published version is never replaced: a new one must be newer."""

    status, slug, title = 409, "policy-version-conflict", "Policy version is not newer"


class PolicyVersionNotFound(NamedProblem):
    status, slug, title = 404, "policy-version-not-found", "Policy version not found"
