"""A proactive run's profiles are sent to subsidy-svc in requests under the services'
body limit, in their order, none lost."""

from __future__ import annotations

from qinqing_gateway.bulk import CHUNK_BYTES, chunks


def profile(n: int, size: int) -> dict[str, object]:
    return {"uscc": f"{n:018d}", "padding": "x" * size}


def test_profiles_are_cut_into_requests_under_the_limit_in_order() -> None:
    third = CHUNK_BYTES // 3
    profiles = [profile(n, third - 60) for n in range(7)]
    parts = chunks(profiles)
    assert [len(p) for p in parts] == [3, 3, 1]
    assert [p for part in parts for p in part] == profiles


def test_a_profile_larger_than_the_limit_goes_alone_and_none_gives_one_empty_request() -> None:
    big, small = profile(1, CHUNK_BYTES + 1), profile(2, 10)
    assert chunks([small, big, small]) == [[small], [big], [small]]
    assert chunks([]) == [[]]
