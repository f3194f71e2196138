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
    # whose signatures a payout needs: the order (subsidy-svc), the payee (identity-svc)
    peer_urls: dict[str, str] = {  # noqa: RUF012 - pydantic copies defaults
        "identity-svc": "http://127.0.0.1:8001",
        "subsidy-svc": "http://127.0.0.1:8003",
    }
    # the bank signs its confirmations with this (HMAC-SHA256); given by the operator
    bank_webhook_secret: str | None = None
    # payment-svc's API key at the bank (the sandbox bank: SANDBOX_BANK_API_KEY)
    bank_api_key: str = ""
