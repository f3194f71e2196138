import pytest

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


def test_each_client_has_its_own_quota_and_an_override_wins() -> None:
    limits = RateLimits("3/minute", "2/minute", {"bench": "5/minute"})
    assert outcomes(lambda: limits.client("a"), 4) == [200, 200, 200, 429]
    assert outcomes(lambda: limits.client("b"), 3) == [200, 200, 200]
    assert outcomes(lambda: limits.client("bench"), 6) == [200] * 5 + [429]


def test_an_address_over_the_anonymous_limit_is_told_when_to_retry() -> None:
    limits = RateLimits("3/minute", "2/minute", {})
    limits.address("10.0.0.1")
    limits.address("10.0.0.1")
    with pytest.raises(Problem) as refused:
        limits.address("10.0.0.1")
    assert (refused.value.status, refused.value.slug) == (429, "rate-limited")
    assert 1 <= int(refused.value.headers["Retry-After"]) <= 60
    limits.address("10.0.0.2")  # another address is counted apart
