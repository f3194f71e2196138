"""Reconciliation's comparison: each kind of difference, found; a clean book, clean."""

from payment_svc.reconciliation import Facts, compare


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
