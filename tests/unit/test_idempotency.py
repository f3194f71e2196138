"""The request fingerprint an Idempotency-Key is bound to: what makes two requests
the same one."""

from __future__ import annotations

import hashlib

from qinqing_shared.idempotency import fingerprint

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
