"""The one allow-list of routes a caller may use without an access token.

Every other route of every service declares an access rule (``guard.allow``) and
answers 401 to a caller without a valid token; ``tests/unit/test_anonymous_routes.py``
checks both ways against every service's routers. docs/security.md explains each entry.
"""

from __future__ import annotations

ANONYMOUS: frozenset[tuple[str, str]] = frozenset(
    {
        # liveness and readiness, for orchestrators
        ("GET", "/healthz"),
        ("GET", "/readyz"),
        # the way in: RFC 8414 metadata, the token and revocation endpoints, public keys
        ("GET", "/.well-known/oauth-authorization-server"),
        ("POST", "/oauth/token"),
        ("POST", "/oauth/revoke"),
        ("GET", "/oauth/authorize"),  # the sign-in page
        ("POST", "/oauth/authorize"),
        ("GET", "/.well-known/jwks.json"),
        # the public API's documentation (the gateway's only)
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"),
        # the events' documentation (AsyncAPI 3.0, each event's JSON Schema and a readable
        # page), at the gateway
        ("GET", "/events"),
        ("GET", "/events/asyncapi.json"),
        ("GET", "/events/schemas/{subject}.json"),
        # public catalog reads: at the gateway, and catalog-svc's own
        ("GET", "/v1/services"),
        ("GET", "/v1/stats"),
        ("GET", "/v1/districts"),
        ("GET", "/v1/departments"),
        ("GET", "/v1/policies"),
        ("GET", "/v1/policies/{policy_id}"),
        ("GET", "/v1/policies/{policy_id}/versions"),
        ("GET", "/v1/services/{code}/handling"),  # how a service item is handled
        ("GET", "/services"),
        ("GET", "/services/{code}"),
        ("GET", "/services/{code}/handling"),
        ("GET", "/districts"),
        ("GET", "/departments"),
        ("GET", "/stats"),
        ("GET", "/policies"),
        ("GET", "/policies/{policy_id}/versions"),  # a policy's history
        ("GET", "/policies/{policy_id}/versions/{version}"),
        ("GET", "/policies/{policy_id}"),
        # the topics of enterprises' requests and their time limits (direct interaction)
        ("GET", "/v1/request-topics"),
        ("GET", "/request-topics"),
        # the pages (the gateway's): the front page, the city's live dashboard, and the
        # pages' style sheet and script
        ("GET", "/"),
        ("GET", "/dashboard"),
        ("GET", "/dashboard/live"),
        ("GET", "/static/{name}"),
    }
)

# Routes that take no access token but authenticate their caller another way.
OTHER_PROOF: dict[tuple[str, str], str] = {
    ("POST", "/bank/confirmations"): "the bank's HMAC signature (X-Bank-Signature)",
    ("POST", "/bank/incoming"): "the bank's HMAC signature (X-Bank-Signature)",
    # the enterprise portal and the department console (qinqing_gateway.web): a
    # signed-in person's or officer's session cookie,
    # and on every form that changes something the session's CSRF token; each calls the
    # public API with that person's own access token. Without a session a page shows
    # the way to sign in (401); the sign-in and its callback start and end a session.
    **{
        route: "the portal's session cookie (and CSRF token on a form)"
        for route in [
            ("GET", "/portal"),
            ("GET", "/portal/sign-in"),
            ("GET", "/portal/callback"),
            ("POST", "/portal/sign-out"),
            ("POST", "/portal/apply"),
            ("GET", "/portal/applications/{application_id}"),
            ("GET", "/portal/applications/{application_id}/live"),
            ("GET", "/portal/applications/{application_id}/events"),
            ("GET", "/portal/access"),
            ("POST", "/portal/access/grant"),
            ("POST", "/portal/notices/decline"),
            ("POST", "/portal/access/revoke"),
            ("GET", "/portal/commitments"),
            ("POST", "/portal/commitments"),
            ("GET", "/console"),
            ("GET", "/console/sign-in"),
            ("GET", "/console/policies/{policy_id}"),
            ("POST", "/console/policies/{policy_id}/drafts"),
            ("POST", "/console/policies/{policy_id}/drafts/{version}/publish"),
            ("POST", "/console/policies/{policy_id}/preview"),
            ("GET", "/console/items"),
            ("GET", "/console/items/{code}"),
            ("POST", "/console/items/{code}/handling"),
            ("GET", "/console/dead-letters"),
            ("GET", "/console/dead-letters/{service}/{letter_id}"),
            ("POST", "/console/dead-letters/{service}/{letter_id}/replay"),
            ("GET", "/console/credit"),
            ("POST", "/console/credit/records"),
            ("POST", "/console/credit/lift"),
            ("GET", "/portal/requests"),
            ("POST", "/portal/requests"),
            ("GET", "/portal/requests/{request_id}"),
            ("GET", "/portal/requests/{request_id}/events"),
            ("GET", "/console/requests/{request_id}/events"),
            ("POST", "/portal/requests/{request_id}/{step}"),
            ("POST", "/portal/requests/{request_id}/commitment"),
            ("GET", "/console/requests"),
            ("GET", "/console/requests/{request_id}"),
            ("POST", "/console/requests/{request_id}/{action}"),
        ]
    },
}
