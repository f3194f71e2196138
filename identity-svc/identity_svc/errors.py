"""The problems identity-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class BankUnavailable(NamedProblem):
    """The bank's account-holder check did not answer: nothing was changed."""

    status, slug, title = 503, "bank-unavailable", "The bank cannot check the account now"
    answer_headers = {"Retry-After": "5"}  # noqa: RUF012 - copied per problem


class PayeeAccountNotVerified(NamedProblem):
    status, slug, title = (
        422,
        "payee-account-not-verified",
        "The bank does not confirm this account",
    )


class RecordIdReused(NamedProblem):
    """A department's record id names one record: the same id with other content."""

    status, slug, title = 409, "record-id-reused", "This record id was used for another record"


class SubjectNotRegistered(NamedProblem):
    """A fact about a person or enterprise the register does not hold yet."""

    status, slug, title = (
        409,
        "subject-not-registered",
        "The person or enterprise is not registered",
    )
