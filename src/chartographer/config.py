"""One settings object for the whole service.

Every knob is read from the environment with the ``CHARTOGRAPHER_`` prefix (or
passed explicitly to :func:`chartographer.app.create_app`). Nothing else in the
package reads the environment. Every default is safe to run on a laptop:
``make run`` needs no configuration at all.
"""

from __future__ import annotations

from ipaddress import ip_network
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: the embedded key-hash pepper: fine for ``open`` mode on a laptop, refused in ``keys`` mode
DEV_KEY_HASH_SECRET = "chartographer-dev-only-key-hash-secret"  # noqa: S105
#: how an operator makes a private secret; quoted in every message about one
MAKE_SECRET = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"  # noqa: S105
#: the TLS options of a ``rediss://`` redis_url that the rate-limit counters' connection takes
REDIS_TLS_OPTIONS = frozenset(
    {"ssl_ca_certs", "ssl_certfile", "ssl_keyfile", "ssl_cert_reqs", "ssl_check_hostname"}
)


class Settings(BaseSettings):
    """Service configuration with zero-config defaults."""

    model_config = SettingsConfigDict(env_prefix="CHARTOGRAPHER_", extra="ignore")

    # --- serving -----------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1, le=64, description="uvicorn worker processes")
    root_path: str = Field(default="", description="path prefix when served behind a proxy")
    log_level: str = "info"

    # --- HTTP server limits (chartographer serve; docs/deployment in README) ------
    server: Literal["granian", "uvicorn"] = Field(
        default="granian", description="ASGI server `chartographer serve` runs"
    )
    server_max_header_bytes: int = Field(
        default=65_536, ge=4096, le=16 << 20, description="request head larger than this: 431"
    )
    server_header_timeout: float = Field(
        default=10.0, gt=0, le=600, description="seconds to send the request head (slowloris)"
    )
    server_max_concurrency: int = Field(
        default=512, ge=1, description="requests handled at once per worker; more wait"
    )
    server_backlog: int = Field(
        default=1024, ge=128, description="connections the kernel queues before refusing"
    )
    server_shutdown_timeout: int = Field(
        default=20,
        ge=1,
        le=600,
        description="seconds a worker has after SIGTERM to finish its requests; then it is killed",
    )

    # --- rendering -----------------------------------------------------------
    render_processes: int = Field(
        default=2, ge=0, le=64, description="render worker processes; 0 renders in-process"
    )
    render_inline_pixels: int = Field(
        default=250_000,
        ge=0,
        le=4_000_000,
        description=(
            "a chart drawn on the canvas (at most 200 points) or a short QR code of at most "
            "this many device pixels is rendered in the server process when no render worker "
            "is busy, saving the round trip to a worker; 0: always use the workers"
        ),
    )
    render_timeout: float = Field(
        default=10.0, gt=0, le=300, description="seconds one render may take before it is killed"
    )
    render_queue: int = Field(
        default=64, ge=1, description="renders waiting for a worker before new ones get 503"
    )
    render_deadline: float = Field(
        default=15.0,
        gt=0,
        le=600,
        description="seconds one image request may spend queued plus rendering before 503",
    )

    # --- limits (native API; Google-compatible routes add their own) ------------
    max_width: int = Field(default=2000, ge=16, description="largest width in CSS pixels")
    max_height: int = Field(default=2000, ge=16, description="largest height in CSS pixels")
    max_pixels: int = Field(
        default=4_000_000, ge=256, description="largest output area, after scale, in pixels"
    )
    max_points: int = Field(default=10_000, ge=1, description="most data points over all series")
    max_series: int = Field(default=24, ge=1, description="most data series in one chart")
    max_label_length: int = Field(default=200, ge=1, description="longest label or title")
    max_labels: int = Field(default=2_000, ge=1, description="most category labels")

    # --- Google Image Charts at /chart (chartographer.charts.google) -------------
    google_max_side: int = Field(
        default=1000, ge=16, description="/chart: largest chs side in pixels (Google: 1000)"
    )
    google_max_pixels: int = Field(
        default=300_000, ge=256, description="/chart: largest chs area in pixels (Google: 300,000)"
    )
    dot_path: str = Field(default="dot", description="/chart cht=gv: the GraphViz dot binary")
    dot_timeout: float = Field(
        default=5.0, gt=0, le=60, description="/chart cht=gv: seconds dot may run"
    )

    # --- caching -------------------------------------------------------------
    cache_bytes: int = Field(
        default=64 * 1024 * 1024, ge=0, description="memory for rendered images; 0 disables"
    )
    cache_max_age: int = Field(
        default=86_400, ge=0, description="Cache-Control max-age for images, seconds"
    )

    # --- API management (chartographer.access; see docs/api-management.md) ----------
    # ``open``: no key needed, limits per client IP. ``keys``: a key or a valid
    # signature is required on every image and JSON API route.
    access_mode: Literal["open", "keys"] = "open"
    database_url: str = Field(
        default="sqlite:///./data/chartographer.db",
        description="SQLAlchemy URL: SQLite file (default) or postgresql+psycopg://…",
    )
    redis_url: str | None = Field(
        default=None, description="redis://host:port/db for shared limits; unset = in-memory"
    )
    key_hash_secret: SecretStr = Field(
        default=SecretStr(DEV_KEY_HASH_SECRET),
        description="HMAC pepper for stored key hashes; must be set in keys mode",
    )
    redis_outage: Literal["fail_open", "fail_closed"] = Field(
        default="fail_open", description="when Redis is down: local limiter (open) or 503"
    )
    redis_limiter_timeout: float = Field(
        default=1.0,
        gt=0,
        le=30,
        description="seconds a rate-limit Redis call may take before redis_outage applies",
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="CIDRs whose X-Forwarded-For/Forwarded are believed"
    )
    allow_cidrs: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="if set, only these client CIDRs are served"
    )
    deny_cidrs: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="client CIDRs that are always refused"
    )
    open_limits: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["50/second", "2000/minute"],
        description="open mode: rate limits per client IP (empty = unlimited)",
    )
    open_daily_quota: int | None = Field(default=None, ge=1, description="open mode, per IP")
    open_monthly_quota: int | None = Field(default=None, ge=1, description="open mode, per IP")
    usage_flush_seconds: float = Field(
        default=5.0, gt=0, le=3600, description="how often metered usage is written"
    )
    key_cache_seconds: float = Field(
        default=5.0, ge=0, le=3600, description="how long a key lookup is reused (revocation lag)"
    )

    # --- hardening (#8): which forwarded header trusted proxies speak ---------------
    forwarded_header: Literal["x-forwarded-for", "forwarded"] = Field(
        default="x-forwarded-for",
        description="the one header believed from trusted_proxies (X-Forwarded-For or RFC 7239 "
        "Forwarded); the other is ignored",
    )

    @field_validator("trusted_proxies", "allow_cidrs", "deny_cidrs", "open_limits", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        """Accept ``a,b`` as well as a JSON list from the environment."""
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [part.strip() for part in text.split(",") if part.strip()]
        return value

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        """A scheme Redis clients know, and only TLS options the counters apply."""
        if value is None:
            return value
        parts = urlsplit(value)
        if parts.scheme not in {"redis", "rediss", "unix"}:
            raise ValueError("must start with redis://, rediss:// or unix://")
        asked = {name for name, _ in parse_qsl(parts.query) if name.startswith("ssl_")}
        if unknown := sorted(asked - REDIS_TLS_OPTIONS):
            raise ValueError(
                f"TLS option(s) {', '.join(unknown)} are not supported; "
                f"supported: {', '.join(sorted(REDIS_TLS_OPTIONS))}"
            )
        return value

    @field_validator("trusted_proxies", "allow_cidrs", "deny_cidrs")
    @classmethod
    def _check_cidrs(cls, value: list[str]) -> list[str]:
        for cidr in value:
            ip_network(cidr, strict=False)  # ValueError names the bad entry
        return value

    @model_validator(mode="after")
    def _refuse_default_secret(self) -> Settings:
        if (
            self.access_mode == "keys"
            and self.key_hash_secret.get_secret_value() == DEV_KEY_HASH_SECRET
        ):
            raise ValueError(
                "CHARTOGRAPHER_KEY_HASH_SECRET must be set to a private value in keys mode "
                f"(make one with: {MAKE_SECRET})"
            )
        return self

    # --- static maps (chartographer.maps; see docs/static-maps.md) -------------------
    tiles: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        description="default tile source: XYZ URL template, mbtiles:///path/file.mbtiles or none",
    )
    tile_sources: dict[str, str | dict[str, str | int]] = Field(
        default_factory=dict,
        description='further named sources for maptype/tile_provider (JSON: {"name": "url"} '
        'or {"name": {"url": ..., "attribution": ..., "max_zoom": 19}})',
    )
    tile_attribution: str | None = Field(
        default=None, description="attribution drawn for the default source (else derived)"
    )
    tile_user_agent: str = Field(
        default="Chartographer/0.1 (self-hosted static maps; +https://chartographer.dev)",
        description="User-Agent sent to HTTP tile servers and the geocoder",
    )
    tile_contact: str | None = Field(
        default=None, description="operator contact (e-mail/URL) added to the User-Agent"
    )
    tile_cache_dir: str | None = Field(
        default=None, description="directory for the on-disk tile cache (memory only if unset)"
    )
    tile_cache_bytes: int = Field(default=64 * 1024 * 1024, ge=0, description="tile memory cache")
    tile_disk_cache_bytes: int = Field(
        default=1024 * 1024 * 1024, ge=0, description="tile disk cache size"
    )
    tile_min_freshness: int = Field(
        default=7 * 86_400, ge=0, description="tiles are reused at least this long, seconds"
    )
    tile_concurrency: int = Field(default=2, ge=1, le=64, description="parallel tile downloads")
    tile_timeout: float = Field(default=10.0, gt=0, le=120, description="tile request timeout, s")
    maps_max_size: int = Field(
        default=640, ge=16, le=2048, description="largest static map width/height, CSS pixels"
    )
    maps_max_markers: int = Field(default=256, ge=1, description="most markers in one map")
    maps_max_path_points: int = Field(
        default=10_000, ge=2, description="most path/polygon points in one map"
    )
    maps_max_places: int = Field(
        default=32, ge=0, description="most place names geocoded for one map"
    )
    map_icons: dict[str, str] = Field(
        default_factory=dict,
        description="icon allow-list: icon URL as used in requests → local PNG file",
    )
    geocoder_url: str | None = Field(
        default=None, description="Nominatim-compatible geocoder base URL (offline if unset)"
    )
    geocoder_min_population: int = Field(
        default=500, description="offline gazetteer: smallest place (500, 1000, 5000, 15000)"
    )
    gazetteer_dir: str = Field(
        default="./data/gazetteer",
        description="offline gazetteer: where its SQLite index is built once and shared by "
        "every worker (a temporary directory if this one is not writable)",
    )

    # --- portal (accounts, sessions, e-mail, OIDC; chartographer.portal, docs/portal.md) ---
    portal_enabled: bool = Field(default=True, description="serve the developer portal at /portal")
    portal_secret: SecretStr | None = Field(
        default=None,
        description="signs portal session cookies; unset = derived from the key-hash secret",
    )
    portal_public_url: str | None = Field(
        default=None,
        description="base URL put into e-mailed links and OIDC redirects (never the Host header); "
        "unset = http://{host}:{port}",
    )
    portal_cookie_secure: bool = Field(
        default=False, description="mark the session cookie Secure (set it behind HTTPS)"
    )
    portal_session_hours: float = Field(default=12, gt=0, le=24 * 30, description="session life")
    portal_require_approval: bool = Field(
        default=False, description="new accounts wait for an operator's approval"
    )
    portal_default_plan: str = Field(default="free", description="plan of a new account")
    portal_default_plan_limits: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["10/second", "1000/minute"],
        description="limits of the default plan when the portal has to create it",
    )
    portal_signin_limits: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["10/minute", "100/hour"],
        description="sign-in attempts allowed per client IP and per account",
    )
    portal_max_keys: int = Field(default=5, ge=1, le=100, description="active keys per account")
    portal_max_overlap_hours: int = Field(
        default=168, ge=0, le=24 * 90, description="longest overlap a rolled key may keep working"
    )
    portal_token_hours: float = Field(
        default=24, gt=0, le=24 * 14, description="life of e-mailed confirmation/reset links"
    )
    portal_live_seconds: float = Field(
        default=2.0, gt=0, le=60, description="live usage counter: seconds between events"
    )
    portal_live_max_seconds: float = Field(
        default=300, gt=0, le=3600, description="live usage counter: one stream's life (reconnects)"
    )
    smtp_host: str | None = Field(default=None, description="SMTP server; unset = links are logged")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_starttls: bool = Field(default=False, description="STARTTLS before authenticating")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_sender: str = Field(default="chartographer@localhost", description="From: of portal mail")
    oidc_discovery_url: str | None = Field(
        default=None, description="OpenID provider's /.well-known/openid-configuration"
    )
    oidc_entra_tenant: str | None = Field(
        default=None, description="Microsoft Entra ID preset: tenant id (sets the discovery URL)"
    )
    oidc_client_id: str | None = None
    oidc_client_secret: SecretStr | None = None
    oidc_label: str = Field(default="", description="sign-in button text (default by provider)")
    oidc_scopes: str = Field(default="openid email profile")

    @field_validator("portal_default_plan_limits", "portal_signin_limits", mode="before")
    @classmethod
    def _split_portal_lists(cls, value: object) -> object:
        return cls._split_list(value)

    @property
    def oidc_metadata_url(self) -> str | None:
        """The discovery URL, from the setting or the Entra ID preset."""
        if self.oidc_discovery_url:
            return self.oidc_discovery_url
        if self.oidc_entra_tenant:
            return (
                f"https://login.microsoftonline.com/{self.oidc_entra_tenant}"
                "/v2.0/.well-known/openid-configuration"
            )
        return None

    @property
    def portal_base_url(self) -> str:
        return (self.portal_public_url or f"http://{self.host}:{self.port}").rstrip("/")

    # --- operations: metrics, logs, shared image cache, usage journal (docs/deployment.md) ---
    metrics: bool = Field(default=True, description="serve Prometheus metrics at /metrics")
    metrics_port: int | None = Field(
        default=None, ge=1, le=65535, description="serve /metrics on this port only (not the API's)"
    )
    metrics_host: str = Field(default="127.0.0.1", description="interface for metrics_port")
    metrics_public: bool = Field(
        default=False, description="keys mode: /metrics on the API port without a token"
    )
    metrics_token: SecretStr | None = Field(
        default=None, description="keys mode: /metrics needs Authorization: Bearer <token>"
    )
    metrics_dir: str | None = Field(
        default=None,
        description="directory shared by worker processes for metrics (temporary if unset)",
    )
    log_format: Literal["text", "json"] = Field(
        default="text", description="text lines, or one JSON object per line"
    )
    redis_cache: bool = Field(
        default=True, description="share rendered images through redis_url when it is set"
    )
    redis_cache_ttl: int = Field(
        default=86_400, ge=1, description="seconds a rendered image is kept in Redis"
    )
    redis_cache_max_item_bytes: int = Field(
        default=2 * 1024 * 1024, ge=1, description="larger images are not put in Redis"
    )
    redis_cache_timeout: float = Field(
        default=0.25, gt=0, le=10, description="seconds a Redis cache call may take"
    )
    usage_journal_dir: str | None = Field(
        default="./data/usage-journal",
        description="append-only journal of metered calls (survives kill -9); empty disables",
    )
    usage_journal_fsync_seconds: float = Field(
        default=1.0, gt=0, le=60, description="how often the journal is fsynced (machine crash)"
    )


# --- configuration errors as one line (chartographer.cli) ---------------------------
class ConfigError(ValueError):
    """The environment does not make a valid :class:`Settings`; the message is one line."""


def load_settings(**overrides: Any) -> Settings:
    """``Settings()`` from the environment, or :class:`ConfigError` naming each bad variable."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            names = [str(part) for part in error.get("loc", ()) if isinstance(part, str)]
            message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
            if names:
                problems.append(f"CHARTOGRAPHER_{names[0].upper()}: {message}")
            else:
                problems.append(message)
        raise ConfigError("configuration error: " + "; ".join(problems)) from None
