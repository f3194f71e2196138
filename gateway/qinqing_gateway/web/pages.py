"""Rendering a page: Jinja2 templates with autoescaping, the language, safe headers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from qinqing_gateway.web.i18n import (
    LANG_COOKIE,
    language,
    reasons_in,
    seen_in,
    subject_in,
    words,
)

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
}

_env = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def yuan(fen: int) -> str:
    """Fen as yuan with two decimals and thousands separators: 3000000 → 30,000.00."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def local_time(value: str | dt.datetime) -> str:
    """A time as the city reads it (China time), to the second."""
    at = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return at.astimezone(CHINA).strftime("%Y-%m-%d %H:%M:%S")


_env.filters["yuan"] = yuan
_env.filters["local_time"] = local_time
_env.filters["subject_in"] = subject_in
_env.filters["seen_in"] = seen_in
_env.globals["reasons_in"] = reasons_in


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    lang = language(request)
    text = _env.get_template(template).render(
        lang=lang, t=words(lang), path=request.url.path, **context
    )
    response = HTMLResponse(text, status_code=status, headers=HEADERS)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=31_536_000, samesite="lax", httponly=True)
    return response
