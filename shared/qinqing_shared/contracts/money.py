"""Money on the wire: integer fen and an ISO 4217 currency code."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

Fen = Annotated[int, Field(ge=0, description="Amount in fen (1 CNY = 100 fen)")]
Currency = Literal["CNY"]
