"""Webhooks' parts without I/O: the signature (checked by the Standard Webhooks
library, not by our own code), which URLs may be called, and when a try comes again."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from qinqing_gateway.webhooks import addresses, signing
from qinqing_gateway.webhooks.dispatch import Policy

BODY = b'{"type":"qinqing.payment.payout.completed.v1","data":{"amount_fen":1000000}}'


def test_a_delivery_verifies_with_the_standard_webhooks_library() -> None:
    secret = signing.new_secret()
    now = int(time.time())
    headers = signing.headers(secret, "msg-1", now, BODY)
    verified = Webhook(secret).verify(BODY, headers)
    assert verified["data"] == {"amount_fen": 1000000}


def test_a_changed_body_or_another_secret_does_not_verify() -> None:
    secret = signing.new_secret()
    headers = signing.headers(secret, "msg-1", int(time.time()), BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"1000000", b"9000000"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(BODY, headers)


def test_secrets_are_new_each_time_and_of_the_standard_form() -> None:
    made = {signing.new_secret() for _ in range(20)}
    assert len(made) == 20
    assert all(s.startswith("whsec_") and len(s) == 50 for s in made)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://93.184.216.34/hook", "must use https"),
        ("https://127.0.0.1/hook", "not public"),
        ("https://10.1.2.3/hook", "not public"),
        ("https://192.168.1.1/hook", "not public"),
        ("https://169.254.169.254/latest/meta-data", "not public"),
        ("https://[::1]/hook", "not public"),
        ("https://user:pw@93.184.216.34/hook", "without credentials"),
        ("https:///hook", "names a host"),
        ("https://93.184.216.34:99999/hook", "port must be a number"),
        ("ftp://93.184.216.34/hook", "must use https"),
    ],
)
async def test_a_url_the_platform_must_not_call_is_refused(url: str, why: str) -> None:
    with pytest.raises(addresses.AddressRefused, match=why):
        await addresses.check(url, allow_private=False)


async def test_a_public_https_address_is_allowed() -> None:
    await addresses.check("https://93.184.216.34/hooks/qinqing", allow_private=False)


async def test_development_allows_plain_http_to_loopback() -> None:
    await addresses.check("http://127.0.0.1:9/hook", allow_private=True)
    with pytest.raises(addresses.AddressRefused, match="must use https"):
        await addresses.check("ftp://127.0.0.1/hook", allow_private=True)


def test_a_failed_try_comes_again_after_the_listed_waits_then_never() -> None:
    policy = Policy(
        max_attempts=5, backoff_seconds=(1, 10, 60), timeout_seconds=5, allow_private=False
    )
    now = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    waits = [policy.retry_at(n, now) for n in range(1, 6)]
    assert waits == [
        now + dt.timedelta(seconds=1),
        now + dt.timedelta(seconds=10),
        now + dt.timedelta(seconds=60),
        now + dt.timedelta(seconds=60),  # the last wait repeats
        None,  # the fifth failed try was the last: dead
    ]
