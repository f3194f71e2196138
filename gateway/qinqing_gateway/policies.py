"""Published policies, as catalog-svc signed them, kept a short while by the gateway.

A policy changes rarely and is read by every application: asking catalog-svc each time
cost a hop per application. A cached policy is dropped when catalog-svc publishes a new
version of it (``qinqing.catalog.policy.published.v1``, heard on NATS), and is never
kept longer than ``max_age`` anyway: a notice missed while NATS was away delays a new
version by that much at most. Each copy is catalog-svc's own signed answer, so
subsidy-svc still decides only on what catalog-svc signed (its signature lives 24 h).
A copy is of the version in effect on a given day (an amendment takes effect on its
``valid_from``), so copies are kept per policy and day.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable

from nats.aio.msg import Msg

from qinqing_shared.contracts.catalog import Policy
from qinqing_shared.contracts.events import POLICY_PUBLISHED
from qinqing_shared.events import CloudEvent
from qinqing_shared.http import ServiceClient
from qinqing_shared.messaging import Messaging

log = logging.getLogger("gateway.policies")


class PolicyCache:
    def __init__(
        self,
        catalog: ServiceClient,
        max_age: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.catalog = catalog
        self.max_age = max_age
        self.clock = clock
        self._kept: dict[tuple[str, dt.date], tuple[float, Policy]] = {}

    async def get(self, policy_id: str, on: dt.date) -> Policy:
        """The version deciding applications made on ``on``, as catalog-svc signed it (its
        404 answered as is)."""
        kept = self._kept.get((policy_id, on))
        if kept is not None and self.clock() - kept[0] < self.max_age:
            return kept[1]
        fetched_at = self.clock()
        path = f"/policies/{policy_id}?on={on.isoformat()}"
        policy = Policy.model_validate(await self.catalog.request("GET", path))
        if self.max_age > 0:
            self._kept[policy_id, on] = (fetched_at, policy)
        return policy

    def forget(self, policy_id: str) -> None:
        for key in [k for k in self._kept if k[0] == policy_id]:
            del self._kept[key]

    async def on_published(self, msg: Msg) -> None:
        try:
            event = CloudEvent.from_message(msg.headers, msg.data)
        except (ValueError, KeyError):
            self._kept.clear()  # unreadable: forget everything, to be safe
            return
        if event.source != "/qinqing/catalog-svc":
            return
        if event.subject:
            self.forget(event.subject)
        else:
            self._kept.clear()

    async def listen_forever(self, messaging: Messaging) -> None:
        """Drop a policy as soon as catalog-svc publishes a new version of it."""
        await messaging.ready.wait()
        assert messaging.client is not None
        await messaging.client.subscribe(POLICY_PUBLISHED, cb=self.on_published)
        self._kept.clear()  # what was kept before listening may be stale
        await asyncio.Event().wait()  # the subscription lives with the connection
