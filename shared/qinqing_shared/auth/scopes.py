"""Kinds of caller and the scopes each kind may hold: the platform's rights, in one place.

A client is registered as one kind; the authorization server grants it only scopes its
kind may hold, so a scope also says who holds it. docs/security.md explains each one.
"""

from __future__ import annotations

from typing import Literal

Kind = Literal["app", "enterprise", "department", "operator", "service"]
KINDS: tuple[Kind, ...] = ("app", "enterprise", "department", "operator", "service")

APPLICATIONS_WRITE = "applications:write"  # ask for a subsidy (an app: with a grant)
APPLICATIONS_READ = "applications:read"  # read applications one made or is the subject of
GRANTS_WRITE = "grants:write"  # an enterprise lets apps act for it, or stops them
PAYEE_WRITE = "payee:write"  # change the bank account subsidies are paid to
POLICIES_WRITE = "policies:write"  # a department publishes its own policies and budgets
FACTS_WRITE = "facts:write"  # a department files facts it holds (identity)
CREDIT_WRITE = "credit:write"  # a department files and lifts credit records (credit)
PERSONS_READ = "persons:read"  # look a person's claims up by ID number (audited)
OPERATIONS_READ = "operations:read"  # budgets, ledger, reconciliation, any application
PAYOUTS_REVERSE = "payouts:reverse"  # claw a payout back
AUDIT_READ = "audit:read"  # an enterprise reads who used its data (records of past use)
DEAD_LETTERS_REPLAY = "dead-letters:replay"  # put an undeliverable thing back in its queue
WEBHOOKS_WRITE = "webhooks:write"  # register endpoints events are delivered to
# direct interaction (docs/interaction.md)
REQUESTS_WRITE = "requests:write"  # an enterprise (or an app it granted) raises requests
REQUESTS_ANSWER = "requests:answer"  # a department takes, answers and transfers its own
REQUESTS_SUPERVISE = "requests:supervise"  # a department's supervisor: all of its own
REQUESTS_OVERSEE = "requests:oversee"  # the city's oversight desk: every request

KIND_SCOPES: dict[Kind, frozenset[str]] = {
    "app": frozenset({APPLICATIONS_WRITE, APPLICATIONS_READ, WEBHOOKS_WRITE, REQUESTS_WRITE}),
    "enterprise": frozenset(
        {
            APPLICATIONS_WRITE,
            APPLICATIONS_READ,
            GRANTS_WRITE,
            PAYEE_WRITE,
            AUDIT_READ,
            REQUESTS_WRITE,
        }
    ),
    "department": frozenset(
        {
            POLICIES_WRITE,
            FACTS_WRITE,
            CREDIT_WRITE,
            PAYEE_WRITE,
            WEBHOOKS_WRITE,
            REQUESTS_ANSWER,
            REQUESTS_SUPERVISE,
        }
    ),
    "operator": frozenset(
        {OPERATIONS_READ, PERSONS_READ, PAYOUTS_REVERSE, DEAD_LETTERS_REPLAY, REQUESTS_OVERSEE}
    ),
    # services are allowed route by route, by name (see guard.Access.services)
    "service": frozenset(),
}

# The audience of every token an outside caller holds: the platform's API. A service's
# token names the one service it calls instead.
API_AUDIENCE = "qinqing-api"
# The department that registers enterprises (and so may correct a payee account).
MARKET_REGULATION = "HZ-MSA"
