"""NATS: nobody connects anonymously, and each user uses only its own streams."""

from __future__ import annotations

import contextlib
import json

import nats
import pytest
from nats.js.api import ConsumerConfig

from qinqing_devtools import nats_users
from qinqing_devtools.platform import Platform

pytestmark = pytest.mark.e2e


async def connect(platform: Platform, user: str | None) -> nats.NATS:
    url = platform.nats_url if user is None else platform.nats_user_url(user)
    return await nats.connect(url, allow_reconnect=False, connect_timeout=3)


async def may_read(client: nats.NATS, stream: str, durable: str) -> bool:
    """Whether this user may create a durable pull consumer on the stream."""
    js = client.jetstream(timeout=2)
    try:
        sub = await js.pull_subscribe(
            f"qinqing.{stream.removeprefix('QINQING_').lower()}.>",
            durable=durable,
            stream=stream,
            config=ConsumerConfig(),
        )
    except Exception:  # noqa: BLE001 - a refused API call answers nothing: it times out
        return False
    await sub.unsubscribe()
    with contextlib.suppress(Exception):
        await js.delete_consumer(stream, durable)
    return True


async def test_nobody_connects_anonymously(platform: Platform) -> None:
    with pytest.raises(Exception, match=r"(?i)authorization|no servers"):
        await connect(platform, None)


async def test_a_department_reads_its_streams_and_no_other(platform: Platform) -> None:
    client = await connect(platform, "hrss-subscriber")
    try:
        payments = await may_read(client, "QINQING_PAYMENT", "hrss-test-payments")
        identity = await may_read(client, "QINQING_IDENTITY", "hrss-test-identity")
    finally:
        await client.close()
    assert (payments, identity) == (True, False)


async def test_a_service_publishes_only_on_its_own_subjects(platform: Platform) -> None:
    """subsidy-svc cannot put a payout event on payment's stream (nor read identity's)."""
    client = await connect(platform, "subsidy-svc")
    admin = await nats.connect(platform.nats_admin_url)
    try:
        js, ops = client.jetstream(timeout=2), admin.jetstream()
        before = (await ops.stream_info("QINQING_PAYMENT")).state.messages
        forged = json.dumps({"application_id": "forged", "amount_fen": 1}).encode()
        with pytest.raises(Exception):  # noqa: B017, PT011 - no ack comes: a timeout
            await js.publish("qinqing.payment.payout.completed.v1", forged)
        after = (await ops.stream_info("QINQING_PAYMENT")).state.messages
        identity = await may_read(client, "QINQING_IDENTITY", "subsidy-test-identity")
    finally:
        await client.close()
        await admin.close()
    assert (after - before, identity) == (0, False)


def test_every_service_and_department_has_a_user_of_its_own() -> None:
    users = set(nats_users.SERVICES) | set(nats_users.DEPARTMENTS) | set(nats_users.FEEDS)
    assert users == {
        "identity-svc",
        "catalog-svc",
        "subsidy-svc",
        "credit-svc",
        "payment-svc",
        "gateway",
        "hrss-subscriber",
        "msa-feed",
        "psb-feed",
        "hrss-feed",
        "edu-feed",
        "hou-feed",
        "tax-feed",
    }
