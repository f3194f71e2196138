"""Pilot enterprises for end-to-end tests: registered by market regulation, applied for
by the load app (granted every pilot of tests/e2e/conftest.py's PILOTS once, when the
platform starts), followed until the application is final.

Each test takes pilot numbers of its own (chaos.pilot_enterprise), so tests sharing one
platform never claim for the same person: 5000, 5101-5102, 5301, 5401, 5501, 5601,
5701-5703, 5801, 5901, 7001, 7101, 7201-7203, 7301-7303, 7401-7402, 7501-7504,
8150-8151, 8160-8162, 8170, 8180-8181, 8190-8191,
8200-8202.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

import httpx

from qinqing_devtools import chaos
from qinqing_devtools.platform import Platform


async def registered(platform: Platform, n: int, **changes: Any) -> dict[str, Any]:
    """Pilot ``n`` (with ``changes`` to its record), registered on the platform."""
    body = chaos.pilot_enterprise(n) | changes
    await chaos.register(platform, [body])
    return body


async def final_answer(platform: Platform, uscc: str, path: str | None = None) -> dict[str, Any]:
    """The load app applies for ``uscc`` (one key) and asks until the answer is final:
    to the rental subsidy, or the policy whose applications ``path`` names."""
    auth = platform.auth(chaos.LOAD_APP)
    more = {"path": path} if path else {}
    async with httpx.AsyncClient(base_url=platform.gateway_url, timeout=60, auth=auth) as client:
        final: dict[str, Any] = await chaos.apply_until_final(
            client, uscc, str(uuid.uuid4()), time.monotonic() + 60, **more
        )
    return final


async def applied(platform: Platform, n: int, **changes: Any) -> dict[str, Any]:
    """Pilot ``n`` registered, applied for, and its final answer."""
    body = await registered(platform, n, **changes)
    return await final_answer(platform, body["uscc"])
