"""Per-client rate limits and quotas (the ``limits`` library), answered 429 with Retry-After.

A verified caller is counted by its ``client_id`` (``authenticate`` does it, so a forged
token cannot spend another client's quota); an anonymous call to a public route by the
caller's address. The platform's services are not counted: the outside caller they act
for already was, at the gateway. Counting is in the process's memory, with a sliding window: a limit
holds per gateway process (docs/security.md).
"""

from __future__ import annotations

import math
import time

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import SlidingWindowCounterRateLimiter

from qinqing_shared.auth.jwks import JwksUnavailable
from qinqing_shared.auth.tokens import Caller, InvalidToken, TokenVerifier
from qinqing_shared.problems import Problem


class RateLimits:
    def __init__(self, per_client: str, anonymous: str, overrides: dict[str, str]) -> None:
        self.per_client = parse(per_client)
        self.anonymous = parse(anonymous)
        self.overrides = {client: parse(limit) for client, limit in overrides.items()}
        self.limiter = SlidingWindowCounterRateLimiter(MemoryStorage())

    def caller(self, caller: Caller) -> None:
        """A verified caller's quota is its client's. An enterprise signed in through an
        app (the portal, or any app its staff sign in to) is counted by app and
        enterprise: one enterprise's staff never spend another's quota."""
        who = caller.client_id
        if caller.kind == "enterprise" and caller.uscc is not None:
            who = f"{caller.client_id}@{caller.uscc}"
        self._hit(self.overrides.get(caller.client_id, self.per_client), "client", who)

    def address(self, address: str) -> None:
        self._hit(self.anonymous, "address", address)

    def _hit(self, item: RateLimitItem, kind: str, who: str) -> None:
        if self.limiter.hit(item, kind, who):
            return
        reset = self.limiter.get_window_stats(item, kind, who).reset_time
        problem = Problem(
            429,
            "rate-limited",
            "Too many requests",
            f"This {kind} may make {item} requests; retry after the time given.",
        )
        problem.headers = {"Retry-After": str(max(1, math.ceil(reset - time.time())))}
        raise problem


async def limit_anonymous(request: Request) -> None:
    """Dependency of every public route: count the call against the caller's address.

    A call that carries a valid access token is counted as that client's instead, and a
    platform service's (the gateway reading a policy for a flow) is not counted.
    """
    limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
    if limits is None:
        return
    caller = await _token_holder(request)
    if caller is None:
        limits.address(request.client.host if request.client else "unknown")
    elif caller.kind != "service":
        limits.caller(caller)


async def _token_holder(request: Request) -> Caller | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    verifier: TokenVerifier | None = getattr(request.app.state, "verifier", None)
    if scheme.lower() != "bearer" or not token or verifier is None:
        return None
    try:
        return await verifier.verify(token)
    except (InvalidToken, JwksUnavailable):
        return None  # a public route: an unusable token makes the call anonymous
