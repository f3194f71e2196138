"""A page's form changes something only from the page's own origin with the session's
CSRF token; anything else is refused, and no text makes the check fail with an error."""

from __future__ import annotations

import re
import urllib.parse

import pytest

from qinqing_gateway.web.guard import (
    MAX_FORM_BYTES,
    FormRefused,
    FormTooLarge,
    checked_form,
    same,
)

PAGE = "https://qinqing.example.gov.cn"
TOKEN = "s3ssion-csrf-token"
REFUSED = "The form did not come from this page (or it is too old): open the page again."


def form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def test_a_form_with_the_sessions_token_is_read() -> None:
    raw = form(csrf=TOKEN, policy_id="hz-rental-subsidy-2026")
    assert checked_form(raw, PAGE, PAGE, TOKEN) == {
        "csrf": TOKEN,
        "policy_id": "hz-rental-subsidy-2026",
    }


def test_a_form_without_an_origin_header_is_read_on_its_token() -> None:
    assert checked_form(form(csrf=TOKEN), None, PAGE, TOKEN) == {"csrf": TOKEN}


@pytest.mark.parametrize(
    ("raw", "origin"),
    [
        (form(csrf=TOKEN), "https://attacker.example"),  # another site's page
        (form(csrf=TOKEN), "http://qinqing.example.gov.cn"),  # not the page's scheme
        (form(csrf="another-token"), PAGE),
        (form(csrf=TOKEN[:-1]), PAGE),
        (form(csrf=""), PAGE),
        (form(policy_id="x"), PAGE),  # no token at all
        (form(csrf="é-not-ascii"), PAGE),
        (b"\xff\xfe not utf-8", PAGE),
    ],
)
def test_anything_else_is_refused(raw: bytes, origin: str) -> None:
    with pytest.raises(FormRefused, match=f"^{re.escape(REFUSED)}$") as refused:
        checked_form(raw, origin, PAGE, TOKEN)
    assert (refused.value.status, refused.value.slug) == (403, "csrf-refused")


def test_a_form_larger_than_the_largest_is_refused_whole() -> None:
    head = form(csrf=TOKEN, policy="")
    at_most = head + b"x" * (MAX_FORM_BYTES - len(head))
    assert len(at_most) == MAX_FORM_BYTES
    assert checked_form(at_most, PAGE, PAGE, TOKEN)["csrf"] == TOKEN
    too_large = at_most + b"x"
    with pytest.raises(FormTooLarge, match=f"^A form may hold {MAX_FORM_BYTES} bytes.$") as refused:
        checked_form(too_large, PAGE, PAGE, TOKEN)
    assert refused.value.status == 413


def test_a_session_without_a_token_accepts_no_form() -> None:
    with pytest.raises(FormRefused):
        checked_form(form(csrf=""), PAGE, PAGE, "")


@pytest.mark.parametrize(
    ("given", "expected", "equal"),
    [("abc", "abc", True), ("abc", "abd", False), ("é", "abc", False), ("", "", True)],
)
def test_texts_compare_in_constant_time_whatever_their_characters(
    given: str, expected: str, equal: bool
) -> None:
    assert same(given, expected) is equal
