"""The OpenAPI document as the service really answers: every error is a problem.

FastAPI documents error responses as ``application/json`` and only those a route names.
Here every operation gets, as ``application/problem+json`` with the RFC 9457 schema:
what any call can answer (503 when a dependency or the database is down, 429 when the
caller's rate is spent), 422 when it takes parameters or a body, 404 when its path
names an object, 413 when it takes a body, and 401/403 when it needs a token.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "urn:qinqing:problem:invalid-request"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
    },
    "additionalProperties": True,
}
OAUTH_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 6749 §5.2 error response",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
}
# markers (``openapi_extra``) of routes whose 400 and 401 are not problems: the token
# endpoint answers as RFC 6749 says, the sign-in page answers a page
OAUTH_ERRORS = {"x-error-media-type": "application/json"}
HTML_ERRORS = {"x-error-media-type": "text/html"}
REASONS = {
    400: "the request lacks what the route needs (e.g. an Idempotency-Key)",
    401: "no valid access token",
    403: "the caller lacks the scope or right this route needs",
    404: "no such object (or not one the caller may see)",
    413: "the request body is too large",
    409: "the same Idempotency-Key is still being processed",
    422: "the request is not valid",
    429: "the caller's rate limit is spent; see Retry-After",
    503: "a dependency or the database is unavailable; see Retry-After",
}


def install(app: FastAPI) -> None:
    """Replace ``app.openapi`` with one that documents every error as a problem."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = problems_documented(plain())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def problems_documented(schema: dict[str, Any]) -> dict[str, Any]:
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            _document(path, operation)
    return schema


def _document(path: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    statuses = {429, 503}
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.add(422)
    if "{" in path:
        statuses.add(404)
    if operation.get("requestBody"):
        statuses.add(413)
    if operation.get("security"):
        statuses |= {401, 403}
    if any(p.get("name", "").lower() == "idempotency-key" for p in operation.get("parameters", [])):
        statuses |= {400, 409}
    for status in statuses:
        responses.setdefault(str(status), {"description": REASONS[status]})
    media = operation.pop("x-error-media-type", None)
    for status, response in responses.items():
        if status[0] in "45":
            response.setdefault("description", REASONS.get(int(status), "a problem"))
            response["content"] = _error_content(media if status in ("400", "401") else None)


def _error_content(media: str | None) -> dict[str, Any]:
    if media == "application/json":
        return {media: {"schema": OAUTH_ERROR_SCHEMA}}
    if media == "text/html":
        return {media: {"schema": {"type": "string"}}}
    return {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
