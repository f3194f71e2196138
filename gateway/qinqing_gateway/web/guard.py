"""What a page's form must carry to change anything: the session's CSRF token, and no
``Origin`` but the page's own. Kept apart from the routes so every branch is tested."""

from __future__ import annotations

import hmac
import urllib.parse

from qinqing_shared.problems import NamedProblem

MAX_FORM_BYTES = 65_536  # the largest form: a policy's draft or a corrected record


class FormRefused(NamedProblem):
    status, slug, title = 403, "csrf-refused", "The form was not accepted"


class FormTooLarge(NamedProblem):
    status, slug, title = 413, "form-too-large", "The form is too large"


def same(given: str, expected: str) -> bool:
    """Constant-time equality of two texts of any characters (bytes, so a non-ASCII
    text is unequal, never an error)."""
    return hmac.compare_digest(given.encode(), expected.encode())


def checked_form(raw: bytes, origin: str | None, page_origin: str, csrf: str) -> dict[str, str]:
    """The form's fields, if it came from ``page_origin`` with the session's ``csrf``."""
    if len(raw) > MAX_FORM_BYTES:
        raise FormTooLarge(f"A form may hold {MAX_FORM_BYTES} bytes.")
    try:
        form = dict(urllib.parse.parse_qsl(raw.decode()))
    except (UnicodeDecodeError, ValueError):
        form = {}
    token = form.get("csrf")
    foreign = origin is not None and origin != page_origin
    if foreign or token is None or not csrf or not same(token, csrf):
        raise FormRefused(
            "The form did not come from this page (or it is too old): open the page again."
        )
    return form
