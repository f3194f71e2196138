"""The problems subsidy-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class ClaimsContended(NamedProblem):
    """Concurrent applications kept taking the same employees' claims: retry."""

    status, slug, title = 409, "claims-contended", "Claims are being taken"


class CreditCheckMismatch(NamedProblem):
    status, slug, title = 422, "credit-check-mismatch", "Credit check is for another application"


class RunNotStarted(NamedProblem):
    status, slug, title = 404, "proactive-run-not-found", "No such proactive run"


class RunOutOfOrder(NamedProblem):
    """A batch that does not follow the run's last one: enterprises would be skipped."""

    status, slug, title = 409, "proactive-run-out-of-order", "Batch out of order"


class BatchNotInOrder(NamedProblem):
    status, slug, title = 422, "batch-not-in-order", "Enterprises not in USCC order"


class NotProactive(NamedProblem):
    status, slug, title = 422, "policy-not-proactive", "Policy is not proactive"


class NoticeNotFound(NamedProblem):
    status, slug, title = 404, "notice-not-found", "No such notice"


class NoticeDeclined(NamedProblem):
    """The enterprise declined it: it is never paid."""

    status, slug, title = 409, "notice-declined", "Notice declined"


class NoticeNotTaken(NamedProblem):
    """Only a notice taken for payment can fail to be paid."""

    status, slug, title = 409, "notice-not-taken", "Notice not taken for payment"


class NoticeTaken(NamedProblem):
    """Its payment has started: it can no longer be declined."""

    status, slug, title = 409, "notice-taken", "Payment already started"


class NoticeNotDue(NamedProblem):
    status, slug, title = 409, "notice-not-due", "Notice period not over"


class ItemNotInstant(NamedProblem):
    """Only an item its department decides at once from data is decided here."""

    status, slug, title = 422, "item-not-instant", "Item is not decided at once"
