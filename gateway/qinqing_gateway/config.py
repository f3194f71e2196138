import datetime as dt

from pydantic_settings import SettingsConfigDict

from qinqing_shared.settings import ServiceSettings

CHINA = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore")

    service_name: str = "gateway"
    database_url: str = "sqlite+aiosqlite:///var/gateway.db"
    identity_url: str = "http://127.0.0.1:8001"
    catalog_url: str = "http://127.0.0.1:8002"
    subsidy_url: str = "http://127.0.0.1:8003"
    credit_url: str = "http://127.0.0.1:8004"
    payment_url: str = "http://127.0.0.1:8005"
    sweep_seconds: float = 5.0
    stale_seconds: float = 10.0
    idempotency_ttl_hours: int = 24
    # a finished flow's steps (its payee account among them) are kept this long; the
    # application's final answer stays
    flow_steps_retention_days: float = 30.0
    # A key left in progress this long by a crashed request may be taken over.
    idempotency_lease_seconds: float = 30.0
    # A published policy is kept this long at most (dropped at once when catalog-svc
    # publishes a new version of it; this bounds a missed notice). 0: never kept.
    policy_cache_seconds: float = 30.0
    # Webhooks (qinqing_gateway.webhooks): a delivery is tried this many times, waiting
    # between tries as listed (the last wait repeats), each try given this long
    webhook_max_attempts: int = 8
    webhook_backoff_seconds: tuple[float, ...] = (5, 30, 120, 600, 1800, 3600, 7200)
    webhook_timeout_seconds: float = 5.0
    webhook_poll_seconds: float = 1.0  # how often the dispatcher looks for due deliveries
    # how soon an endpoint registered on another gateway instance is delivered to
    webhook_refresh_seconds: float = 5.0
    # development and tests only: plain http and loopback or private addresses
    webhooks_allow_private: bool = False
    webhook_retention_days: float = 30.0  # delivered deliveries are kept this long
    # Pins the application date (demos, reproducible tests); unset means today in China.
    business_date: dt.date | None = None
    # An open credit commitment's department data is asked again this often (and at
    # once when the department sends a fact of its kind), until its verification date.
    commitment_recheck_seconds: float = 3600.0
    # Proactive runs (qinqing_gateway.proactive): enterprises evaluated per batch, batches
    # per round of the job, notices paid at once, and how often a run waiting for its
    # notice periods to end looks again for notices due.
    proactive_page_size: int = 200
    proactive_batches_per_round: int = 20
    proactive_pay_concurrency: int = 4
    proactive_recheck_seconds: float = 300.0
    # The pages (qinqing_gateway.web): the origin browsers reach the gateway at (the
    # portal's redirect address is made from it), and where the pages call the public
    # API; both default to the OAuth issuer's address.
    web_origin: str | None = None
    web_api_url: str | None = None
    # The portal's OAuth client secret, the same for every gateway instance (made by
    # the setup); unset, one is made in the key folder at first start.
    portal_client_secret: str = ""

    def today(self) -> dt.date:
        """The business day: pinned, or today in China."""
        return self.business_date or dt.datetime.now(CHINA).date()
