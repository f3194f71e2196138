"""What a department's data tells of a clause a commitment may stand for: asked when
the enterprise commits (the fact must be unknown) and when the platform verifies it."""

from __future__ import annotations

from qinqing_shared.contracts.catalog import Rule, ServiceHandling
from qinqing_shared.contracts.subsidy import FactCheck, FactCheckRequest, TraceEntry
from qinqing_shared.ids import mask_id_number
from subsidy_svc.eligibility.facts import (
    enterprise_facts,
    enterprise_sources,
    person_facts,
    person_sources,
)
from subsidy_svc.eligibility.rules import check


def check_fact(request: FactCheckRequest) -> FactCheck:
    """The fact a commitment stands for, as the departments have sent it: a policy's
    clause for one employee, or a service item's condition for the enterprise."""
    if request.item is not None:
        return _item_fact(request.item, request)
    assert request.policy is not None  # one of the two, by the contract
    rule = next((r for r in request.policy.rules.person if r.clause == request.clause), None)
    if rule is None or rule.commitment is None:
        return FactCheck(state="not-committable")
    found = _terms(rule)
    person = next(
        (e for e in request.enterprise.employees if e.id_number == request.id_number), None
    )
    if person is None:
        return found.model_copy(update={"state": "not-an-employee"})
    facts = person_facts(person, request.on, 0)
    subject = f"employee {mask_id_number(person.id_number)}"
    return _told(found, check(rule, facts, subject, person_sources(person)))


def _item_fact(item: ServiceHandling, request: FactCheckRequest) -> FactCheck:
    rule = next((r for r in item.handling.conditions if r.clause == request.clause), None)
    if item.handling.mode != "instant" or rule is None or rule.commitment is None:
        return FactCheck(state="not-committable")
    facts = enterprise_facts(request.enterprise, request.on)
    entry = check(rule, facts, "enterprise", enterprise_sources(request.enterprise))
    return _told(_terms(rule), entry)


def _terms(rule: Rule) -> FactCheck:
    assert rule.commitment is not None
    terms = rule.commitment
    return FactCheck(
        state="unknown",
        fact=rule.fact,
        statement=terms.statement,
        verify_within_days=terms.verify_within_days,
        redlist_only=terms.redlist_only,
    )


def _told(found: FactCheck, entry: TraceEntry) -> FactCheck:
    if entry.missing_from is not None:
        return found.model_copy(update={"entry": entry})
    state = "holds" if entry.passed else "contradicts"
    return found.model_copy(update={"state": state, "entry": entry})
