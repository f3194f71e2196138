"""The problems the gateway's own routes and saga answer, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class AppNotFound(NamedProblem):
    status, slug, title = 404, "app-not-found", "App not found"


class GrantNotFound(NamedProblem):
    status, slug, title = 404, "grant-not-found", "Grant not found"


class ApplicationNotFound(NamedProblem):
    status, slug, title = 404, "application-not-found", "Application not found"


class ApplicationInProgress(NamedProblem):
    """Another request is advancing this application in this process right now."""

    status, slug, title = 409, "request-in-progress", "Application in progress"


class NothingToPay(NamedProblem):
    """An approved application without a positive amount: a bug upstream, never paid."""

    status, slug, title = 502, "saga-invariant", "Nothing to pay"


class PayoutPending(NamedProblem):
    """The bank has not confirmed yet: the flow completes by itself; ask again."""

    status, slug, title = 503, "payout-pending", "Payout not confirmed yet"


class WebhookNotFound(NamedProblem):
    status, slug, title = 404, "webhook-not-found", "Webhook not found"


class WebhookRefused(NamedProblem):
    """A subject not offered to the caller, or a URL the platform will not call."""

    status, slug, title = 422, "webhook-refused", "Webhook refused"


class TooManyWebhooks(NamedProblem):
    status, slug, title = 409, "too-many-webhooks", "Too many webhooks"


class NotCommittable(NamedProblem):
    status, slug, title = 422, "not-committable", "No commitment may stand for this"


class FactKnown(NamedProblem):
    """A commitment stands only for an unknown fact, never against a department's data."""

    status, slug, title = 409, "fact-known", "The department's data tells this already"


class EventNotFound(NamedProblem):
    status, slug, title = 404, "event-not-found", "No such event"


class DraftNotFound(NamedProblem):
    """No draft of that version, or not the caller's department's."""

    status, slug, title = 404, "draft-not-found", "Draft not found"
