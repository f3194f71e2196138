"""The mutants issue 17 names, each written by hand, each to be killed by named tests.

These are the bugs that once passed every test. Each is applied to a flat copy of its
package (as ``make mutate`` does), and its tests are run against it with the copy first
on the path: the tests must fail (exit status 1: they ran, and one failed). A check of
its own (``python -m qinqing_devtools.mutate.named``), quick enough to run in every CI
pass (tests/mutation/), beside mutmut's full run in ``make mutate``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from qinqing_devtools.mutate.workspace import IGNORE

REPO = Path(__file__).resolve().parents[4]


@dataclass(frozen=True)
class Named:
    name: str  # the bug, in the words
    root: str  # the directory holding the package
    path: str  # the file, from its package
    original: str  # exactly once in the file
    mutant: str
    tests: tuple[str, ...]


SAGA = ("tests/unit/test_saga.py", "tests/unit/test_steps.py")
EVENTS = "tests/service/test_events.py"
PAYMENT = "tests/service/test_payment.py"
REVERSALS = "tests/service/test_reversals.py"
BOUNDARIES = ("tests/unit/test_eligibility_boundaries.py",)

NAMED: tuple[Named, ...] = (
    Named(
        "a retryable 409 ends a flow as failed",
        "gateway",
        "qinqing_gateway/steps.py",
        '_RETRYABLE = {"request-in-progress", "claims-contended"}',
        "_RETRYABLE: set[str] = set()",
        SAGA,
    ),
    Named(
        "taking over a crashed request starts a new flow",
        "gateway",
        "qinqing_gateway/saga.py",
        "if not claim.taken_over or not await self.exists(claim.resource_id):",
        "if True:",
        SAGA,
    ),
    Named(
        "a payout answered 202 never releases its Idempotency-Key",
        "shared",
        "qinqing_shared/idempotency.py",
        "elif not answer.final and not claim.held:",
        "elif False:",
        (
            "tests/service/test_idempotency.py::test_once_keeps_nothing_for_an_answer_that_is_not_final",
        ),
    ),
    Named(
        "the inbox acks an event before handling it",
        "shared",
        "qinqing_shared/inbox.py",
        "    try:\n        with tracing.consuming(msg.subject, msg.headers):",
        "    await msg.ack()\n    try:\n        with tracing.consuming(msg.subject, msg.headers):",
        (f"{EVENTS}::test_a_handler_that_fails_is_not_acked_and_its_event_comes_again",),
    ),
    Named(
        "the outbox marks rows before publishing them",
        "shared",
        "qinqing_shared/outbox.py",
        "        dead = await self.send(units, js, events)\n"
        "        await self.mark_published(units, [e.id for e in events if e.id not in dead])",
        "        await self.mark_published(units, [e.id for e in events])\n"
        "        dead = await self.send(units, js, events)",
        (f"{EVENTS}::test_rows_are_marked_published_only_once_jetstream_has_them",),
    ),
    Named(
        "subsidy-svc never marks an application paid",
        "subsidy-svc",
        "subsidy_svc/consumers.py",
        "    await service.mark_paid(SubsidyRepository(uow.session), "
        "application_id=payout.application_id)",
        "    del payout",
        (f"{REVERSALS}::test_a_completed_payout_leaves_the_application_paid",),
    ),
    Named(
        "catalog counts each payout twice",
        "catalog-svc",
        "catalog_svc/consumers.py",
        "await figures.count(repo, payout.policy_id, payout.uscc, 1, payout.amount_fen)",
        "await figures.count(repo, payout.policy_id, payout.uscc, 2, payout.amount_fen)",
        (f"{REVERSALS}::test_a_reversed_payout_takes_its_money_out_of_the_live_figures",),
    ),
    Named(
        "a bank return no longer reverses a payout",
        "payment-svc",
        "payment_svc/payouts.py",
        '        return "reverse"',
        "        return None",
        (
            "tests/unit/test_payout_steps.py",
            f"{PAYMENT}::test_a_bank_return_after_completion_reverses_the_payout",
        ),
    ),
    Named(
        "reversing a payout that never completed is allowed",
        "payment-svc",
        "payment_svc/payouts.py",
        "    if row.status != PayoutStatus.COMPLETED:\n        raise PayoutNotCompleted(",
        "    if False:\n        raise PayoutNotCompleted(",
        (f"{PAYMENT}::test_only_a_completed_payout_can_be_reversed",),
    ),
    Named(
        "reconciliation ignores events for unknown payouts",
        "payment-svc",
        "payment_svc/reconciliation.py",
        '    out += _unknown(facts.events, facts.payouts, "payout.completed event")\n',
        "",
        ("tests/unit/test_reconciliation.py",),
    ),
    Named(
        "reconciliation never flags stale payouts",
        "payment-svc",
        "payment_svc/reconciliation.py",
        "elif status in IN_FLIGHT and payout_id in facts.stale:",
        "elif False:",
        ("tests/unit/test_reconciliation.py",),
    ),
    Named(
        "the key TTL drops from 24 hours to 24 seconds",
        "payment-svc",
        "payment_svc/main.py",
        "ttl = dt.timedelta(hours=settings.idempotency_ttl_hours)",
        "ttl = dt.timedelta(seconds=settings.idempotency_ttl_hours)",
        (f"{PAYMENT}::test_a_payout_s_idempotency_key_is_kept_24_hours",),
    ),
    Named(
        "the request fingerprint ignores method and path",
        "shared",
        "qinqing_shared/idempotency.py",
        'return hashlib.sha256(f"{method} {path}\\n{canonical}".encode()).hexdigest()',
        "return hashlib.sha256(canonical.encode()).hexdigest()",
        ("tests/unit/test_idempotency.py",),
    ),
    Named(
        "the age boundary (35 or under) moves up by one",
        "deploy/devtools",
        "qinqing_devtools/demo.py",
        '_rule("age", "person.age", "le", 35,',
        '_rule("age", "person.age", "le", 36,',
        BOUNDARIES,
    ),
    Named(
        "the age boundary (35 or under) moves down by one",
        "deploy/devtools",
        "qinqing_devtools/demo.py",
        '_rule("age", "person.age", "le", 35,',
        '_rule("age", "person.age", "le", 34,',
        BOUNDARIES,
    ),
    Named(
        "the graduation boundary (within 5 years) moves up by one",
        "deploy/devtools",
        "qinqing_devtools/demo.py",
        '"le",\n                    5,',
        '"le",\n                    6,',
        BOUNDARIES,
    ),
    Named(
        "the graduation boundary (within 5 years) moves down by one",
        "deploy/devtools",
        "qinqing_devtools/demo.py",
        '"le",\n                    5,',
        '"le",\n                    4,',
        BOUNDARIES,
    ),
    Named(
        "the social insurance boundary (6 months or more) moves up by one",
        "deploy/devtools",
        "qinqing_devtools/demo.py",
        '"ge",\n                    6,',
        '"ge",\n                    7,',
        BOUNDARIES,
    ),
    Named(
        "the social insurance boundary (6 months or more) moves down by one",
        "deploy/devtools",
        "qinqing_devtools/demo.py",
        '"ge",\n                    6,',
        '"ge",\n                    5,',
        BOUNDARIES,
    ),
    Named(
        "mask_id_number leaves a 10-character number unmasked",
        "shared",
        "qinqing_shared/ids.py",
        "    if len(id_number) < 18:",
        "    if len(id_number) < 10:",
        ("tests/unit/test_ids.py",),
    ),
)


@dataclass(frozen=True)
class Verdict:
    named: Named
    exit_status: int  # of the tests run against the mutant

    @property
    def killed(self) -> bool:
        return self.exit_status == 1  # the tests ran and one failed


def mutate(source: str, named: Named) -> str:
    if source.count(named.original) != 1:
        raise ValueError(f"{named.path}: the original of {named.name!r} is not there once")
    return source.replace(named.original, named.mutant)


def run_tests(place: Path, tests: tuple[str, ...]) -> int:
    """The tests, in ``place`` (its packages first on the path), on SQLite."""
    env = {k: v for k, v in os.environ.items() if k not in ("NATS_URL", "DATABASE_URL")}
    env["PYTHONPATH"] = str(place)
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    done = subprocess.run(command, cwd=place, env=env, capture_output=True, check=False)
    return done.returncode


def check(named: Named, scratch: Path) -> Verdict:
    """Apply one mutant to a copy of its package and run its tests against it."""
    place = scratch / named.name.replace(" ", "-")
    package = named.path.split("/")[0]
    shutil.copytree(REPO / named.root / package, place / package, ignore=IGNORE)
    shutil.copytree(REPO / "tests", place / "tests", ignore=IGNORE)
    shutil.copy(REPO / "pyproject.toml", place / "pyproject.toml")
    target = place / named.path
    target.write_text(mutate(target.read_text(encoding="utf-8"), named), encoding="utf-8")
    return Verdict(named, run_tests(place, named.tests))


def baseline() -> int:
    """The named tests on unmutated copies of the packages: they must pass (0), or a
    mutant's failing tests would prove nothing."""
    with tempfile.TemporaryDirectory(prefix="qinqing-named-") as scratch:
        place = Path(scratch)
        for root, package in sorted({(n.root, n.path.split("/")[0]) for n in NAMED}):
            shutil.copytree(REPO / root / package, place / package, ignore=IGNORE)
        shutil.copytree(REPO / "tests", place / "tests", ignore=IGNORE)
        shutil.copy(REPO / "pyproject.toml", place / "pyproject.toml")
        tests = sorted({t for n in NAMED for t in n.tests})
        return run_tests(place, tuple(tests))


def check_all(workers: int = os.cpu_count() or 2) -> list[Verdict]:
    with (
        tempfile.TemporaryDirectory(prefix="qinqing-named-") as scratch,
        ThreadPoolExecutor(workers) as pool,  # each mutant's tests run as a process
    ):
        return list(pool.map(lambda named: check(named, Path(scratch)), NAMED))


def main() -> None:
    if (status := baseline()) != 0:
        sys.exit(f"the named tests fail on the code as it is (exit {status})")
    verdicts = check_all()
    for v in verdicts:
        mark = "killed" if v.killed else f"ALIVE (tests exit {v.exit_status})"
        print(f"{mark:>24}  {v.named.name}  [{v.named.path}]")
    if not all(v.killed for v in verdicts):
        sys.exit(1)


if __name__ == "__main__":
    main()
