"""The problems credit-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class RecordIdReused(NamedProblem):
    status, slug, title = 409, "record-id-reused", "This record id was used for another record"


class AlreadyLifted(NamedProblem):
    status, slug, title = 409, "already-lifted", "The record was lifted before"


class RepairTooEarly(NamedProblem):
    status, slug, title = 409, "repair-too-early", "The record may not be lifted yet"


class CommitmentRefused(NamedProblem):
    """The enterprise's credit does not allow it (409: its state, not the caller's right;
    a service's 403 would read as the platform's own credentials refused)."""

    status, slug, title = 409, "commitment-refused", "The enterprise may not make this commitment"


class CommitmentClosed(NamedProblem):
    status, slug, title = 409, "commitment-closed", "The commitment was verified before"
