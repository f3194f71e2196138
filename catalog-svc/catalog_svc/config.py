from pydantic_settings import SettingsConfigDict

from qinqing_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CATALOG_", extra="ignore")

    service_name: str = "catalog-svc"
    database_url: str = "sqlite+aiosqlite:///var/catalog.db"
