"""A service item granted on a credit commitment (告知承诺制), with no I/O: human
resources' employment licence (qinqing_devtools.demo) granted at once on the enterprise's
commitment while HRSS has sent nothing, never against HRSS's data, and what the verifier
reads of the condition afterwards."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest

from qinqing_devtools.demo import EMPLOYMENT_LICENCE_ITEM, employment_licence_handling, golden
from qinqing_shared.contracts.catalog import ItemHandling, ServiceHandling
from qinqing_shared.contracts.credit import CommitmentIn, CommittedFact, CreditCheck
from qinqing_shared.contracts.identity import (
    EnterpriseProfile,
    EnterpriseUnemploymentInsurance,
    FactSource,
)
from qinqing_shared.contracts.subsidy import FactCheckRequest, ItemDecisionRequest
from subsidy_svc.eligibility.commitments import check_fact
from subsidy_svc.eligibility.items import decide_item

ON = dt.date(2026, 9, 1)
USCC = "91330106MA2H00014Q"
REQUEST = "7d0c1f40-0000-4000-8000-000000000002"
SOURCE = FactSource(department="HZ-HRSS", record_id="U-2025", as_of=dt.date(2026, 3, 31))
ITEM = ServiceHandling(
    service_code=EMPLOYMENT_LICENCE_ITEM,
    department_code="HZ-HRSS",
    version=1,
    handling=ItemHandling.model_validate(employment_licence_handling()),
)
PROMISED = CommittedFact(
    id="cm-1",
    service_code=EMPLOYMENT_LICENCE_ITEM,
    clause="paid_in_full",
    statement="The enterprise paid its unemployment insurance in full for the last 12 months.",
)


def credit(*commitments: CommittedFact, allowed: bool = True) -> CreditCheck:
    return CreditCheck(
        id="c-2",
        application_id=REQUEST,
        uscc=USCC,
        allowed=allowed,
        fast_track=False,
        reasons=[] if allowed else ["black-listed by HZ-MSA (record M-1)"],
        records=[],
        commitments=list(commitments),
    )


def enterprise(months_paid: int | None) -> EnterpriseProfile:
    raw = next(e for e in golden()["enterprises"] if e["uscc"] == USCC)
    insurance = None
    if months_paid is not None:
        insurance = EnterpriseUnemploymentInsurance(
            year=2025,
            months_paid=months_paid,
            paid_fen=10**6,
            average_insured=20,
            new_claimants=0,
            size_class="small",
            source=SOURCE,
        )
    profile = EnterpriseProfile.model_validate(raw)
    return profile.model_copy(update={"unemployment_insurance": insurance})


def asked(profile: EnterpriseProfile, check: CreditCheck) -> ItemDecisionRequest:
    return ItemDecisionRequest(
        request_id=REQUEST, on=ON, item=ITEM, enterprise=profile, credit=check
    )


def test_an_unknown_fact_is_met_by_the_enterprises_commitment_and_granted_at_once() -> None:
    decision = decide_item(asked(enterprise(None), credit(PROMISED)))
    assert (decision.outcome, decision.commitments, decision.reasons) == ("granted", ["cm-1"], [])
    entry = decision.trace[2]
    assert (entry.clause, entry.seen, entry.passed, entry.commitment) == (
        "paid_in_full",
        "committed",
        True,
        "cm-1",
    )


def test_without_a_commitment_the_unknown_fact_leaves_the_item_to_its_department() -> None:
    decision = decide_item(asked(enterprise(None), credit()))
    assert (decision.outcome, decision.commitments) == ("undecided", [])


def test_a_commitment_to_another_item_or_clause_stands_for_nothing_here() -> None:
    elsewhere = PROMISED.model_copy(update={"service_code": "HZ-TAX-S04"})
    other_clause = PROMISED.model_copy(update={"clause": "active"})
    to_a_policy = PROMISED.model_copy(update={"service_code": "", "policy_id": "hz-x"})
    for commitment in (elsewhere, other_clause, to_a_policy):
        decision = decide_item(asked(enterprise(None), credit(commitment)))
        assert (decision.outcome, decision.commitments) == ("undecided", [])


def test_a_commitment_never_stands_against_the_departments_data() -> None:
    decision = decide_item(asked(enterprise(9), credit(PROMISED)))
    assert (decision.outcome, decision.commitments) == ("refused", [])
    assert decision.reasons == [
        "enterprise: unemployment insurance paid in full for 12 months (seen: 9)"
    ]


def test_data_that_meets_the_condition_grants_it_without_relying_on_the_commitment() -> None:
    decision = decide_item(asked(enterprise(12), credit(PROMISED)))
    assert (decision.outcome, decision.commitments) == ("granted", [])


def test_joint_punishment_refuses_it_and_relies_on_no_commitment() -> None:
    decision = decide_item(asked(enterprise(None), credit(PROMISED, allowed=False)))
    assert (decision.outcome, decision.commitments) == ("refused", [])


@pytest.mark.parametrize(
    ("months", "state", "seen"),
    [(None, "unknown", None), (12, "holds", 12), (11, "contradicts", 11)],
)
def test_the_verifier_reads_the_items_condition_as_hrss_sent_it(
    months: int | None, state: str, seen: int | None
) -> None:
    found = check_fact(
        FactCheckRequest(item=ITEM, clause="paid_in_full", enterprise=enterprise(months), on=ON)
    )
    assert (found.state, found.fact, found.verify_within_days) == (
        state,
        "enterprise.ui_months_paid",
        60,
    )
    assert found.entry is not None and found.entry.seen == seen


@pytest.mark.parametrize("clause", ["active", "no_such_clause"])
def test_a_condition_not_open_to_commitments_is_not_committable(clause: str) -> None:
    found = check_fact(
        FactCheckRequest(item=ITEM, clause=clause, enterprise=enterprise(None), on=ON)
    )
    assert found.state == "not-committable"


def test_a_routed_item_takes_no_commitment() -> None:
    routed = ITEM.model_copy(update={"handling": ItemHandling()})
    found = check_fact(
        FactCheckRequest(item=routed, clause="paid_in_full", enterprise=enterprise(None), on=ON)
    )
    assert found.state == "not-committable"


def commitment(**fields: Any) -> dict[str, Any]:
    return {"uscc": USCC, "clause": "paid_in_full", "signed_by": "Chen Yu, director"} | fields


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Name either policy_id or service_code: what the commitment is to."),
        (
            {"policy_id": "hz-x", "service_code": EMPLOYMENT_LICENCE_ITEM},
            "Name either policy_id or service_code: what the commitment is to.",
        ),
        ({"policy_id": "hz-x"}, "A commitment to a policy names the employee (id_number)."),
        (
            {"service_code": EMPLOYMENT_LICENCE_ITEM, "id_number": "110101199003070054"},
            "A commitment to a service item is the enterprise's own: no id_number.",
        ),
    ],
)
def test_a_commitment_is_to_a_policy_for_a_person_or_to_an_item_for_the_enterprise(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(f"Value error, {message}")):
        CommitmentIn.model_validate(commitment(**fields))


def test_a_commitment_to_an_item_is_accepted() -> None:
    made = CommitmentIn.model_validate(commitment(service_code=EMPLOYMENT_LICENCE_ITEM))
    assert (made.service_code, made.policy_id, made.id_number) == (
        EMPLOYMENT_LICENCE_ITEM,
        None,
        None,
    )
