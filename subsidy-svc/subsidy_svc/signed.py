"""What subsidy-svc decides on, checked first: each word exactly as its owner signed it
(the policy by catalog-svc, the enterprise by identity-svc, the credit verdict by
credit-svc); 422 otherwise."""

from __future__ import annotations

from fastapi import Request

from qinqing_shared.app import Runtime
from qinqing_shared.auth.signing import AttestationVerifier
from qinqing_shared.contracts.catalog import Policy, ServiceHandling
from qinqing_shared.contracts.credit import CreditCheck
from qinqing_shared.contracts.identity import EnterpriseProfile


def runtime(request: Request) -> Runtime:
    found: Runtime = request.app.state.runtime
    return found


def _checks(request: Request) -> AttestationVerifier:
    checks = runtime(request).attestations
    assert checks is not None
    return checks


async def verify_policy(request: Request, policy: Policy) -> None:
    """The policy exactly as catalog-svc signed it (422 otherwise)."""
    await _checks(request).verify_digest(
        policy.attestation, "catalog-svc", "The policy", policy.id, policy.signed_content()
    )


async def verify_item(request: Request, item: ServiceHandling) -> None:
    """The service item's handling exactly as catalog-svc signed it (422 otherwise)."""
    await _checks(request).verify_digest(
        item.attestation,
        "catalog-svc",
        "The service item",
        item.service_code,
        item.signed_content(),
    )


async def verify_profile(request: Request, enterprise: EnterpriseProfile) -> None:
    """The enterprise exactly as identity-svc signed it (422 otherwise)."""
    await _checks(request).verify_digest(
        enterprise.attestation,
        "identity-svc",
        "The enterprise profile",
        enterprise.uscc,
        enterprise.signed_content(),
    )


async def verify_credit(request: Request, credit: CreditCheck, application_id: str) -> None:
    """The verdict exactly as credit-svc signed it, for this application (422 otherwise)."""
    await _checks(request).verify_digest(
        credit.attestation,
        "credit-svc",
        "The credit check",
        application_id,
        credit.signed_content(),
    )
