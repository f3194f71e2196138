"""Schemathesis against every service's OpenAPI document, on the running platform.

Each operation is called with generated requests (bounded examples) and the token of a
caller the access matrix admits to it: no answer may be a server error, or carry a
status code or content type its document does not declare. Run once, on SQLite (the
PostgreSQL pass skips it: it tests the API's shape, not the database).
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    status_code_conformance,
)

from qinqing_devtools.platform import SERVICES, Platform
from tests.e2e.test_access import bearer, gateway_token, token
from tests.e2e.test_access_matrix import MATRIX, built_app

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="run once, in the SQLite pass"),
]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
# Callers whose tokens a route admits, in order of preference (see the access matrix).
PREFERENCE = [
    "demo-app",
    "demo-enterprise",
    "demo-operator",
    "hrss-department",
    "msa-department",
    "gw",
]
SCHEMAS = {
    spec.name: schemathesis.openapi.from_dict(built_app(spec.name).openapi()) for spec in SERVICES
}


def caller_for(service: str, method: str, path: str) -> str | None:
    rule = MATRIX[(service, method, path)]
    admitted = [c for c in PREFERENCE if rule.get(c, rule["*"]) not in (401, 403)]
    return admitted[0] if admitted else None


def headers_for(platform: Platform, service: str, caller: str | None) -> dict[str, str]:
    if caller is None:
        return {}
    if caller == "gw":
        return bearer(gateway_token(platform, service))
    return bearer(token(platform, caller))


def cases() -> list[Any]:
    found = []
    for service, schema in SCHEMAS.items():
        for result in schema.get_all_operations():
            operation = result.ok()
            found.append(
                pytest.param(
                    service, operation, id=f"{service} {operation.method.upper()} {operation.path}"
                )
            )
    return found


@pytest.mark.parametrize(("service", "operation"), cases())
def test_no_server_error_and_nothing_undocumented(
    service: str, operation: Any, platform: Platform
) -> None:
    caller = caller_for(service, operation.method.upper(), operation.path)
    headers = headers_for(platform, service, caller)
    base_url = platform.url(service)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    run()
