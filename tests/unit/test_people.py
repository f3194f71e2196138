"""Who a person may act as: an enterprise's staff give an app the enterprise's scopes;
a department's officer only the department scopes the department gave them."""

from __future__ import annotations

import re

import pytest

from qinqing_gateway.models import Person
from qinqing_gateway.oauth import people
from qinqing_shared.auth.scopes import KIND_SCOPES


def test_a_member_of_staff_may_give_the_enterprises_scopes() -> None:
    staff = Person(username="chen.yu", uscc="91330106MA2H00014Q", department=None, scopes=None)
    assert people.may_give(staff) == KIND_SCOPES["enterprise"]


def test_an_officer_may_give_only_the_department_scopes_they_hold() -> None:
    officer = Person(
        username="wang.fang",
        uscc=None,
        department="HZ-HRSS",
        scopes="policies:write applications:write",  # the second is no department's
    )
    assert people.may_give(officer) == frozenset({"policies:write"})


@pytest.mark.parametrize(
    ("of", "message"),
    [
        ({}, "x: a person belongs to an enterprise or a department"),
        (
            {"uscc": "91330106MA2H00014Q", "department": "HZ-HRSS", "scopes": ["policies:write"]},
            "x: a person belongs to an enterprise or a department",
        ),
        ({"department": "HZ-HRSS"}, "x: an officer holds department scopes only: []"),
        (
            {"department": "HZ-HRSS", "scopes": ["grants:write"]},
            "x: an officer holds department scopes only: ['grants:write']",
        ),
    ],
)
async def test_a_person_is_refused_unless_of_one_enterprise_or_one_department(
    of: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        await people.register(None, username="x", password="p", name="X", **of)  # type: ignore[arg-type]
