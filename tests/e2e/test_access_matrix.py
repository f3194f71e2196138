"""Every route of every service, called by every kind of caller, on the running platform.

The expected statuses are written by hand below, not derived from the code's rules. The
routes are read from each app's routers, and a route missing from the table fails
``test_every_route_is_in_the_table``. POST and PUT send ``{}``, so a caller the route
admits gets 422 (the body is checked after the caller), one it does not gets 401 or 403.
The application used is one ``app`` made for ``ent2``'s enterprise: the other callers
are the "other object" cases.
"""

from __future__ import annotations

import importlib
import tempfile
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from qinqing_devtools import clients
from qinqing_devtools.platform import SERVICES, Platform
from tests.e2e.test_access import bearer, gateway_token, token
from tests.support.routes import routes_of

pytestmark = pytest.mark.e2e

# The callers: a demo client each (see qinqing_devtools.clients); "gw" is the gateway's
# own service token; "svc" stands for each of the five services' own clients.
APP, APP2, ENT, ENT2 = "demo-app", "other-app", "demo-enterprise", "other-enterprise"
DEPT, DEPT2, OP = "hrss-department", "msa-department", "demo-operator"
SERVICE_CLIENTS = clients.SERVICE_CLIENTS
CALLERS = ["none", APP, APP2, ENT, ENT2, DEPT, DEPT2, OP, "gw", *SERVICE_CLIENTS]
EXTERNAL = [APP, APP2, ENT, ENT2, DEPT, DEPT2, OP]

ALL_200 = {"*": 200}
OPERATOR_ONLY = {"*": 403, "none": 401, OP: 200}
GATEWAY_ONLY_READ = {"*": 403, "none": 401, "gw": 200}
GATEWAY_ONLY_WRITE = {"*": 403, "none": 401, "gw": 422}


def at_gateway(rule: dict[str, int]) -> dict[str, int]:
    """At the gateway, a service's token (naming another service) is not accepted."""
    return {name: 401 for name in SERVICE_CLIENTS} | rule


MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    # the gateway: the public API and the authorization server
    ("gateway", "GET", "/healthz"): ALL_200,
    ("gateway", "GET", "/readyz"): ALL_200,
    ("gateway", "GET", "/docs"): ALL_200,
    ("gateway", "GET", "/docs/oauth2-redirect"): ALL_200,
    ("gateway", "GET", "/redoc"): ALL_200,
    ("gateway", "GET", "/openapi.json"): ALL_200,
    ("gateway", "GET", "/.well-known/jwks.json"): ALL_200,
    ("gateway", "GET", "/.well-known/oauth-authorization-server"): ALL_200,
    ("gateway", "POST", "/oauth/token"): {"*": 400},  # no client credentials in the form
    ("gateway", "POST", "/oauth/revoke"): {"*": 400},
    # the sign-in page: without an app's valid request it shows why, to anyone
    ("gateway", "GET", "/oauth/authorize"): {"*": 400},
    ("gateway", "POST", "/oauth/authorize"): {"*": 400},
    ("gateway", "GET", "/events"): ALL_200,
    ("gateway", "GET", "/events/asyncapi.json"): ALL_200,
    ("gateway", "GET", "/events/schemas/{subject}.json"): ALL_200,
    ("gateway", "GET", "/v1/services"): ALL_200,
    ("gateway", "GET", "/v1/stats"): ALL_200,
    ("gateway", "GET", "/v1/districts"): ALL_200,
    # {code} is the rental subsidy: no service item, so it has no handling (404) to anyone
    ("gateway", "GET", "/v1/services/{code}/handling"): {"*": 404},
    ("gateway", "GET", "/v1/departments"): ALL_200,
    # the pages: the dashboard is public; the portal's pages know a session cookie only
    # (a bearer token is no session: the page to sign in, 401), tests/e2e/test_portal.py
    ("gateway", "GET", "/"): {"*": 307},
    ("gateway", "GET", "/dashboard"): ALL_200,
    ("gateway", "GET", "/dashboard/live"): ALL_200,
    ("gateway", "GET", "/static/{name}"): ALL_200,
    ("gateway", "GET", "/portal"): ALL_200,  # the way to sign in
    ("gateway", "GET", "/portal/sign-in"): {"*": 303},  # to the authorization server
    ("gateway", "GET", "/portal/callback"): {"*": 401},
    ("gateway", "POST", "/portal/sign-out"): {"*": 401},
    ("gateway", "POST", "/portal/apply"): {"*": 401},
    ("gateway", "GET", "/portal/applications/{application_id}"): {"*": 401},
    ("gateway", "GET", "/portal/applications/{application_id}/live"): {"*": 401},
    ("gateway", "GET", "/portal/applications/{application_id}/events"): {"*": 401},
    ("gateway", "GET", "/portal/access"): {"*": 401},
    ("gateway", "POST", "/portal/access/grant"): {"*": 401},
    ("gateway", "POST", "/portal/notices/decline"): {"*": 401},
    ("gateway", "POST", "/portal/access/revoke"): {"*": 401},
    ("gateway", "GET", "/portal/commitments"): {"*": 401},
    ("gateway", "POST", "/portal/commitments"): {"*": 401},
    ("gateway", "GET", "/console"): ALL_200,  # the way for an officer to sign in
    ("gateway", "GET", "/console/sign-in"): {"*": 303},
    ("gateway", "GET", "/console/policies/{policy_id}"): {"*": 401},
    ("gateway", "POST", "/console/policies/{policy_id}/drafts"): {"*": 401},
    ("gateway", "POST", "/console/policies/{policy_id}/drafts/{version}/publish"): {"*": 401},
    ("gateway", "POST", "/console/policies/{policy_id}/preview"): {"*": 401},
    ("gateway", "GET", "/console/items"): {"*": 401},
    ("gateway", "GET", "/console/items/{code}"): {"*": 401},
    ("gateway", "POST", "/console/items/{code}/handling"): {"*": 401},
    ("gateway", "GET", "/console/dead-letters"): {"*": 401},
    ("gateway", "GET", "/console/dead-letters/{service}/{letter_id}"): {"*": 401},
    ("gateway", "POST", "/console/dead-letters/{service}/{letter_id}/replay"): {"*": 401},
    ("gateway", "GET", "/portal/requests"): {"*": 401},
    ("gateway", "POST", "/portal/requests"): {"*": 401},
    ("gateway", "GET", "/portal/requests/{request_id}"): {"*": 401},
    ("gateway", "GET", "/portal/requests/{request_id}/events"): {"*": 401},
    ("gateway", "POST", "/portal/requests/{request_id}/{step}"): {"*": 401},
    ("gateway", "POST", "/portal/requests/{request_id}/commitment"): {"*": 401},
    ("gateway", "GET", "/console/requests"): {"*": 401},
    ("gateway", "GET", "/console/requests/{request_id}"): {"*": 401},
    ("gateway", "GET", "/console/requests/{request_id}/events"): {"*": 401},
    ("gateway", "POST", "/console/requests/{request_id}/{action}"): {"*": 401},
    ("gateway", "GET", "/console/credit"): {"*": 401},
    ("gateway", "POST", "/console/credit/records"): {"*": 401},
    ("gateway", "POST", "/console/credit/lift"): {"*": 401},
    # what the platform holds on an enterprise: itself and operators, never an app
    ("gateway", "GET", "/v1/enterprises/{uscc}/holdings"): at_gateway(
        {"*": 403, "none": 401, ENT: 200, OP: 200}
    ),
    # an enterprise's applications: itself, an app it granted (the demo app), operators
    ("gateway", "GET", "/v1/enterprises/{uscc}/applications"): at_gateway(
        {"*": 403, "none": 401, APP: 200, ENT: 200, OP: 200}
    ),
    ("gateway", "GET", "/v1/policies"): ALL_200,
    ("gateway", "GET", "/v1/policies/{policy_id}"): ALL_200,
    ("gateway", "GET", "/v1/policies/{policy_id}/versions"): ALL_200,
    ("gateway", "POST", "/v1/policies/{policy_id}/applications"): at_gateway(
        {"*": 403, "none": 401, APP: 422, APP2: 422, ENT: 422, ENT2: 422}
    ),
    ("gateway", "POST", "/v1/policies/{policy_id}/simulations"): at_gateway(
        {"*": 403, "none": 401, APP: 422, APP2: 422, ENT: 422, ENT2: 422, OP: 422}
        | {DEPT: 422, DEPT2: 422}  # a department previews its drafts (made-up facts)
    ),
    ("gateway", "GET", "/v1/applications/{application_id}"): at_gateway(
        {"*": 403, "none": 401, APP: 200, APP2: 404, ENT: 404, ENT2: 200, OP: 200}
    ),
    # commitments: made for an enterprise that acts or granted (the body checked after),
    # read by it, its apps and operators
    ("gateway", "POST", "/v1/commitments"): at_gateway(
        {"*": 403, "none": 401, APP: 422, APP2: 422, ENT: 422, ENT2: 422}
    ),
    # (the demo enterprise granted the demo app access; the other app has no grant)
    ("gateway", "GET", "/v1/enterprises/{uscc}/commitments"): at_gateway(
        {"*": 403, "none": 401, APP: 200, ENT: 200, OP: 200}
    ),
    # enterprises' requests to departments: raised for an enterprise that acts or granted
    # (the body checked after), followed by it, the app that raised it and operators
    ("gateway", "GET", "/v1/request-topics"): ALL_200,
    ("gateway", "POST", "/v1/requests"): at_gateway(
        {"*": 403, "none": 401, APP: 422, APP2: 422, ENT: 422, ENT2: 422}
    ),
    ("gateway", "GET", "/v1/requests"): at_gateway(
        {"*": 403, "none": 401, APP: 200, APP2: 200, ENT: 200, ENT2: 200, OP: 200}
    ),
    ("gateway", "GET", "/v1/requests/{request_id}"): at_gateway(
        {"*": 403, "none": 401, APP: 404, APP2: 404, ENT: 404, ENT2: 404, OP: 404}
    ),
    **{
        ("gateway", "POST", f"/v1/requests/{{request_id}}/{step}"): at_gateway(
            {"*": 403, "none": 401, APP: 422, APP2: 422, ENT: 422, ENT2: 422}
        )
        for step in ("replies", "ratings", "reopenings")
    },
    # proactive payouts: an enterprise's notices, read by it, an app it granted and
    # operators (no such notice: 404 past the check); a policy's run, by departments
    # (the run is of no department's: 404) and operators
    ("gateway", "GET", "/v1/enterprises/{uscc}/notices"): at_gateway(
        {"*": 403, "none": 401, APP: 200, ENT: 200, OP: 200}
    ),
    ("gateway", "GET", "/v1/notices/{notice_id}"): at_gateway(
        {"*": 403, "none": 401, APP: 404, APP2: 404, ENT: 404, ENT2: 404, OP: 404}
    ),
    ("gateway", "POST", "/v1/notices/{notice_id}/decline"): at_gateway(
        {"*": 403, "none": 401, APP: 404, APP2: 404, ENT: 404, ENT2: 404}
    ),
    ("gateway", "GET", "/v1/policies/{policy_id}/versions/{version}/proactive-run"): at_gateway(
        {"*": 403, "none": 401, DEPT: 404, DEPT2: 404, OP: 404}
    ),
    ("gateway", "GET", "/v1/enterprises/{uscc}/grants"): at_gateway(
        {"*": 403, "none": 401, ENT: 200}
    ),
    ("gateway", "PUT", "/v1/enterprises/{uscc}/grants/{client_id}"): at_gateway(
        {"*": 403, "none": 401, ENT: 204}
    ),
    ("gateway", "DELETE", "/v1/enterprises/{uscc}/grants/{client_id}"): at_gateway(
        {"*": 403, "none": 401, ENT: 204}
    ),
    ("gateway", "GET", "/v1/enterprises/{uscc}/audit"): at_gateway(
        {"*": 403, "none": 401, ENT: 200, OP: 200}
    ),
    ("gateway", "PUT", "/v1/enterprises/{uscc}/payee-account"): at_gateway(
        {"*": 403, "none": 401, ENT: 422, ENT2: 422, DEPT2: 422}
    ),
    ("gateway", "POST", "/v1/persons/claims"): at_gateway({"*": 403, "none": 401, OP: 422}),
    # a budget: operators, and the department whose policy it is (HRSS's; MSA: 404)
    ("gateway", "GET", "/v1/budgets/{policy_id}"): at_gateway(
        {"*": 403, "none": 401, OP: 200, DEPT: 200, DEPT2: 404}
    ),
    ("gateway", "GET", "/v1/budgets/{policy_id}/payouts"): at_gateway(
        {"*": 403, "none": 401, OP: 200, DEPT: 200, DEPT2: 404}
    ),
    ("gateway", "GET", "/v1/ledger/balance"): at_gateway(OPERATOR_ONLY),
    ("gateway", "GET", "/v1/reconciliation"): at_gateway(OPERATOR_ONLY),
    # webhooks: apps and the department holding webhooks:write, each its own
    ("gateway", "GET", "/v1/webhooks"): at_gateway(
        {"*": 403, "none": 401, APP: 200, APP2: 200, DEPT: 200}
    ),
    ("gateway", "POST", "/v1/webhooks"): at_gateway(
        {"*": 403, "none": 401, APP: 422, APP2: 422, DEPT: 422}
    ),
    ("gateway", "DELETE", "/v1/webhooks/{webhook_id}"): at_gateway(
        {"*": 403, "none": 401, APP: 404, APP2: 404, DEPT: 404}
    ),
    # identity-svc
    ("identity-svc", "GET", "/healthz"): ALL_200,
    ("identity-svc", "GET", "/readyz"): ALL_200,
    ("identity-svc", "GET", "/.well-known/jwks.json"): ALL_200,
    ("identity-svc", "GET", "/outbox"): OPERATOR_ONLY,
    ("identity-svc", "GET", "/enterprises/{uscc}/profile"): GATEWAY_ONLY_READ,
    # a proactive run's pages of profiles: the run is named in a header (here missing)
    ("identity-svc", "GET", "/profiles"): GATEWAY_ONLY_WRITE,
    ("identity-svc", "POST", "/profiles/lookup"): GATEWAY_ONLY_WRITE,
    # facts of {kind} employment: human resources' (DEPT) alone; the body is checked after
    ("identity-svc", "POST", "/facts/{kind}"): {"*": 403, "none": 401, DEPT: 422},
    ("identity-svc", "POST", "/facts/{kind}/batch"): {"*": 403, "none": 401, DEPT: 422},
    ("identity-svc", "GET", "/enterprises/{uscc}/audit"): {
        "*": 403,
        "none": 401,
        ENT: 200,
        OP: 200,
    },
    ("identity-svc", "GET", "/audit/verification"): OPERATOR_ONLY,
    ("identity-svc", "PUT", "/enterprises/{uscc}/payee-account"): {
        "*": 403,
        "none": 401,
        ENT: 422,
        ENT2: 422,
        DEPT2: 422,
    },
    # catalog-svc
    ("catalog-svc", "GET", "/healthz"): ALL_200,
    ("catalog-svc", "GET", "/readyz"): ALL_200,
    ("catalog-svc", "GET", "/.well-known/jwks.json"): ALL_200,
    ("catalog-svc", "GET", "/outbox"): OPERATOR_ONLY,
    ("catalog-svc", "GET", "/departments"): ALL_200,
    ("catalog-svc", "GET", "/districts"): ALL_200,
    ("catalog-svc", "GET", "/services"): ALL_200,
    ("catalog-svc", "GET", "/services/{code}"): ALL_200,
    ("catalog-svc", "GET", "/services/{code}/handling"): {"*": 404},  # a subsidy: no item
    # a department may set an item's handling ({} is a valid one: routed); the subsidy
    # named is no item (404), so nothing changes
    ("catalog-svc", "PUT", "/services/{code}/handling"): {
        "*": 403,
        "none": 401,
        DEPT: 404,
        DEPT2: 404,
    },
    ("catalog-svc", "GET", "/stats"): ALL_200,
    ("catalog-svc", "GET", "/policies"): ALL_200,
    ("catalog-svc", "GET", "/policies/{policy_id}"): ALL_200,
    ("catalog-svc", "PUT", "/policies/{policy_id}"): {
        "*": 403,
        "none": 401,
        DEPT: 422,
        DEPT2: 422,
    },
    ("catalog-svc", "GET", "/policies/{policy_id}/versions"): ALL_200,
    ("catalog-svc", "GET", "/policies/{policy_id}/versions/{version}"): ALL_200,
    ("catalog-svc", "POST", "/policies/{policy_id}/drafts"): {
        "*": 403,
        "none": 401,
        DEPT: 422,
        DEPT2: 422,
    },
    # each department sees its own drafts (none here)
    ("catalog-svc", "GET", "/policies/{policy_id}/drafts"): {
        "*": 403,
        "none": 401,
        DEPT: 200,
        DEPT2: 200,
    },
    # version 1 of the rental policy is HRSS's and published: no draft to publish (404);
    # another department may not publish it (403)
    ("catalog-svc", "POST", "/policies/{policy_id}/drafts/{version}/publish"): {
        "*": 403,
        "none": 401,
        DEPT: 404,
    },
    # enterprises' requests: the gateway files them; every external caller lists what
    # it may see (its own, its department's, all for operators); no such request: 404
    ("catalog-svc", "GET", "/request-topics"): ALL_200,
    ("catalog-svc", "POST", "/requests"): GATEWAY_ONLY_WRITE,
    ("catalog-svc", "GET", "/requests"): {"*": 403, "none": 401} | dict.fromkeys(EXTERNAL, 200),
    ("catalog-svc", "GET", "/requests/{request_id}"): {"*": 403, "none": 401}
    | dict.fromkeys(EXTERNAL, 404),
    **{
        ("catalog-svc", "POST", f"/requests/{{request_id}}/{step}"): {
            "*": 403,
            "none": 401,
            APP: 422,
            APP2: 422,
            ENT: 422,
            ENT2: 422,
        }
        for step in ("replies", "ratings", "reopenings")
    },
    # a department's steps: the one holding it (no such request: 404, or the body first)
    ("catalog-svc", "POST", "/requests/{request_id}/acceptance"): {
        "*": 403,
        "none": 401,
        DEPT: 404,
        DEPT2: 404,
    },
    ("catalog-svc", "POST", "/requests/{request_id}/closure"): {
        "*": 403,
        "none": 401,
        DEPT: 404,
        DEPT2: 404,
    },
    **{
        ("catalog-svc", "POST", f"/requests/{{request_id}}/{step}"): {
            "*": 403,
            "none": 401,
            DEPT: 422,
            DEPT2: 422,
        }
        for step in ("questions", "transfers", "answers")
    },
    # subsidy-svc
    ("subsidy-svc", "GET", "/healthz"): ALL_200,
    ("subsidy-svc", "GET", "/readyz"): ALL_200,
    ("subsidy-svc", "GET", "/.well-known/jwks.json"): ALL_200,
    ("subsidy-svc", "GET", "/outbox"): OPERATOR_ONLY,
    ("subsidy-svc", "POST", "/simulations"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "POST", "/applications"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "POST", "/applications/batch"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "POST", "/fact-checks"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "POST", "/item-decisions"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "GET", "/applications/{application_id}"): {
        "*": 403,
        "none": 401,
        "gw": 200,
        OP: 200,
    },
    ("subsidy-svc", "POST", "/applications/{application_id}/rejection"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "POST", "/persons/claims"): {"*": 403, "none": 401, OP: 422},
    ("subsidy-svc", "POST", "/proactive-runs"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "POST", "/proactive-runs/batches"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "POST", "/proactive-runs/rechecks"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "GET", "/proactive-runs/{policy_id}/{version}"): {
        "*": 403,
        "none": 401,
        "gw": 404,
        OP: 404,
    },
    ("subsidy-svc", "GET", "/proactive-runs/{policy_id}/{version}/due"): GATEWAY_ONLY_READ,
    ("subsidy-svc", "POST", "/proactive-runs/{policy_id}/{version}/takings"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "POST", "/notices/{notice_id}/taking"): {"*": 403, "none": 401, "gw": 404},
    ("subsidy-svc", "POST", "/notices/{notice_id}/declining"): {"*": 403, "none": 401, "gw": 404},
    ("subsidy-svc", "POST", "/notices/{notice_id}/failure"): GATEWAY_ONLY_WRITE,
    ("subsidy-svc", "GET", "/notices/{notice_id}"): {"*": 403, "none": 401, "gw": 404, OP: 404},
    ("subsidy-svc", "GET", "/enterprises/{uscc}/notices"): {
        "*": 403,
        "none": 401,
        "gw": 200,
        OP: 200,
    },
    # credit-svc
    ("credit-svc", "GET", "/healthz"): ALL_200,
    ("credit-svc", "GET", "/readyz"): ALL_200,
    ("credit-svc", "GET", "/.well-known/jwks.json"): ALL_200,
    ("credit-svc", "GET", "/outbox"): OPERATOR_ONLY,
    ("credit-svc", "POST", "/checks"): GATEWAY_ONLY_WRITE,
    ("credit-svc", "POST", "/checks/batch"): GATEWAY_ONLY_WRITE,
    ("credit-svc", "GET", "/enterprises/{uscc}/records"): {
        "*": 403,
        "none": 401,
        "gw": 200,
        OP: 200,
    },
    ("credit-svc", "GET", "/enterprises/{uscc}/rating"): {
        "*": 403,
        "none": 401,
        "gw": 200,
        OP: 200,
    },
    # commitments: the gateway files and verifies them (no such commitment: 404)
    ("credit-svc", "POST", "/commitments"): GATEWAY_ONLY_WRITE,
    ("credit-svc", "GET", "/commitments/{commitment_id}"): {"*": 403, "none": 401, "gw": 404},
    ("credit-svc", "POST", "/commitments/{commitment_id}/verdict"): GATEWAY_ONLY_WRITE,
    ("credit-svc", "GET", "/enterprises/{uscc}/commitments"): {
        "*": 403,
        "none": 401,
        "gw": 200,
        OP: 200,
    },
    # departments file and lift credit records; the body is checked after the caller
    ("credit-svc", "POST", "/records"): {"*": 403, "none": 401, DEPT: 422, DEPT2: 422},
    ("credit-svc", "POST", "/records/{record_id}/lift"): {
        "*": 403,
        "none": 401,
        DEPT: 422,
        DEPT2: 422,
    },
    # payment-svc
    ("payment-svc", "GET", "/healthz"): ALL_200,
    ("payment-svc", "GET", "/readyz"): ALL_200,
    ("payment-svc", "GET", "/outbox"): OPERATOR_ONLY,
    ("payment-svc", "POST", "/payouts"): GATEWAY_ONLY_WRITE,
    ("payment-svc", "POST", "/payouts/batch"): GATEWAY_ONLY_WRITE,
    # the application was rejected: past the check, there is no payout to show
    ("payment-svc", "GET", "/payouts/{application_id}"): {
        "*": 403,
        "none": 401,
        "gw": 404,
        OP: 404,
    },
    ("payment-svc", "POST", "/payouts/{application_id}/reversal"): {
        "*": 403,
        "none": 401,
        OP: 422,
    },
    ("payment-svc", "POST", "/bank/confirmations"): {"*": 401},  # the bank's HMAC only
    ("payment-svc", "POST", "/bank/incoming"): {"*": 401},
    ("payment-svc", "GET", "/enterprises/{uscc}/clawbacks"): OPERATOR_ONLY,
    ("payment-svc", "GET", "/enterprises/{uscc}/refunds"): OPERATOR_ONLY,
    ("payment-svc", "GET", "/budgets/{policy_id}"): {
        "*": 403,
        "none": 401,
        OP: 200,
        DEPT: 200,
        DEPT2: 404,
    },
    ("payment-svc", "GET", "/budgets/{policy_id}/payouts"): {
        "*": 403,
        "none": 401,
        OP: 200,
        DEPT: 200,
        DEPT2: 404,
    },
    ("payment-svc", "PUT", "/budgets/{policy_id}"): {
        "*": 403,
        "none": 401,
        DEPT: 422,
        DEPT2: 422,
    },
    ("payment-svc", "GET", "/accounts/{account_id}/balance"): OPERATOR_ONLY,
    ("payment-svc", "GET", "/ledger/balance"): OPERATOR_ONLY,
    ("payment-svc", "GET", "/reconciliation"): OPERATOR_ONLY,
}
# every service with an outbox has a dead-letter store: operators list, inspect, replay
for _service in ("identity-svc", "catalog-svc", "subsidy-svc", "credit-svc", "payment-svc"):
    MATRIX[(_service, "GET", "/dead-letters")] = OPERATOR_ONLY
    MATRIX[(_service, "GET", "/dead-letters/{letter_id}")] = {"*": 403, "none": 401, OP: 404}
    MATRIX[(_service, "POST", "/dead-letters/{letter_id}/replay")] = {
        "*": 403,
        "none": 401,
        OP: 404,
    }
