from pydantic_settings import SettingsConfigDict

from qinqing_shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="IDENTITY_", extra="ignore")

    service_name: str = "identity-svc"
    database_url: str = "sqlite+aiosqlite:///var/identity.db"
    # the bank that confirms who holds a payee account (the sandbox bank here)
    bank_url: str = "http://127.0.0.1:8009"
    # append every service's audit records to the chain (off only in tests of other parts)
    audit_chain: bool = True
    bank_api_key: str = ""
