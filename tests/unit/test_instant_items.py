"""A service item decided at once from department data (秒批), with no I/O: the tax
bureau's certificate renewal (qinqing_devtools.demo) granted on an A or B rating,
refused on a lower one or under joint punishment, and left to the bureau while no return
is known; and the handling a department may write."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from qinqing_devtools.demo import TAX_CERTIFICATE_ITEM, golden, tax_certificate_handling
from qinqing_shared.contracts.catalog import ItemHandling, ServiceHandling
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.identity import EnterpriseProfile, EnterpriseTax, FactSource
from qinqing_shared.contracts.subsidy import ItemDecisionRequest
from subsidy_svc.eligibility.items import decide_item
from subsidy_svc.errors import CreditCheckMismatch, ItemNotInstant

ON = dt.date(2026, 9, 1)
USCC = "91330106MA2H00014Q"
REQUEST = "7d0c1f40-0000-4000-8000-000000000001"
SOURCE = FactSource(department="HZ-TAX", record_id="T-2025", as_of=dt.date(2026, 5, 31))
ITEM = ServiceHandling(
    service_code=TAX_CERTIFICATE_ITEM,
    department_code="HZ-TAX",
    version=3,
    handling=ItemHandling.model_validate(tax_certificate_handling()),
)
ALLOWED = CreditCheck(
    id="c-1", application_id=REQUEST, uscc=USCC, allowed=True, fast_track=False,
    reasons=[], records=[],
)  # fmt: skip


def enterprise(rating: str | None, **changes: Any) -> EnterpriseProfile:
    raw = next(e for e in golden()["enterprises"] if e["uscc"] == USCC) | changes
    tax = None
    if rating is not None:
        tax = EnterpriseTax(
            year=2025,
            revenue_fen=10**9,
            tax_paid_fen=10**7,
            credit_rating=rating,  # type: ignore[arg-type]
            source=SOURCE,
        )
    return EnterpriseProfile.model_validate(raw).model_copy(update={"tax": tax})


def asked(
    profile: EnterpriseProfile, credit: CreditCheck = ALLOWED, item: ServiceHandling = ITEM
) -> ItemDecisionRequest:
    return ItemDecisionRequest(
        request_id=REQUEST, on=ON, item=item, enterprise=profile, credit=credit
    )


@pytest.mark.parametrize("rating", ["A", "B"])
def test_an_active_enterprise_in_the_city_rated_a_or_b_is_granted_at_once(rating: str) -> None:
    decision = decide_item(asked(enterprise(rating)))
    assert (decision.outcome, decision.reasons, decision.reasons_zh) == ("granted", [], [])
    assert [(e.clause, e.seen, e.passed) for e in decision.trace] == [
        ("active", "active", True),
        ("district", "330106", True),
        ("tax_credit", rating, True),
        ("credit", "allowed", True),
    ]
    assert (decision.request_id, decision.service_code, decision.uscc) == (
        REQUEST,
        TAX_CERTIFICATE_ITEM,
        USCC,
    )
    assert (decision.handling_version, decision.on) == (3, ON)
    assert decision.trace[2].source == "HZ-TAX record T-2025, as of 2026-05-31"


@pytest.mark.parametrize("rating", ["M", "C", "D"])
def test_a_lower_rating_is_refused_at_once_saying_why(rating: str) -> None:
    decision = decide_item(asked(enterprise(rating)))
    assert decision.outcome == "refused"
    assert decision.reasons == [
        f"enterprise: a tax credit rating of A or B in its last return (seen: {rating})"
    ]
    assert decision.reasons_zh == [
        f"企业：最近一个纳税年度的纳税信用等级为A级或B级（实际：{rating}）"
    ]


def test_no_return_known_leaves_the_item_to_its_department() -> None:
    decision = decide_item(asked(enterprise(None)))
    assert decision.outcome == "undecided"
    assert decision.reasons == [
        "enterprise: a tax credit rating of A or B in its last return (no record from HZ-TAX)"
    ]
    assert decision.reasons_zh == [
        "企业：最近一个纳税年度的纳税信用等级为A级或B级（HZ-TAX 尚未报送数据）"
    ]


def test_a_condition_the_data_does_not_meet_refuses_even_while_another_is_unknown() -> None:
    decision = decide_item(asked(enterprise(None, status="revoked")))
    assert decision.outcome == "refused"
    assert decision.reasons == [
        "enterprise: enterprise must be active (not revoked or deregistered) (seen: revoked)"
    ]


def test_joint_punishment_refuses_it_in_credit_svcs_own_words() -> None:
    barred = ALLOWED.model_copy(
        update={
            "allowed": False,
            "reasons": ["black-listed by HZ-MSA (record M-1)"],
            "reasons_zh": ["被 HZ-MSA 列入严重失信主体名单（记录 M-1）"],
        }
    )
    decision = decide_item(asked(enterprise("A"), credit=barred))
    assert decision.outcome == "refused"
    assert (decision.reasons, decision.reasons_zh) == (barred.reasons, barred.reasons_zh)
    assert (decision.trace[-1].seen, decision.trace[-1].passed) == ("denied", False)


def test_only_an_item_decided_at_once_and_the_enterprises_own_credit_check_are_decided() -> None:
    routed = ITEM.model_copy(update={"handling": ItemHandling()})
    with pytest.raises(ItemNotInstant, match=r"^HZ-TAX-S04 is decided by HZ-TAX\.$"):
        decide_item(asked(enterprise("A"), item=routed))
    other = ALLOWED.model_copy(update={"uscc": "91330102MA2H00027X"})
    with pytest.raises(CreditCheckMismatch, match=r"^The credit check is of 91330102MA2H00027X\.$"):
        decide_item(asked(enterprise("A"), credit=other))


def rule(clause: str = "active", fact: str = "enterprise.status", **more: Any) -> dict[str, Any]:
    return {"clause": clause, "fact": fact, "op": "eq", "value": "active", "message": "m"} | more


@pytest.mark.parametrize(
    ("handling", "message"),
    [
        ({"mode": "instant"}, "An item decided at once names at least one condition."),
        (
            {"mode": "routed", "conditions": [rule()]},
            "A routed item is decided by its department: it has no conditions.",
        ),
        (
            {"mode": "instant", "conditions": [rule(), rule()]},
            "Each condition has its own clause id.",
        ),
        (
            {"mode": "instant", "conditions": [rule("credit")]},
            "The clause id 'credit' is the platform's own (credit).",
        ),
        (
            {"mode": "instant", "conditions": [rule("age", "person.age")]},
            "Condition 'age': an item is decided on the enterprise's facts (enterprise.*), "
            "not a person's.",
        ),
    ],
)
def test_a_handling_that_cannot_be_decided_is_refused_saying_why(
    handling: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        ItemHandling.model_validate(handling)
    assert [e["msg"] for e in raised.value.errors()] == [f"Value error, {message}"]
