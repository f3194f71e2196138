from pydantic_settings import SettingsConfigDict

from qinqing_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="SUBSIDY_", extra="ignore")

    service_name: str = "subsidy-svc"
    database_url: str = "sqlite+aiosqlite:///var/subsidy.db"
