"""Every route an app serves, read from its routers (not from its OpenAPI document)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


def routes_of(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path template) of every route, included routers flattened."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        contexts: Any = getattr(route, "effective_route_contexts", None)
        entries = list(contexts()) if contexts is not None else [route]
        for entry in entries:
            for method in getattr(entry, "methods", None) or ():
                if method != "HEAD":
                    found.add((method, str(entry.path)))
    return found
