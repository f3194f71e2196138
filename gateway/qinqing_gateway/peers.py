"""The gateway's clients for the five domain services."""

from __future__ import annotations

from qinqing_gateway.config import Settings
from qinqing_gateway.oauth.issuer import ServiceTokens
from qinqing_shared.http import ServiceClient


class Peers:
    """Each call carries the gateway's own token for that service (aud = the service)."""

    def __init__(self, settings: Settings, tokens: ServiceTokens) -> None:
        def client(name: str, url: str) -> ServiceClient:
            return ServiceClient(name, url, token=lambda: tokens.for_service(name))

        self.identity = client("identity-svc", settings.identity_url)
        self.catalog = client("catalog-svc", settings.catalog_url)
        self.subsidy = client("subsidy-svc", settings.subsidy_url)
        self.credit = client("credit-svc", settings.credit_url)
        self.payment = client("payment-svc", settings.payment_url)

    async def aclose(self) -> None:
        for client in (self.identity, self.catalog, self.subsidy, self.credit, self.payment):
            await client.aclose()
