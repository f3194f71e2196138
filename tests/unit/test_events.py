import pytest

from qinqing_shared.contracts.events import PAYOUT_COMPLETED
from qinqing_shared.events import CloudEvent, domain_of, stream_name


def test_binary_mode_headers_round_trip() -> None:
    event = CloudEvent(
        type=PAYOUT_COMPLETED,
        source="/qinqing/payment-svc",
        subject="app-1",
        data={"amount_fen": 100, "currency": "CNY"},
    )
    headers = event.headers()
    assert headers["ce-specversion"] == "1.0"
    assert headers["Nats-Msg-Id"] == headers["ce-id"] == event.id
    assert headers["ce-type"] == PAYOUT_COMPLETED
    assert CloudEvent.from_message(headers, event.body()) == event


def test_a_message_without_cloudevents_headers_is_refused() -> None:
    with pytest.raises(ValueError, match="CloudEvents"):
        CloudEvent.from_message({"content-type": "application/json"}, b"{}")


def test_one_stream_per_domain() -> None:
    assert domain_of(PAYOUT_COMPLETED) == "payment"
    assert stream_name("payment") == "QINQING_PAYMENT"


def test_ce_time_always_carries_its_zone() -> None:
    """RFC 3339 needs an offset; a time read back from SQLite comes without one."""
    import datetime as dt

    from identity_svc.models import OutboxEvent

    row = OutboxEvent(
        event_id="e1",
        subject=PAYOUT_COMPLETED,
        source="/s",
        occurred_at=dt.datetime(2026, 9, 1, 8, 0),
        ce_subject=None,
        data={},
    )
    assert row.to_event().headers()["ce-time"] == "2026-09-01T08:00:00+00:00"
