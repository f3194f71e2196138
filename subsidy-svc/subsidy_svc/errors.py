"""The problems subsidy-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class ClaimsContended(NamedProblem):
    """Concurrent applications kept taking the same employees' claims: retry."""

    status, slug, title = 409, "claims-contended", "Claims are being taken"


class CreditCheckMismatch(NamedProblem):
    status, slug, title = 422, "credit-check-mismatch", "Credit check is for another application"
