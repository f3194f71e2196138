"""Reconciliation's comparison: each kind of difference, found; a clean book, clean."""

import datetime as dt

import pytest

from payment_svc.reconciliation import Facts, Report, compare, summary


def clean_facts() -> Facts:
    facts = Facts()
    facts.payouts = {"p1": ("a1", "completed", 100), "p2": ("a2", "failed", 50)}
    facts.settlements["a1"].append(100)
    facts.bank["p1"].append(100)
    facts.events["p1"].append(100)
    facts.budgets = [("pol", 1000, 900, 0, 100, 900, 0)]
    return facts


def kinds(facts: Facts) -> set[tuple[str, str, str]]:
    return {(d.source, d.kind, d.reference) for d in compare(facts)}


def test_a_clean_book_has_no_difference() -> None:
    assert compare(clean_facts()) == []


def test_each_kind_of_difference_is_found() -> None:
    facts = clean_facts()
    facts.bank["p1"].append(100)  # the bank booked it twice
    facts.events["p1"] = [90]  # the event says another amount
    facts.settlements["a1"] = []  # the ledger lost the settlement
    facts.bank["p9"].append(70)  # the bank paid something the ledger never paid
    facts.unbalanced = ["t1"]
    facts.budgets = [("pol", 1000, 800, 0, 100, 900, 0)]
    assert kinds(facts) == {
        ("bank", "duplicated", "p1"),
        ("events", "amount_mismatch", "p1"),
        ("ledger", "missing", "p1"),
        ("ledger", "missing", "p9"),
        ("ledger", "unbalanced", "t1"),
        ("budget", "amount_mismatch", "pol"),
    }


def test_an_event_not_relayed_yet_is_not_a_difference_but_a_stuck_payout_is() -> None:
    facts = clean_facts()
    facts.events.clear()
    facts.unpublished = {"p1"}
    facts.payouts["p3"] = ("a3", "sent", 10)
    facts.stale = {"p2", "p3"}  # p2 failed long ago: final, not unresolved
    assert kinds(facts) == {("ledger", "unresolved", "p3")}


def test_what_the_bank_or_the_stream_paid_for_an_unknown_payout_is_missing() -> None:
    facts = clean_facts()
    facts.events["p8"].append(40)  # an event for a payout the ledger never made
    facts.bank["p2"].append(50)  # the bank paid a payout the ledger has as failed
    assert [(d.source, d.kind, d.reference, d.detail) for d in compare(facts)] == [
        (
            "ledger",
            "missing",
            "p2",
            "a bank statement line for a payment the ledger does not show as paid",
        ),
        (
            "ledger",
            "missing",
            "p8",
            "a payout.completed event for a payment the ledger does not show as paid",
        ),
    ]


def test_a_payout_the_bank_booked_before_its_answer_was_applied_is_in_flight() -> None:
    """The bank's line is read after the ledger: a payout still sent there, that the bank
    has paid since, is not missing from the ledger; once stale, it is unresolved."""
    facts = clean_facts()
    facts.payouts["p3"] = ("a3", "sent", 10)
    facts.bank["p3"].append(10)
    assert compare(facts) == []
    facts.stale = {"p3"}
    assert kinds(facts) == {("ledger", "unresolved", "p3")}


def details(facts: Facts) -> list[tuple[str, str, str, str]]:
    return [(d.source, d.kind, d.reference, d.detail) for d in compare(facts)]


def test_each_difference_says_what_was_found_against_what_was_expected() -> None:
    facts = clean_facts()
    facts.bank["p1"] = [100, 100]
    facts.events["p1"] = [90]
    facts.settlements["a1"] = []
    facts.unbalanced = ["t1"]
    assert details(facts) == [
        ("ledger", "unbalanced", "t1", "the entries of this transfer do not sum to zero"),
        ("ledger", "missing", "p1", "no settlement transfer"),
        ("bank", "duplicated", "p1", "2 bank statement lines"),
        ("events", "amount_mismatch", "p1", "payout.completed event of 90 fen, payout of 100 fen"),
    ]


def test_a_reversed_payout_is_still_one_that_was_paid() -> None:
    facts = clean_facts()
    facts.payouts["p1"] = ("a1", "reversed", 100)
    assert compare(facts) == []


@pytest.mark.parametrize(
    "budget",
    [
        ("pol", 1000, 900, 1, 100, 900, 0),  # funded != remaining + reserved + paid
        ("pol", 1000, 900, 0, 100, 899, 0),  # the budget account disagrees
        ("pol", 1000, 890, 10, 100, 890, 9),  # the hold account disagrees
    ],
)
def test_a_budget_must_add_up_and_agree_with_its_accounts(
    budget: tuple[str, int, int, int, int, int, int],
) -> None:
    facts = clean_facts()
    facts.budgets = [budget]
    _, funded, remaining, reserved, paid, account, hold = budget
    assert details(facts) == [
        (
            "budget",
            "amount_mismatch",
            "pol",
            f"funded {funded} != remaining {remaining} + reserved {reserved} + paid {paid}, "
            f"or budget account {account} / hold {hold} disagree",
        )
    ]


def test_a_consistent_budget_with_money_on_hold_is_clean() -> None:
    facts = clean_facts()
    facts.budgets = [("pol", 1000, 890, 10, 100, 890, 10)]
    assert compare(facts) == []


def test_the_summary_counts_differences_by_source_and_kind() -> None:
    facts = clean_facts()
    facts.bank["p9"].append(70)
    facts.events["p8"].append(40)
    facts.unbalanced = ["t1"]
    report = Report(
        checked_at=dt.datetime(2026, 9, 1, tzinfo=dt.UTC),
        payouts=2,
        bank_lines=2,
        events=2,
        differences=compare(facts),
    )
    assert summary(report) == (
        "2 payouts, 2 bank lines, 2 events: 3 differences\n"
        "  ledger  missing          2\n"
        "  ledger  unbalanced       1"
    )
