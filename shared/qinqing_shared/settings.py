"""Settings base shared by every service; each service subclasses it with its own prefix."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Read from the environment, e.g. ``IDENTITY_DATABASE_URL`` for identity-svc."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "qinqing"
    database_url: str = "sqlite+aiosqlite:///var/qinqing.db"
    nats_url: str = "nats://127.0.0.1:4222"
    outbox_poll_seconds: float = 0.5
    publish_events: bool = True
