from pydantic_settings import SettingsConfigDict

from qinqing_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SUBSIDY_", extra="ignore")

    service_name: str = "subsidy-svc"
    database_url: str = "sqlite+aiosqlite:///var/subsidy.db"
    # whose signed answers it decides on: the enterprise, the policy, the credit verdict
    peer_urls: dict[str, str] = {  # noqa: RUF012 - pydantic copies defaults
        "identity-svc": "http://127.0.0.1:8001",
        "catalog-svc": "http://127.0.0.1:8002",
        "credit-svc": "http://127.0.0.1:8004",
    }
