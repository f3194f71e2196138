"""Credit commitments in the rules (no I/O): a commitment stands for an unknown fact of a
clause its policy opens to commitments, for the one person it names, never against a
department's data; and what the data tells when the platform verifies it."""

from __future__ import annotations

import datetime as dt

import pytest

from qinqing_devtools.demo import golden, rental_policy
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.credit import CommittedFact
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.contracts.subsidy import FactCheckRequest
from subsidy_svc.eligibility.commitments import check_fact
from subsidy_svc.eligibility.engine import evaluate

ON = dt.date(2026, 9, 1)
POLICY = Policy.model_validate(rental_policy())
USCC = "91330106MA2H00014Q"  # a bachelor, a master, and a home owner


def golden_enterprise(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = next(e for e in golden()["enterprises"] if e["uscc"] == USCC)
    return raw | changes


def unknown_homes() -> EnterpriseProfile:
    """The golden enterprise, its housing records never sent."""
    raw = golden_enterprise()
    employees = [{k: v for k, v in p.items() if k != "owns_home_in_city"} for p in raw["employees"]]  # type: ignore[attr-defined]
    return EnterpriseProfile.model_validate(raw | {"employees": employees})


def committed(profile: EnterpriseProfile, index: int, **changes: str) -> CommittedFact:
    fields = {
        "id": f"C-{index}",
        "policy_id": POLICY.id,
        "clause": "no_home",
        "id_number": profile.employees[index].id_number,
        "statement": "This employee owns no home in the city.",
    }
    return CommittedFact.model_validate(fields | changes)


def test_a_commitment_stands_for_its_persons_unknown_fact_and_the_award_names_it() -> None:
    profile = unknown_homes()
    result = evaluate(POLICY, profile, ON, {}, [committed(profile, 0)])
    assert result.eligible
    assert [a.amount_fen for a in result.awards] == [1_000_000]
    assert result.commitments == ["C-0"]
    homes = [t for t in result.trace if t.clause == "no_home"]
    assert [(t.passed, t.commitment, t.seen, t.missing_from) for t in homes] == [
        (True, "C-0", "committed", "HZ-HOU"),
        (False, None, None, "HZ-HOU"),
        (False, None, None, "HZ-HOU"),
    ]


def test_a_commitment_never_stands_against_a_departments_data() -> None:
    profile = EnterpriseProfile.model_validate(golden_enterprise())
    owner = 2  # the home owner: housing sent True
    result = evaluate(POLICY, profile, ON, {}, [committed(profile, owner)])
    home = [t for t in result.trace if t.clause == "no_home"][owner]
    assert (home.passed, home.seen, home.commitment) == (False, True, None)
    assert result.commitments == []


@pytest.mark.parametrize(
    "changes",
    [
        {"policy_id": "another-policy"},  # made to another policy
        {"clause": "degree"},  # for another clause
        {"id_number": "11010519491231002X"},  # for another person
    ],
)
def test_a_commitment_stands_only_for_what_it_names(changes: dict[str, str]) -> None:
    profile = unknown_homes()
    result = evaluate(POLICY, profile, ON, {}, [committed(profile, 0, **changes)])
    assert not result.eligible
    assert result.commitments == []


def test_a_clause_the_policy_does_not_open_takes_no_commitment() -> None:
    rules = POLICY.rules.model_copy(
        update={
            "person": [
                r.model_copy(update={"commitment": None}) if r.clause == "no_home" else r
                for r in POLICY.rules.person
            ]
        }
    )
    closed = POLICY.model_copy(update={"rules": rules})
    profile = unknown_homes()
    result = evaluate(closed, profile, ON, {}, [committed(profile, 0)])
    assert not result.eligible


def test_an_award_that_fails_elsewhere_relies_on_no_commitment() -> None:
    profile = unknown_homes()
    claims = {profile.employees[0].id_number: 1}  # claimed this year already
    result = evaluate(POLICY, profile, ON, claims, [committed(profile, 0)])
    assert result.commitments == []


def fact(profile: EnterpriseProfile, id_number: str, clause: str = "no_home") -> str:
    request = FactCheckRequest(
        policy=POLICY, clause=clause, id_number=id_number, enterprise=profile, on=ON
    )
    return check_fact(request).state


def test_what_the_data_tells_of_a_committed_fact() -> None:
    known = EnterpriseProfile.model_validate(golden_enterprise())
    unknown = unknown_homes()
    assert fact(unknown, unknown.employees[0].id_number) == "unknown"
    assert fact(known, known.employees[0].id_number) == "holds"  # owns no home
    assert fact(known, known.employees[2].id_number) == "contradicts"  # owns one
    assert fact(known, "11010519491231002X") == "not-an-employee"
    assert fact(known, known.employees[0].id_number, clause="age") == "not-committable"
    assert fact(known, known.employees[0].id_number, clause="no_such") == "not-committable"


def test_a_fact_check_carries_the_clauses_terms_and_the_cited_record() -> None:
    known = EnterpriseProfile.model_validate(golden_enterprise())
    request = FactCheckRequest(
        policy=POLICY,
        clause="social_insurance",
        id_number=known.employees[0].id_number,
        enterprise=known,
        on=ON,
    )
    found = check_fact(request)
    assert (found.fact, found.verify_within_days, found.redlist_only) == (
        "person.social_insurance_months_in_city",
        60,
        True,
    )
    assert found.entry is not None and found.entry.passed


def test_an_unknown_fact_names_the_department_missing_and_the_clauses_statement() -> None:
    unknown = unknown_homes()
    request = FactCheckRequest(
        policy=POLICY,
        clause="no_home",
        id_number=unknown.employees[0].id_number,
        enterprise=unknown,
        on=ON,
    )
    found = check_fact(request)
    assert (found.state, found.statement, found.verify_within_days, found.redlist_only) == (
        "unknown",
        "This employee owns no home in the city.",
        90,
        False,
    )
    assert found.entry is not None
    assert (found.entry.missing_from, found.entry.passed) == ("HZ-HOU", False)


def test_a_known_fact_cites_the_departments_record() -> None:
    raw = golden_enterprise()
    sources = {
        "home-ownership": {"department": "HZ-HOU", "record_id": "H-1", "as_of": "2026-08-31"}
    }
    employees = [p | {"sources": sources} for p in raw["employees"]]  # type: ignore[attr-defined]
    known = EnterpriseProfile.model_validate(raw | {"employees": employees})
    request = FactCheckRequest(
        policy=POLICY,
        clause="no_home",
        id_number=known.employees[2].id_number,
        enterprise=known,
        on=ON,
    )
    found = check_fact(request)
    assert found.state == "contradicts"
    assert found.entry is not None
    assert (found.entry.seen, found.entry.source) == (True, "HZ-HOU record H-1, as of 2026-08-31")
