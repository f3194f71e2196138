import pytest

from qinqing_shared.auth.tokens import Caller
from qinqing_shared.problems import Problem
from qinqing_shared.ratelimit import RateLimits


def outcomes(call: object, times: int) -> list[int]:
    found = []
    for _ in range(times):
        try:
            call()  # type: ignore[operator]
            found.append(200)
        except Problem as problem:
            found.append(problem.status)
    return found


def app(client_id: str) -> Caller:
    return Caller(client_id=client_id, kind="app", scopes=frozenset())


def person_of(uscc: str, client_id: str = "portal") -> Caller:
    """A person of ``uscc``'s staff signed in through an app."""
    return Caller(client_id=client_id, kind="enterprise", scopes=frozenset(), uscc=uscc)


def test_each_client_has_its_own_quota_and_an_override_wins() -> None:
    limits = RateLimits("3/minute", "2/minute", {"bench": "5/minute"})
    assert outcomes(lambda: limits.caller(app("a")), 4) == [200, 200, 200, 429]
    assert outcomes(lambda: limits.caller(app("b")), 3) == [200, 200, 200]
    assert outcomes(lambda: limits.caller(app("bench")), 6) == [200] * 5 + [429]


def test_people_signed_in_through_one_app_are_counted_by_enterprise() -> None:
    limits = RateLimits("2/minute", "2/minute", {"portal": "3/minute"})
    first, second = "91330106MA2H00014Q", "91330108MA2H00022G"
    assert outcomes(lambda: limits.caller(person_of(first)), 4) == [200, 200, 200, 429]
    assert outcomes(lambda: limits.caller(person_of(second)), 3) == [200, 200, 200]
    # the app's own calls (client credentials) are another count
    assert outcomes(lambda: limits.caller(app("portal")), 3) == [200, 200, 200]


def test_an_address_over_the_anonymous_limit_is_told_when_to_retry() -> None:
    limits = RateLimits("3/minute", "2/minute", {})
    limits.address("10.0.0.1")
    limits.address("10.0.0.1")
    with pytest.raises(Problem) as refused:
        limits.address("10.0.0.1")
    assert (refused.value.status, refused.value.slug) == (429, "rate-limited")
    assert 1 <= int(refused.value.headers["Retry-After"]) <= 60
    limits.address("10.0.0.2")  # another address is counted apart
