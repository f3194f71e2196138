"""The bank connector interface and its HTTP implementation.

A real bank's connector implements the same four calls. Every payout is an
*instruction* named by the payout id: the bank executes an instruction once, so asking
again (after a timeout) can never pay twice, and its status can always be asked.
"""

from __future__ import annotations

from typing import Protocol

import httpx

from qinqing_shared import tracing
from qinqing_shared.contracts.bank import (
    BankStatus,
    Instruction,
    InstructionBatch,
    Receipt,
    ReceiptBatch,
    StatementLine,
)

__all__ = ["BankStatus", "Instruction", "Receipt", "StatementLine"]


class BankUnavailable(Exception):
    """The bank did not answer (timeout, refused, 5xx): the outcome is unknown."""


class BankConnector(Protocol):
    async def funds(self) -> int: ...

    async def initiate_payout(self, instruction: Instruction) -> Receipt: ...

    async def initiate_payouts(self, instructions: list[Instruction]) -> list[Receipt]:
        """Several instructions in one batch, each executed once: a receipt for each,
        in the order sent."""
        ...

    async def payout_status(self, instruction_id: str) -> Receipt | None: ...

    async def statement(self) -> list[StatementLine]: ...


class HttpBankConnector:
    """Talks to a bank (the sandbox bank, or a gateway with the same protocol) over HTTP."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.http = client

    @classmethod
    def to(cls, base_url: str, timeout: float, api_key: str = "") -> HttpBankConnector:
        headers = {"Authorization": f"Bearer {api_key}"}
        hooks = tracing.httpx_hooks()  # the bank's side joins the application's trace
        return cls(
            httpx.AsyncClient(
                base_url=base_url, timeout=timeout, headers=headers, event_hooks=hooks
            )
        )

    async def _call(self, method: str, path: str, json: object = None) -> httpx.Response:
        try:
            response = await self.http.request(method, path, json=json)
        except httpx.HTTPError as exc:
            raise BankUnavailable(f"{type(exc).__name__} on {path}") from exc
        if response.status_code >= 500:
            raise BankUnavailable(f"bank answered {response.status_code} on {path}")
        return response

    async def funds(self) -> int:
        return int((await self._call("GET", "/funds")).json()["available_fen"])

    async def initiate_payout(self, instruction: Instruction) -> Receipt:
        response = await self._call("POST", "/payments", instruction.model_dump())
        response.raise_for_status()
        return Receipt.model_validate(response.json())

    async def initiate_payouts(self, instructions: list[Instruction]) -> list[Receipt]:
        batch = InstructionBatch(instructions=instructions)
        response = await self._call("POST", "/payment-batches", batch.model_dump())
        response.raise_for_status()
        receipts = ReceiptBatch.model_validate(response.json()).receipts
        sent = [i.instruction_id for i in instructions]
        if [r.instruction_id for r in receipts] != sent:  # not what was asked: unknown
            raise BankUnavailable("the bank's receipts do not match the batch's instructions")
        return receipts

    async def payout_status(self, instruction_id: str) -> Receipt | None:
        response = await self._call("GET", f"/payments/{instruction_id}")
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return Receipt.model_validate(response.json())

    async def statement(self) -> list[StatementLine]:
        lines = (await self._call("GET", "/statement")).json()["lines"]
        return [StatementLine.model_validate(line) for line in lines]

    async def aclose(self) -> None:
        await self.http.aclose()
