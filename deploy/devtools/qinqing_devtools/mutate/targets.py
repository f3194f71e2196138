"""What is mutated, by which tests, and the score each module must reach.

The modules are those where a bug costs money or trust (issue 17): the saga, the payout
desk and ledger, budgets, idempotency, outbox and inbox, reconciliation, eligibility
rules, id validators and masking, the access checks, the job mechanism, the
credit rules and commitments, and clawbacks, offsets and refunds. Only the in-process tests
(unit and service) run against mutants: the end-to-end tests start the services as
processes, which import the code as installed, never the mutant.
"""

from __future__ import annotations

from dataclasses import dataclass

GOAL = 0.90  # the share of mutants each module's tests must kill


@dataclass(frozen=True)
class Target:
    root: str  # the directory that holds the package, in the repository
    flat: str  # the module's path from its package: its path in the workspace too
    area: str

    @property
    def path(self) -> str:
        return f"{self.root}/{self.flat}"

    @property
    def package(self) -> str:
        return self.flat.split("/")[0]

    @property
    def module(self) -> str:
        return self.flat.removesuffix(".py").replace("/", ".")


@dataclass(frozen=True)
class Group:
    """Modules mutated together, and the tests that are theirs: a mutant runs only the
    tests of its group that reach the mutated function (mutmut finds which)."""

    name: str
    targets: tuple[Target, ...]
    tests: tuple[str, ...]

    def packages(self) -> dict[str, str]:
        """Each package that holds a target, and where it is in the repository."""
        return {t.package: f"{t.root}/{t.package}" for t in self.targets}


def _targets(root: str, area: str, *flats: str) -> tuple[Target, ...]:
    return tuple(Target(root, flat, area) for flat in flats)


GROUPS: tuple[Group, ...] = (
    Group(
        "saga",
        _targets("gateway", "saga", "qinqing_gateway/saga.py", "qinqing_gateway/steps.py"),
        ("tests/unit/test_saga.py", "tests/unit/test_steps.py"),
    ),
    Group(
        "payments",
        _targets(
            "payment-svc",
            "payout desk and ledger",
            "payment_svc/desk.py",
            "payment_svc/payouts.py",
            "payment_svc/ledger.py",
        )
        + _targets("payment-svc", "budgets", "payment_svc/budgets.py"),
        (
            "tests/unit/test_payout_steps.py",
            "tests/service/test_payment.py",
            "tests/service/test_budget_funding.py",
        ),
    ),
    Group(
        "idempotency",
        _targets("shared", "idempotency", "qinqing_shared/idempotency.py"),
        ("tests/unit/test_idempotency.py", "tests/service/test_idempotency.py"),
    ),
    Group(
        "events",
        _targets(
            "shared", "outbox and inbox", "qinqing_shared/outbox.py", "qinqing_shared/inbox.py"
        ),
        ("tests/service/test_events.py",),
    ),
    Group(
        "reconciliation",
        _targets("payment-svc", "reconciliation", "payment_svc/reconciliation.py"),
        ("tests/unit/test_reconciliation.py", "tests/service/test_reconciliation.py"),
    ),
    Group(
        "eligibility",
        _targets(
            "subsidy-svc",
            "eligibility rules",
            "subsidy_svc/eligibility/engine.py",
            "subsidy_svc/eligibility/rules.py",
            "subsidy_svc/eligibility/facts.py",
            "subsidy_svc/eligibility/commitments.py",
        )
        + _targets("shared", "id validators and masking", "qinqing_shared/ids.py"),
        (
            "tests/unit/test_eligibility.py",
            "tests/unit/test_eligibility_boundaries.py",
            "tests/unit/test_ids.py",
            "tests/unit/test_commitments.py",
            "tests/unit/test_job_retention.py",
            "tests/unit/test_star_taxpayer.py",
            "tests/unit/test_base_rent.py",
        ),
    ),
    Group(
        "proactive",
        _targets("subsidy-svc", "proactive runs and notices", "subsidy_svc/proactive.py"),
        ("tests/service/test_proactive.py",),
    ),
    Group(
        "jobs",
        _targets("shared", "due work", "qinqing_shared/jobs.py"),
        ("tests/service/test_jobs.py",),
    ),
    Group(
        "credit",
        _targets("credit-svc", "credit rules", "credit_svc/rules.py")
        + _targets("credit-svc", "credit commitments", "credit_svc/commitments.py"),
        ("tests/unit/test_credit_rules.py", "tests/service/test_commitments.py"),
    ),
    Group(
        "clawbacks",
        _targets("payment-svc", "clawback", "payment_svc/clawbacks.py")
        + _targets("payment-svc", "refunds", "payment_svc/refunds.py"),
        ("tests/service/test_clawbacks.py", "tests/service/test_offsets_and_refunds.py"),
    ),
    Group(
        "policies",
        _targets("catalog-svc", "policy versions", "catalog_svc/policies.py"),
        ("tests/service/test_policy_versions.py",),
    ),
    Group(
        "ingest",
        _targets(
            "identity-svc",
            "departments' facts in",
            "identity_svc/ingest.py",
            "identity_svc/ingest_batch.py",
        ),
        ("tests/service/test_ingest.py",),
    ),
    Group(
        "access",
        _targets("shared", "access checks", "qinqing_shared/auth/guard.py")
        + _targets("gateway", "access checks", "qinqing_gateway/access.py"),
        ("tests/unit/test_access.py", "tests/service/test_access_grants.py"),
    ),
    Group(
        "interaction",
        _targets(
            "catalog-svc",
            "requests to departments",
            "catalog_svc/interaction/rights.py",
            "catalog_svc/interaction/desk.py",
            "catalog_svc/interaction/workdays.py",
            "catalog_svc/interaction/figures.py",
        ),
        ("tests/unit/test_interaction.py", "tests/service/test_interaction.py"),
    ),
    Group(
        "pages",
        _targets("gateway", "the pages' form check", "qinqing_gateway/web/guard.py"),
        ("tests/unit/test_web_guard.py",),
    ),
)

TARGETS: tuple[Target, ...] = tuple(t for g in GROUPS for t in g.targets)
