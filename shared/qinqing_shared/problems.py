"""RFC 9457 problem details: every error a client can cause, named and explained."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:qinqing:problem:"

log = logging.getLogger("qinqing.problems")


class Problem(Exception):
    """An error with an HTTP status and a message meant for the client."""

    def __init__(self, status: int, slug: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extra = extra
        self.headers: dict[str, str] = {}  # e.g. WWW-Authenticate, Retry-After

    def body(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": TYPE_PREFIX + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extra)
        return body

    @classmethod
    def from_body(cls, status: int, body: dict[str, Any]) -> Problem:
        """Rebuild a problem answered by another service, keeping its type and detail."""
        known = {"type", "title", "status", "detail", "instance"}
        slug = str(body.get("type", "")).removeprefix(TYPE_PREFIX) or "upstream"
        extra = {k: v for k, v in body.items() if k not in known}
        return cls(status, slug, str(body.get("title", "")), str(body.get("detail", "")), **extra)


class NamedProblem(Problem):
    """A kind of problem with a name of its own: its status, type and title are fixed by
    its class, the detail says what happened this time. A service lists its kinds in its
    ``errors`` module, and each route declares what it may raise with ``responses()``."""

    status = 500
    slug = "internal-error"
    title = "Internal error"
    answer_headers: ClassVar[dict[str, str]] = {}  # e.g. Retry-After, WWW-Authenticate

    def __init__(self, detail: str, **extra: Any) -> None:
        kind = type(self)
        super().__init__(kind.status, kind.slug, kind.title, detail, **extra)
        self.headers = dict(kind.answer_headers)


def responses(*kinds: type[NamedProblem]) -> dict[int | str, dict[str, Any]]:
    """A route's ``responses``: each status it may answer, with its problem types."""
    found: dict[int | str, dict[str, Any]] = {}
    for kind in kinds:
        entry = found.setdefault(kind.status, {"description": ""})
        named = f"{TYPE_PREFIX}{kind.slug} ({kind.title})"
        entry["description"] = "; ".join(filter(None, [entry["description"], named]))
    return found


class PolicyIdMismatch(NamedProblem):
    """A policy's route whose path names one policy and whose body another."""

    status, slug, title = 422, "policy-id-mismatch", "Policy id mismatch"

    @classmethod
    def of(cls, in_path: str, in_body: str) -> PolicyIdMismatch:
        return cls(f"The path names {in_path} but the body names {in_body}.")


def not_found(what: str, key: str) -> Problem:
    slug = what.lower().replace(" ", "-") + "-not-found"
    return Problem(404, slug, f"{what} not found", f"No {what.lower()} {key!r} is registered.")


def problem_response(problem: Problem, request: Request | None = None) -> JSONResponse:
    instance = request.url.path if request is not None else None
    return JSONResponse(
        problem.body(instance),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers or None,
    )


async def _on_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return problem_response(exc, request)


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(invalid(exc.errors()), request)


def invalid(errors: Sequence[Any], prefix: tuple[str, ...] = ()) -> Problem:
    """422 ``invalid-request`` from pydantic's errors, each field under ``prefix`` (a part
    of the body checked on its own); never the value that was sent."""
    entries = [_error_entry(e, prefix) for e in errors]
    detail = "; ".join(f"{e['field']}: {e['message']}" for e in entries) or "invalid request"
    return Problem(422, "invalid-request", "The request is not valid", detail, errors=entries)


def _error_entry(error: Any, prefix: tuple[str, ...] = ()) -> dict[str, str]:
    loc = [*prefix, *(str(p) for p in error.get("loc", ()))]
    message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
    return {"field": ".".join(loc), "message": message}


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    title = {404: "Not found", 405: "Method not allowed"}.get(exc.status_code, "HTTP error")
    problem = Problem(exc.status_code, f"http-{exc.status_code}", title, str(exc.detail))
    response = problem_response(problem, request)
    response.headers.update(exc.headers or {})
    return response


async def _on_database(request: Request, exc: Exception) -> JSONResponse:
    """A lost database connection (a restart, a failover) is "retry", not a failure.

    Pooled connections are not pinged before use (a round trip per transaction): the
    first use of a connection the database dropped fails, the pool discards every
    connection older than that failure, and the caller is told to retry.
    """
    assert isinstance(exc, DBAPIError)
    if not database_gone(exc):
        return await _on_unexpected(request, exc)
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(database_unavailable(), request)


# SQLSTATE classes of a database that is not there for now: connection exceptions (08),
# and a server shutting down or starting up (57P01-57P03: "the database system is
# starting up" while a restarted PostgreSQL recovers).
UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03")


def database_gone(exc: DBAPIError) -> bool:
    """Whether the error is the database being away (retry), not a failed statement."""
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return True
    sqlstate = str(getattr(exc.orig, "sqlstate", None) or "")
    return bool(sqlstate) and sqlstate.startswith(UNAVAILABLE_SQLSTATES)


def database_unavailable() -> Problem:
    problem = Problem(
        503, "database-unavailable", "Database unavailable", "The database did not answer; retry."
    )
    problem.headers = {"Retry-After": "1"}
    return problem


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    problem = Problem(500, "internal-error", "Internal error", "The server failed; retry later.")
    return problem_response(problem, request)


def install_problem_handlers(app: FastAPI) -> None:
    """Answer every error as application/problem+json."""
    app.add_exception_handler(Problem, _on_problem)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(DBAPIError, _on_database)
    app.add_exception_handler(Exception, _on_unexpected)
