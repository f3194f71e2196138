"""Fault modes of the sandbox bank, decided per instruction from a seed (reproducible)."""

from __future__ import annotations

import random
from typing import Literal

from pydantic import BaseModel, Field

FaultMode = Literal["none", "latency", "timeout", "fail", "late", "duplicate", "down", "returned"]


class Faults(BaseModel):
    """``rate`` of the instructions meet ``mode``; the others are served normally.

    - latency: answer after ``latency_ms``.
    - timeout: execute the payment, answer only after ``hang_seconds`` (the caller gives up).
    - fail: refuse the payment (account frozen).
    - late: accept as pending, complete after ``late_seconds``, confirm by callback.
    - duplicate: send the confirmation callback twice.
    - down: answer 503 and execute nothing.
    - returned: complete the payment, then, ``late_seconds`` later, return it (the
      payee's account was closed): the bank's status turns to failed, told by callback.

    The bank counts each fault it injects (``GET /faults/injected``), so a test can
    show that the fault it asked for did happen.
    """

    mode: FaultMode = "none"
    rate: float = Field(1.0, ge=0, le=1)
    latency_ms: int = Field(200, ge=0)
    hang_seconds: float = Field(5.0, ge=0)
    late_seconds: float = Field(2.0, ge=0)
    seed: int = 0

    def hits(self, instruction_id: str, mode: FaultMode) -> bool:
        if self.mode != mode:
            return False
        return random.Random(f"{self.seed}:{instruction_id}").random() < self.rate
