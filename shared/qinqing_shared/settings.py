"""Settings base shared by every service; each service subclasses it with its own prefix."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Read from the environment, e.g. ``IDENTITY_DATABASE_URL`` for identity-svc."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "qinqing"
    database_url: str = "sqlite+aiosqlite:///var/qinqing.db"
    nats_url: str = "nats://127.0.0.1:4222"
    # how often the relay looks for events its own process did not hand it (see outbox)
    outbox_scan_seconds: float = 2.0
    # how late a published event may be marked, to mark many in one commit (see outbox)
    outbox_mark_seconds: float = 0.2
    publish_events: bool = True
    # copies of each JetStream stream this service creates: 1 on one NATS server, 3 on a
    # three-node cluster (deploy/k8s); a stream that exists keeps its own
    stream_replicas: int = Field(1, ge=1, le=5)
    # Retention (docs/security.md): how long rows that have served are kept, and how
    # often the purge job runs
    retention_every_seconds: float = 3_600.0
    outbox_retention_days: float = 7.0  # events on NATS (the stream keeps them)
    inbox_retention_days: float = 30.0  # ids of handled events: outlasts any redelivery
    jobs_retention_days: float = 30.0  # jobs done (pending ones are never purged)
    # Due work (qinqing_shared.jobs, docs/jobs.md): how often each instance looks for due
    # jobs, and how long a claimed job is its runner's before another may take it over
    jobs_poll_seconds: float = Field(2.0, gt=0)
    jobs_lease_seconds: float = Field(300.0, gt=0)
    # Tests only: a file holding the seconds by which the service's clock (due work,
    # time limits) runs ahead of the system's (qinqing_shared.jobs.ShiftedClock)
    clock_shift_file: Path | None = None
    # Development routes (an internal service's OpenAPI document): off unless set, and
    # even then only to operators. The gateway's public API document is always served.
    dev_routes: bool = False
    # Bounds on every request (docs/security.md): the body (413 beyond it), the request
    # line and headers (431), how long headers may take to arrive (408), how long a
    # request may run (503 timed-out) and how many run at once (503 overloaded).
    max_body_bytes: int = 1_048_576
    max_header_bytes: int = 16_384
    header_timeout_seconds: float = 10.0
    request_timeout_seconds: float = 60.0
    max_concurrent_requests: int = 256
    # Rate limits (the limits library's notation): a verified caller by its client_id
    # (services' own calls are not counted), an anonymous call by its address.
    rate_limit: str = "1200/minute"
    anonymous_rate_limit: str = "600/minute"
    # a client's own quota instead of rate_limit, e.g. {"load-app": "1000000/minute"}
    client_rate_limits: dict[str, str] = {}
    # The authorization server whose access tokens this service accepts: the platform's
    # own (the gateway's origin) unless an external OpenID Connect issuer is configured.
    oauth_issuer: str = "http://127.0.0.1:8000"
    oauth_jwks_url: str | None = None  # default: <issuer>/.well-known/jwks.json
    # An external OpenID Connect issuer trusted for outside callers' tokens (a city's own
    # identity provider), beside the platform's own, which still issues services' tokens.
    # Its JWKS is found by discovery unless external_jwks_url names it (docs/security.md).
    external_issuer: str | None = None
    external_jwks_url: str | None = None
    # how long known public keys (the issuer's, peers') serve before they are read again,
    # so a retired key stops verifying (an unknown key id is looked up at once)
    jwks_max_age_seconds: float = 300.0
    # where the service keeps the keys it generates at first start (see auth.keys)
    keys_dir: Path | None = None  # default: var/keys/<service_name>
    # peers whose signed answers this service verifies: service name -> base URL
    peer_urls: dict[str, str] = {}

    @property
    def jwks_url(self) -> str:
        return self.oauth_jwks_url or self.oauth_issuer.rstrip("/") + "/.well-known/jwks.json"

    def trusted_issuers(self) -> dict[str, str | None]:
        """Issuer -> JWKS URL, for every issuer whose access tokens are accepted (None:
        the external issuer's OpenID Connect discovery document names it)."""
        issuers: dict[str, str | None] = {self.oauth_issuer: self.jwks_url}
        if self.external_issuer:
            issuers[self.external_issuer] = self.external_jwks_url
        return issuers

    @property
    def key_folder(self) -> Path:
        return self.keys_dir or Path("var/keys") / self.service_name
