"""The request fingerprint an Idempotency-Key is bound to: what makes two requests
the same one."""

from __future__ import annotations

import hashlib
import json

import pytest

from qinqing_shared.idempotency import (
    Answer,
    Replay,
    answer_response,
    fingerprint,
    replay_response,
    require_key,
)
from qinqing_shared.problems import Problem

BODY = {"uscc": "91330106MA2H00014Q", "amount_fen": 100, "note": "租金"}


def test_the_same_request_has_the_same_print_whatever_its_key_order() -> None:
    reordered = dict(reversed(list(BODY.items())))
    assert fingerprint("POST", "/v1/a", BODY) == fingerprint("POST", "/v1/a", reordered)


def test_method_path_and_body_each_make_another_request() -> None:
    prints = {
        fingerprint("POST", "/v1/a", BODY),
        fingerprint("PUT", "/v1/a", BODY),
        fingerprint("POST", "/v1/b", BODY),
        fingerprint("POST", "/v1/a", BODY | {"amount_fen": 101}),
        fingerprint("POST", "/v1/a", None),
    }
    assert len(prints) == 5


def test_the_print_is_the_sha256_of_the_method_path_and_canonical_body() -> None:
    assert fingerprint("POST", "/v1/a", {"b": 1, "a": "租"}) == (
        hashlib.sha256('POST /v1/a\n{"a":"租","b":1}'.encode()).hexdigest()
    )


def test_a_missing_or_overlong_key_is_refused_in_words() -> None:
    for missing in (None, ""):
        with pytest.raises(Problem) as refused:
            require_key(missing)
        assert refused.value.body() == {
            "type": "urn:qinqing:problem:idempotency-key-missing",
            "title": "Idempotency-Key header missing",
            "status": 400,
            "detail": "Send an Idempotency-Key header (a fresh UUID per new request) so a "
            "retry cannot create twice.",
        }
    assert require_key("k" * 255) == "k" * 255
    with pytest.raises(Problem) as too_long:
        require_key("k" * 256)
    assert too_long.value.body() == {
        "type": "urn:qinqing:problem:idempotency-key-invalid",
        "title": "Idempotency-Key too long",
        "status": 400,
        "detail": "An Idempotency-Key has at most 255 characters.",
    }


def test_an_answer_is_sent_as_is_and_a_replay_says_so() -> None:
    fresh = answer_response(Answer(202, {"id": "a-1"}))
    assert (fresh.status_code, json.loads(fresh.body)) == (202, {"id": "a-1"})
    assert "Idempotency-Replayed" not in fresh.headers
    replayed = answer_response(Replay(200, {"id": "a-1"}))
    assert (replayed.status_code, json.loads(replayed.body)) == (200, {"id": "a-1"})
    assert replayed.headers["Idempotency-Replayed"] == "true"
    assert replayed.headers["content-type"] == "application/json"
    problem = replay_response(Replay(422, {"status": 422}))
    assert (problem.status_code, json.loads(problem.body)) == (422, {"status": 422})
    assert problem.headers["content-type"] == "application/problem+json"
    assert replay_response(Replay(399, {})).headers["content-type"] == "application/json"
    assert replay_response(Replay(400, {})).headers["content-type"] == "application/problem+json"
