"""The problems catalog-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class PolicyVersionConflict(NamedProblem):
    """A published version is never replaced: a new one must be newer."""

    status, slug, title = 409, "policy-version-conflict", "Policy version is not newer"


class PolicyVersionNotFound(NamedProblem):
    status, slug, title = 404, "policy-version-not-found", "Policy version not found"


class RequestNotFound(NamedProblem):
    """No such request, or not one the caller is a party to (the same answer)."""

    status, slug, title = 404, "request-not-found", "Request not found"


class RequestStateConflict(NamedProblem):
    """The step does not fit where the request stands (answering a closed one, say)."""

    status, slug, title = 409, "request-state-conflict", "Request is not in a state for this"


class UnknownTopic(NamedProblem):
    status, slug, title = 422, "unknown-topic", "Unknown topic"


class UnknownLink(NamedProblem):
    """A request links to a policy, service or application that is not there."""

    status, slug, title = 422, "unknown-link", "Linked object not found"


class OutcomeMismatch(NamedProblem):
    """A service item's answer grants or refuses it; no other answer does."""

    status, slug, title = 422, "outcome-mismatch", "Outcome does not fit the request"


class UnknownDepartment(NamedProblem):
    status, slug, title = 422, "unknown-department", "Unknown department"


class ServiceItemNotFound(NamedProblem):
    """No such service, or a subsidy (applied for, not asked for as an item)."""

    status, slug, title = 404, "service-item-not-found", "Service item not found"


class DecisionMismatch(NamedProblem):
    """A decision filed with a request is of another request, enterprise or item."""

    status, slug, title = 422, "decision-mismatch", "Decision does not fit the request"


class HandlingChanged(NamedProblem):
    """The handling was set from a version that is no longer the item's (If-Match)."""

    status, slug, title = 409, "handling-changed", "The handling changed meanwhile"
