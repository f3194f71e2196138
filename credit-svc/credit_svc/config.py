from pydantic_settings import SettingsConfigDict

from qinqing_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CREDIT_", extra="ignore")

    service_name: str = "credit-svc"
    database_url: str = "sqlite+aiosqlite:///var/credit.db"
