"""The problems credit-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class RecordIdReused(NamedProblem):
    status, slug, title = 409, "record-id-reused", "This record id was used for another record"


class AlreadyLifted(NamedProblem):
    status, slug, title = 409, "already-lifted", "The record was lifted before"


class RepairTooEarly(NamedProblem):
    status, slug, title = 409, "repair-too-early", "The record may not be lifted yet"
