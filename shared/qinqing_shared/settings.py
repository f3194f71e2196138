"""Settings base shared by every service; each service subclasses it with its own prefix."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Read from the environment, e.g. ``IDENTITY_DATABASE_URL`` for identity-svc."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "qinqing"
    database_url: str = "sqlite+aiosqlite:///var/qinqing.db"
    nats_url: str = "nats://127.0.0.1:4222"
    # how often the relay looks for events its own process did not hand it (see outbox)
    outbox_scan_seconds: float = 2.0
    # how late a published event may be marked, to mark many in one commit (see outbox)
    outbox_mark_seconds: float = 0.2
    publish_events: bool = True
