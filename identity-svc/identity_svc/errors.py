"""The problems identity-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class UsccMismatch(NamedProblem):
    status, slug, title = 422, "uscc-mismatch", "USCC mismatch"


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
