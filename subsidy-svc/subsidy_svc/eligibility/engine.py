"""Evaluate a policy for an enterprise and each of its employees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from qinqing_shared.contracts.catalog import AmountTable, Policy, Rule
from qinqing_shared.contracts.credit import CommittedFact
from qinqing_shared.contracts.identity import EmployeeFacts, EnterpriseProfile, FactSource
from qinqing_shared.contracts.subsidy import TraceEntry
from qinqing_shared.ids import mask_id_number
from subsidy_svc.eligibility.facts import (
    SOURCES,
    enterprise_facts,
    enterprise_sources,
    name_zh,
    person_facts,
    person_sources,
)
from subsidy_svc.eligibility.rules import check, reason, reason_zh

NO_EMPLOYEE = "No employee meets every condition of the policy."
NO_EMPLOYEE_ZH = "没有员工满足政策的全部条件。"


@dataclass(frozen=True)
class Award:
    person: EmployeeFacts
    amount_fen: int
    commitments: tuple[str, ...] = ()  # the credit commitments the award relies on


@dataclass
class Evaluation:
    eligible: bool = False
    awards: list[Award] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    reasons_zh: list[str] = field(default_factory=list)  # the same, one for one, in Chinese
    trace: list[TraceEntry] = field(default_factory=list)
    enterprise_fen: int = 0  # a policy that pays the enterprise itself: what it pays

    @property
    def commitments(self) -> list[str]:
        """The credit commitments the awards rely on."""
        return [c for a in self.awards for c in a.commitments]

    @property
    def amount_fen(self) -> int:
        return sum(a.amount_fen for a in self.awards) + self.enterprise_fen


def key_of(value: object) -> str:
    """A fact's value as a key of an amount table: as JSON writes it ("true", "2", "small")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def pays_enterprise(policy: Policy) -> bool:
    """Whether the policy pays the enterprise itself (a share of one of its figures)
    rather than an amount per employee."""
    amount = policy.rules.amount
    return amount.share_of is not None or amount.per == "enterprise"


def claim_subjects(policy: Policy, enterprise: EnterpriseProfile) -> list[str]:
    """Whose claims this year count: the employees', or the enterprise's own (its USCC)."""
    if pays_enterprise(policy):
        return [enterprise.uscc]
    return [e.id_number for e in enterprise.employees]


def evaluate(
    policy: Policy,
    enterprise: EnterpriseProfile,
    on: dt.date,
    claims_this_year: Mapping[str, int],
    commitments: Sequence[CommittedFact] = (),
) -> Evaluation:
    """The decision and its full trace; claims_this_year maps ID numbers to claims made;
    ``commitments`` are the enterprise's open credit commitments."""
    result = Evaluation()
    _check_validity(policy, on, result)
    facts = enterprise_facts(enterprise, on)
    cited = enterprise_sources(enterprise)
    entries = [check(rule, facts, "enterprise", cited) for rule in policy.rules.enterprise]
    _record(result, entries)
    gates_pass = not result.reasons
    if pays_enterprise(policy):
        claims = claims_this_year.get(enterprise.uscc, 0)
        _enterprise_amount(policy, facts, cited, claims, on, result)
        result.eligible = not result.reasons and result.enterprise_fen > 0
        if not result.eligible:  # nothing is paid on a decision that says no
            result.enterprise_fen = 0
        return result
    for person in enterprise.employees:
        committed = {
            c.clause: c
            for c in commitments
            if c.policy_id == policy.id and c.id_number == person.id_number
        }
        award = _evaluate_person(
            policy, person, on, claims_this_year.get(person.id_number, 0), result, committed
        )
        if award is not None and gates_pass:
            result.awards.append(award)
    if gates_pass and not result.awards:
        result.reasons.append(NO_EMPLOYEE)
        result.reasons_zh.append(NO_EMPLOYEE_ZH)
    _cap(policy, result)
    result.eligible = gates_pass and bool(result.awards)
    return result


def _enterprise_amount(
    policy: Policy,
    facts: Mapping[str, object],
    cited: Mapping[str, FactSource],
    claims: int,
    on: dt.date,
    result: Evaluation,
) -> None:
    """One amount for the enterprise: a share of one of its figures, or the amount set
    for one of its facts; at most once a year (its claim is keyed by its USCC), capped
    by the policy."""
    amount = policy.rules.amount
    limit = policy.rules.claims_per_person_per_year
    claimed = TraceEntry(
        subject="enterprise",
        clause="one_claim_per_year",
        requirement=f"at most {limit} claim(s) per enterprise in {on.year}",
        requirement_zh=f"每家企业{on.year}年至多申领{limit}次",
        seen=claims,
        passed=claims < limit,
    )
    entry, total = (
        _share(amount, amount.share_of, facts, cited)
        if amount.share_of
        else _set_for(amount, facts)
    )
    if _record(result, [claimed, entry]) or total is None:
        return
    cap = amount.max_fen_per_enterprise
    result.enterprise_fen = total if cap is None else min(total, cap)
    if cap is not None and total > cap:
        result.trace.append(_capped(cap, total))


