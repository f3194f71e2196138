"""A service item decided at once (秒批) on the enterprise's facts as the departments
sent them, clause by clause with the engine's own checks (``rules.check``): one rules
engine for subsidies and items.

Granted when every condition holds and credit allows; refused when a condition is not
met by a department's data, or the enterprise is under joint punishment; undecided
when a condition's fact is unknown (an unknown fact is no negative): its department
decides that request by hand. A condition the item opens to commitments (告知承诺制)
whose fact is unknown is met by the enterprise's open commitment to it, as credit-svc
answered it in the check: the grant names the commitments it stands on.
"""

from __future__ import annotations

from qinqing_shared.contracts.catalog import CREDIT_CLAUSE
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.subsidy import (
    ItemDecision,
    ItemDecisionRequest,
    ItemOutcome,
    TraceEntry,
)
from subsidy_svc.eligibility.engine import with_commitment
from subsidy_svc.eligibility.facts import enterprise_facts, enterprise_sources
from subsidy_svc.eligibility.rules import check, reason, reason_zh
from subsidy_svc.errors import CreditCheckMismatch, ItemNotInstant

CREDIT = TraceEntry(
    subject="enterprise",
    clause=CREDIT_CLAUSE,
    requirement="not barred by its public credit (joint punishment)",
    requirement_zh="未因公共信用受到联合惩戒",
    seen="allowed",
    passed=True,
)


def decide_item(request: ItemDecisionRequest) -> ItemDecision:
    item = request.item
    if item.handling.mode != "instant":
        raise ItemNotInstant(f"{item.service_code} is decided by {item.department_code}.")
    if request.credit.uscc != request.enterprise.uscc:
        raise CreditCheckMismatch(f"The credit check is of {request.credit.uscc}.")
    facts = enterprise_facts(request.enterprise, request.on)
    cited = enterprise_sources(request.enterprise)
    committed = {
        c.clause: c for c in request.credit.commitments if c.service_code == item.service_code
    }
    trace = [
        with_commitment(rule, check(rule, facts, "enterprise", cited), committed)
        for rule in item.handling.conditions
    ]
    trace.append(_credit(request.credit))
    failed = [e for e in trace if not e.passed and e.missing_from is None]
    unknown = [e for e in trace if not e.passed and e.missing_from is not None]
    outcome: ItemOutcome = "refused" if failed else "undecided" if unknown else "granted"
    reasons, reasons_zh = _reasons(failed or unknown, request.credit)
    return ItemDecision(
        request_id=request.request_id,
        service_code=item.service_code,
        uscc=request.enterprise.uscc,
        handling_version=item.version,
        on=request.on,
        outcome=outcome,
        reasons=reasons,
        reasons_zh=reasons_zh,
        trace=trace,
        commitments=[e.commitment for e in trace if e.commitment] if outcome == "granted" else [],
    )


def _credit(credit: CreditCheck) -> TraceEntry:
    if credit.allowed:
        return CREDIT
    return CREDIT.model_copy(update={"seen": "denied", "passed": False})


def _reasons(shown: list[TraceEntry], credit: CreditCheck) -> tuple[list[str], list[str]]:
    """Each failed clause in words; credit-svc's own words for a credit denial."""
    reasons, reasons_zh = [], []
    for entry in shown:
        if entry.clause == CREDIT.clause:
            reasons += credit.reasons
            reasons_zh += credit.reasons_zh or credit.reasons
        else:
            reasons.append(reason(entry))
            reasons_zh.append(reason_zh(entry))
    return reasons, reasons_zh
