from pydantic_settings import SettingsConfigDict

from qinqing_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CATALOG_", extra="ignore")

    service_name: str = "catalog-svc"
    database_url: str = "sqlite+aiosqlite:///var/catalog.db"
    # whose signed answers it records: subsidy-svc's decisions of service items
    peer_urls: dict[str, str] = {  # noqa: RUF012 - pydantic copies defaults
        "subsidy-svc": "http://127.0.0.1:8003",
    }