# where departments' records are refused at ingest, a department reads and replays its
# own letters (none of these ids is theirs: 404)
for _service in ("identity-svc", "credit-svc"):
    MATRIX[(_service, "GET", "/dead-letters")] = OPERATOR_ONLY | {DEPT: 200, DEPT2: 200}
    MATRIX[(_service, "GET", "/dead-letters/{letter_id}")] = {
        "*": 403,
        "none": 401,
        OP: 404,
        DEPT: 404,
        DEPT2: 404,
    }
    MATRIX[(_service, "POST", "/dead-letters/{letter_id}/replay")] = {
        "*": 403,
        "none": 401,
        OP: 404,
        DEPT: 404,
        DEPT2: 404,
    }
# every service's Prometheus metrics: operators only (at the gateway, no service either)
for _service in ("identity-svc", "catalog-svc", "subsidy-svc", "credit-svc", "payment-svc"):
    MATRIX[(_service, "GET", "/metrics")] = OPERATOR_ONLY
MATRIX[("gateway", "GET", "/metrics")] = at_gateway(OPERATOR_ONLY)
# the gateway's dead letters: webhook deliveries that failed their last try
MATRIX[("gateway", "GET", "/dead-letters")] = at_gateway(OPERATOR_ONLY)
MATRIX[("gateway", "GET", "/dead-letters/{letter_id}")] = at_gateway(
    {"*": 403, "none": 401, OP: 404}
)
MATRIX[("gateway", "POST", "/dead-letters/{letter_id}/replay")] = at_gateway(
    {"*": 403, "none": 401, OP: 404}
)
# the order in which a route's rows run: a grant is made before it is ended
ORDER = {"GET": 0, "PUT": 1, "POST": 2, "DELETE": 3}


