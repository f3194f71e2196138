"""The problems payment-svc answers, each a named kind."""

from __future__ import annotations

from qinqing_shared.problems import NamedProblem


class PayoutConflict(NamedProblem):
    """The application already has a payout, of another amount or to another USCC."""

    status, slug, title = 409, "payout-conflict", "Payout already exists"


class PayoutNotCompleted(NamedProblem):
    status, slug, title = 409, "payout-not-completed", "Payout not completed"


class BudgetExhaustedProblem(NamedProblem):
    status, slug, title = 409, "budget-exhausted", "Budget exhausted"


class BankStatusUnknown(NamedProblem):
    """The bank could not be asked how a payout stands: ask again."""

    status, slug, title = 503, "bank-unavailable", "Bank unavailable"
    answer_headers = {"Retry-After": "2"}  # noqa: RUF012 - copied per problem


class OrderMismatch(NamedProblem):
    """The payout is not exactly what subsidy-svc ordered and identity-svc signed."""

    status, slug, title = 422, "order-mismatch", "The payout does not match its order"


class BankSignatureInvalid(NamedProblem):
    status, slug, title = 401, "bank-signature-invalid", "Bank signature not accepted"
    answer_headers = {"WWW-Authenticate": 'HMAC realm="bank"'}  # noqa: RUF012


class InvalidConfirmation(NamedProblem):
    status, slug, title = 422, "invalid-request", "The request is not valid"


class UnknownReference(NamedProblem):
    """Money paid in quoting no clawback the platform demanded: the bank returns it."""

    status, slug, title = 422, "unknown-reference", "No clawback has this reference"


class RepaymentMismatch(NamedProblem):
    """More than is still owed, another currency, or a transfer taken before for another
    repayment: the bank returns it."""

    status, slug, title = 422, "repayment-mismatch", "Not what is owed"


class AlreadyRepaid(NamedProblem):
    status, slug, title = 409, "already-repaid", "The clawback was repaid before"
