from pydantic_settings import SettingsConfigDict

from qinqing_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PAYMENT_", extra="ignore")

    service_name: str = "payment-svc"
    database_url: str = "sqlite+aiosqlite:///var/payment.db"
    bank_url: str = "http://127.0.0.1:8009"
    bank_timeout_seconds: float = 2.0
    resolve_every_seconds: float = 2.0
    resolve_after_seconds: float = 5.0
    idempotency_ttl_hours: int = 24
    idempotency_lease_seconds: float = 10.0
