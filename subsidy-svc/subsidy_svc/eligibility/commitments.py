"""What a department's data tells of a clause a commitment may stand for: asked when
the enterprise commits (the fact must be unknown) and when the platform verifies it."""

from __future__ import annotations

from qinqing_shared.contracts.subsidy import FactCheck, FactCheckRequest
from qinqing_shared.ids import mask_id_number
from subsidy_svc.eligibility.facts import person_facts, person_sources
from subsidy_svc.eligibility.rules import check


def check_fact(request: FactCheckRequest) -> FactCheck:
    """The person's fact for the policy's clause, as the departments have sent it."""
    rule = next((r for r in request.policy.rules.person if r.clause == request.clause), None)
    if rule is None or rule.commitment is None:
        return FactCheck(state="not-committable")
    terms = rule.commitment
    found = FactCheck(
        state="unknown",
        fact=rule.fact,
        statement=terms.statement,
        verify_within_days=terms.verify_within_days,
        redlist_only=terms.redlist_only,
    )
    person = next(
        (e for e in request.enterprise.employees if e.id_number == request.id_number), None
    )
    if person is None:
        return found.model_copy(update={"state": "not-an-employee"})
    facts = person_facts(person, request.on, 0)
    subject = f"employee {mask_id_number(person.id_number)}"
    entry = check(rule, facts, subject, person_sources(person))
    if entry.missing_from is not None:
        return found.model_copy(update={"entry": entry})
    state = "holds" if entry.passed else "contradicts"
    return found.model_copy(update={"state": state, "entry": entry})