def _share(
    amount: AmountTable, share_of: str, facts: Mapping[str, object], cited: Mapping[str, FactSource]
) -> tuple[TraceEntry, int | None]:
    """A share (‰, set for the ``by`` fact) of the enterprise figure ``share_of``,
    rounded down."""
    figure = facts.get(share_of)
    share = amount.shares_permille.get(key_of(facts.get(amount.by)))
    source = cited.get(share_of)
    entry = TraceEntry(
        subject="enterprise",
        clause="amount",
        requirement=f"{share_of} times the share (‰) set for its {amount.by}",
        requirement_zh=f"{name_zh(share_of)}乘以按{name_zh(amount.by)}所定的比例（‰）",
        seen=figure,
        passed=isinstance(figure, int) and share is not None,
        missing_from=SOURCES.get(share_of, "no department") if figure is None else None,
        source=source.cite() if source is not None and figure is not None else None,
    )
    if not isinstance(figure, int) or share is None:
        return entry, None
    return entry, figure * share // 1000


def _set_for(amount: AmountTable, facts: Mapping[str, object]) -> tuple[TraceEntry, int | None]:
    """The amount the policy sets for the enterprise's ``by`` fact (e.g. its star)."""
    seen = facts.get(amount.by)
    total = amount.amounts_fen.get(key_of(seen)) if seen is not None else None
    entry = TraceEntry(
        subject="enterprise",
        clause="amount",
        requirement=f"an amount is set for its {amount.by}",
        requirement_zh=f"政策为其{name_zh(amount.by)}设定了金额",
        seen=seen,
        passed=total is not None,
        missing_from=SOURCES.get(amount.by, "no department") if seen is None else None,
    )
    return entry, total


def _cap(policy: Policy, result: Evaluation) -> None:
    """The policy's cap per enterprise: awards in the record's order until it is met; a
    person left with nothing is no beneficiary (and uses no claim)."""
    cap = policy.rules.amount.max_fen_per_enterprise
    if cap is None or not result.awards:
        return
    total, left, capped = result.amount_fen, cap, []
    for award in result.awards:
        granted = min(award.amount_fen, left)
        left -= granted
        if granted > 0:
            capped.append(replace(award, amount_fen=granted))
    result.awards = capped
    result.trace.append(_capped(cap, total))


def _capped(cap: int, total: int) -> TraceEntry:
    """The trace's note of a cap that held an amount down (a limit, not a condition)."""
    return TraceEntry(
        subject="enterprise",
        clause="cap",
        requirement=f"at most {cap} fen per enterprise",
        requirement_zh=f"每家企业至多{cap}分",
        seen=str(total),
        passed=True,
    )


def _check_validity(policy: Policy, on: dt.date, result: Evaluation) -> None:
    in_force = policy.valid_from <= on <= policy.valid_to
    entry = TraceEntry(
        subject="policy",
        clause="in_force",
        requirement=f"policy in force from {policy.valid_from} to {policy.valid_to}",
        requirement_zh=f"政策有效期为{policy.valid_from}至{policy.valid_to}",
        seen=on.isoformat(),
        passed=in_force,
    )
    _record(result, [entry])


def _evaluate_person(
    policy: Policy,
    person: EmployeeFacts,
    on: dt.date,
    claims: int,
    result: Evaluation,
    committed: Mapping[str, CommittedFact],
) -> Award | None:
    facts = person_facts(person, on, claims)
    subject = f"employee {mask_id_number(person.id_number)}"
    cited = person_sources(person)
    entries = [
        with_commitment(rule, check(rule, facts, subject, cited), committed)
        for rule in policy.rules.person
    ]
    limit = policy.rules.claims_per_person_per_year
    entries.append(
        TraceEntry(
            subject=subject,
            clause="one_claim_per_year",
            requirement=f"at most {limit} claim(s) per person in {on.year}",
            requirement_zh=f"每人{on.year}年至多申领{limit}次",
            seen=claims,
            passed=claims < limit,
        )
    )
    amount = policy.rules.amount.amounts_fen.get(key_of(facts.get(policy.rules.amount.by)))
    if amount is None and all(e.passed for e in entries):
        entries.append(
            TraceEntry(
                subject=subject,
                clause="amount",
                requirement=f"an amount is set for this {policy.rules.amount.by}",
                requirement_zh=f"政策为此{name_zh(policy.rules.amount.by)}设定了金额",
                seen=facts.get(policy.rules.amount.by),
                passed=False,
            )
        )
    failed = _record(result, entries)
    if failed or not amount:
        return None
    used = tuple(e.commitment for e in entries if e.commitment)
    return Award(person=person, amount_fen=amount, commitments=used)


def with_commitment(
    rule: Rule, entry: TraceEntry, committed: Mapping[str, CommittedFact]
) -> TraceEntry:
    """A commitment stands for an unknown fact the policy opens to commitments, never
    against a department's negative (a fact it sent)."""
    commitment = committed.get(rule.clause)
    if entry.missing_from is None or rule.commitment is None or commitment is None:
        return entry
    return entry.model_copy(
        update={"passed": True, "commitment": commitment.id, "seen": "committed"}
    )


def _record(result: Evaluation, entries: list[TraceEntry]) -> bool:
    """Add entries to the trace and failures to the reasons; True if any failed."""
    result.trace.extend(entries)
    failures = [e for e in entries if not e.passed]
    result.reasons.extend(reason(e) for e in failures)
    result.reasons_zh.extend(reason_zh(e) for e in failures)
    return bool(failures)
