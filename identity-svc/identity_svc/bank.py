"""The bank's account-holder check: an account becomes a payee only if the bank says
the enterprise holds it (name and USCC as the register has them)."""

from __future__ import annotations

import httpx

from identity_svc.errors import BankUnavailable, PayeeAccountNotVerified
from qinqing_shared import tracing
from qinqing_shared.contracts.identity import BankAccount


class AccountHolders:
    def __init__(self, base_url: str, api_key: str, timeout: float = 5.0) -> None:
        headers = {"Authorization": f"Bearer {api_key}"}
        self.http = httpx.AsyncClient(
            base_url=base_url, timeout=timeout, headers=headers, event_hooks=tracing.httpx_hooks()
        )

    async def verify(self, account: BankAccount, uscc: str, name: str) -> None:
        """Return if the bank confirms the holder; 422 if it does not, 503 if unknown."""
        body = {"account_no": account.account_no, "holder_uscc": uscc, "holder_name": name}
        try:
            answer = await self.http.post("/accounts/verification", json=body)
            answer.raise_for_status()
            verdict = answer.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise BankUnavailable(
                "The account-holder check did not answer; nothing was changed. Retry later."
            ) from exc
        if not verdict.get("match"):
            raise PayeeAccountNotVerified(
                f"{account.bank} says: {verdict.get('reason') or 'not this holder'}. "
                "Nothing was changed.",
            )

    async def aclose(self) -> None:
        await self.http.aclose()
