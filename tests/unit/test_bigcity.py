"""The city of up to a million enterprises (qinqing_devtools.bigcity), with no I/O:
each enterprise a pure function of the seed and its index, every identifier valid and
unique by construction and apart from the demo city's, 5 or more employees on average,
at least a quarter eligible for the proactive job retention refund, and made lazily."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pytest

from qinqing_devtools import bigcity
from qinqing_devtools.city import DISTRICTS
from qinqing_devtools.demo import job_retention_policy
from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.identity import EnterpriseProfile
from qinqing_shared.ids import validate_id_number, validate_uscc
from subsidy_svc.eligibility.engine import evaluate

SEED = 20261127
SAMPLE = 20_000


@pytest.fixture(scope="module")
def sample() -> list[dict[str, object]]:
    """Enterprises spread over the whole million, not only its start."""
    step = bigcity.MAX_ENTERPRISES // SAMPLE
    return [bigcity.enterprise(SEED, i * step + i % step) for i in range(SAMPLE)]


def test_an_enterprise_is_the_same_wherever_it_is_made_and_another_seed_is_another_city() -> None:
    assert bigcity.enterprise(SEED, 123_456) == bigcity.enterprise(SEED, 123_456)
    assert bigcity.enterprise(SEED, 5) != bigcity.enterprise(SEED + 1, 5)
    (first,) = next(bigcity.slices(SEED, 10, 1))
    assert first == bigcity.enterprise(SEED, 0)


def test_every_uscc_and_id_number_is_valid_unique_and_none_is_the_demo_citys(
    sample: list[dict[str, object]],
) -> None:
    usccs = [str(e["uscc"]) for e in sample]
    people = [p for e in sample for p in e["employees"]]  # type: ignore[attr-defined]
    numbers = [str(p["id_number"]) for p in people]
    assert [validate_uscc(u) for u in usccs] == usccs
    assert [validate_id_number(n) for n in numbers] == numbers
    assert (len(set(usccs)), len(set(numbers))) == (len(usccs), len(numbers))
    assert {u[8:10] for u in usccs} == {"MC"}  # the demo city's are MA7…, the golden MA2…
    city = {code for code, _, _ in DISTRICTS}
    assert not {n[:6] for n in numbers} & city  # the demo city's people are born in it
    assert {n[:6] for n in numbers} <= set(bigcity.BIRTHPLACES)


def test_no_two_people_of_a_million_enterprises_can_share_a_number() -> None:
    """Person i's number is (i * STRIDE) mod PEOPLE: one to one while STRIDE is coprime
    to PEOPLE and every index is below PEOPLE."""
    assert math.gcd(bigcity.STRIDE, bigcity.PEOPLE) == 1
    assert bigcity.MAX_ENTERPRISES * bigcity.EMPLOYEES_MAX <= bigcity.PEOPLE
    last = bigcity.MAX_ENTERPRISES * bigcity.EMPLOYEES_MAX - 1
    assert bigcity.id_number(last)[2] < dt.date(2004, 12, 31)


def test_enterprises_have_at_least_5_employees_on_average_and_a_quarter_qualify(
    sample: list[dict[str, object]],
) -> None:
    staff = [len(e["employees"]) for e in sample]  # type: ignore[arg-type]
    assert (min(staff), max(staff)) == (1, bigcity.EMPLOYEES_MAX)
    assert sum(staff) / len(staff) >= 5.0
    policy = Policy.model_validate(job_retention_policy())
    on = dt.date(2026, 11, 2)
    decided = [
        evaluate(policy, EnterpriseProfile.model_validate(e), on, {}).eligible
        for e in sample[:2_000]
    ]
    assert sum(decided) / len(decided) >= 0.25


def test_the_city_is_made_a_slice_at_a_time_and_no_bigger_than_a_million() -> None:
    slices = bigcity.slices(SEED, bigcity.MAX_ENTERPRISES, 3)
    assert [len(s) for s in itertools.islice(slices, 2)] == [3, 3]  # nothing made ahead
    assert [len(s) for s in bigcity.slices(SEED, 7, 3)] == [3, 3, 1]
    message = "a city has at most 1,000,000 enterprises"
    with pytest.raises(ValueError, match=message):
        next(bigcity.slices(SEED, bigcity.MAX_ENTERPRISES + 1, 3))
    with pytest.raises(ValueError, match=message):
        bigcity.enterprise(SEED, bigcity.MAX_ENTERPRISES)