def expected(rule: dict[str, int], caller: str) -> int:
    return rule.get(caller, rule["*"])


@cache
def built_app(service: str) -> FastAPI:
    """The service's app, built as the running process builds it (not started)."""
    spec = next(s for s in SERVICES if s.name == service)
    main = importlib.import_module(f"{spec.module}.main")
    config = importlib.import_module(f"{spec.module}.config")
    folder = Path(tempfile.mkdtemp())
    settings = config.Settings(
        keys_dir=folder, database_url=f"sqlite+aiosqlite:///{folder / 'routes.db'}"
    )
    app: FastAPI = main.create_app(settings)
    return app


def served_routes(service: str) -> frozenset[tuple[str, str]]:
    return frozenset(routes_of(built_app(service)))


@pytest.mark.parametrize("service", [s.name for s in SERVICES])
def test_every_route_is_in_the_table(service: str) -> None:
    tabled = {(m, p) for (s, m, p) in MATRIX if s == service}
    assert set(served_routes(service)) == tabled


class Callers:
    """Each caller's headers for a service, tokens fetched once."""

    def __init__(self, platform: Platform) -> None:
        self.platform = platform
        self.tokens: dict[tuple[str, str], dict[str, str]] = {}

    def headers(self, caller: str, service: str) -> dict[str, str]:
        if caller == "none":
            return {}
        if (caller, service) not in self.tokens:
            self.tokens[caller, service] = bearer(self._token(caller, service))
        return self.tokens[caller, service]

    def _token(self, caller: str, service: str) -> str:
        if caller == "gw":
            return gateway_token(self.platform, service)
        if caller in SERVICE_CLIENTS:  # a service's token names the service it calls
            target = service if service != "gateway" else "payment-svc"
            return token(self.platform, caller, target)
        return token(self.platform, caller)


