"""Money on the wire: integer fen and an ISO 4217 currency code."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

# bounded by what a BIGINT column holds: a larger amount is a client's error (422)
Fen = Annotated[int, Field(ge=0, lt=2**63, description="Amount in fen (1 CNY = 100 fen)")]
Currency = Literal["CNY"]
