"""The gateway's clients for the five domain services."""

from __future__ import annotations

from qinqing_gateway.config import Settings
from qinqing_shared.http import ServiceClient


class Peers:
    def __init__(self, settings: Settings) -> None:
        self.identity = ServiceClient("identity-svc", settings.identity_url)
        self.catalog = ServiceClient("catalog-svc", settings.catalog_url)
        self.subsidy = ServiceClient("subsidy-svc", settings.subsidy_url)
        self.credit = ServiceClient("credit-svc", settings.credit_url)
        self.payment = ServiceClient("payment-svc", settings.payment_url)

    async def aclose(self) -> None:
        for client in (self.identity, self.catalog, self.subsidy, self.credit, self.payment):
            await client.aclose()