@pytest.fixture(scope="module")
def objects(platform: Platform) -> dict[str, str]:
    """The path values: the demo enterprise, and an application ``app`` made for
    ``ent2`` (its employees fail the rules, so nothing is paid)."""
    secret = platform.credentials(APP)["client_secret"]
    app_token = clients.fetch_token(platform.gateway_url, APP, secret)
    made = httpx.post(
        platform.gateway_url + "/v1/policies/hz-rental-subsidy-2026/applications",
        json={"uscc": clients.OTHER_ENTERPRISE},
        headers=bearer(app_token) | {"Idempotency-Key": str(uuid.uuid4())},
        timeout=30,
    )
    assert made.status_code == 200, made.text
    return {
        "uscc": clients.GOLDEN_ELIGIBLE,
        "application_id": made.json()["id"],
        "policy_id": "hz-rental-subsidy-2026",
        "client_id": "load-app",
        "code": "HZ-HRSS-RENTAL-SUBSIDY",
        "account_id": "budget:hz-rental-subsidy-2026",
        "letter_id": str(uuid.uuid4()),  # no such dead letter: past the check, 404
        "webhook_id": str(uuid.uuid4()),  # no such webhook: past the check, 404
        "kind": "employment",
        "record_id": "HZ-HRSS:no-such-record",
        "commitment_id": str(uuid.uuid4()),  # no such commitment: past the check, 404
        "subject": "qinqing.payment.payout.completed.v1",
        "version": "1",
        "name": "qinqing.css",
        "service": "identity-svc",
        "request_id": str(uuid.uuid4()),  # no such request: past the check, 404
        "notice_id": str(uuid.uuid4()),  # no such notice: past the check, 404
        "step": "replies",  # an enterprise's step on a request (the portal)
        "action": "answers",  # a department's (the console)
    }


def rows() -> list[Any]:
    ordered = sorted(MATRIX.items(), key=lambda item: (item[0][0], item[0][2], ORDER[item[0][1]]))
    return [pytest.param(key, rule, id=f"{key[0]} {key[1]} {key[2]}") for key, rule in ordered]


@pytest.fixture(scope="module")
def callers(platform: Platform) -> Callers:
    return Callers(platform)


@pytest.mark.parametrize(("route", "rule"), rows())
async def test_each_caller_gets_what_the_table_says(
    route: tuple[str, str, str],
    rule: dict[str, int],
    platform: Platform,
    objects: dict[str, str],
    callers: Callers,
) -> None:
    service, method, path = route
    url = platform.url(service) + path.format(**objects)
    body = {"json": {}} if method in ("POST", "PUT") else {}
    got, want = {}, {}
    async with httpx.AsyncClient(timeout=30) as http:
        for caller in CALLERS:
            answer = await http.request(
                method, url, headers=callers.headers(caller, service), **body
            )
            got[caller], want[caller] = answer.status_code, expected(rule, caller)
    assert got == want
