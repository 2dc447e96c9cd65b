"""Configuration from the environment. Nothing is required for the embedded default; production
mode refuses to start without its secrets."""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tenants.local_keys import local_keys

APP_ROLE = "firstcall_app"
OWNER_ROLE = "firstcall_owner"
# Resident (owner-app) sessions switch to this role for their transaction (docs/resident-services.md §2.3).
RESIDENT_ROLE = "firstcall_resident"


class ConfigurationError(RuntimeError):
    """A setting is missing or wrong; the message names it."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", case_sensitive=False, extra="ignore")

    mode: Literal["development", "production"] = Field("development", alias="FIRSTCALL_MODE")
    # Connection used by migrations and provisioning (the owner role, or a superuser that
    # creates it). Unset: the embedded PostgreSQL under data_dir.
    database_url: str | None = Field(None, alias="DATABASE_URL")
    # Connection of the application role. Unset: DATABASE_URL with the application role's name.
    app_database_url: str | None = Field(None, alias="APP_DATABASE_URL")
    app_db_password: SecretStr = Field(SecretStr("firstcall_app"), alias="APP_DB_PASSWORD")
    broker_url: str | None = Field(None, alias="BROKER_URL")
    secret_key: SecretStr | None = Field(None, alias="SECRET_KEY")
    # Separate keys, so a leaked signing key does not also decrypt personal data.
    data_key: SecretStr | None = Field(None, alias="DATA_ENCRYPTION_KEY")
    lookup_key: SecretStr | None = Field(None, alias="LOOKUP_HASH_KEY")
    otel_endpoint: str | None = Field(None, alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    otel_service_name: str = Field("firstcall", alias="OTEL_SERVICE_NAME")
    data_dir: Path = Field(Path(".firstcall"), alias="FIRSTCALL_DATA_DIR")
    host: str = Field("127.0.0.1", alias="FIRSTCALL_HOST")
    port: int = Field(8000, alias="FIRSTCALL_PORT")
    access_token_minutes: int = Field(15, alias="ACCESS_TOKEN_MINUTES", ge=1, le=1440)
    # Resident (owner-app) tokens: short, and never refreshed — the integrator exchanges its key again.
    resident_token_minutes: int = Field(15, alias="FIRSTCALL_RESIDENT_TOKEN_MINUTES", ge=5, le=60)
    refresh_token_days: int = Field(30, alias="REFRESH_TOKEN_DAYS", ge=1, le=365)
    db_pool_size: int = Field(10, alias="DB_POOL_SIZE", ge=1, le=200)
    # The compiled path for case lists (api/graphql/compiled); off only to compare against it.
    compiled_reads: bool = Field(True, alias="FIRSTCALL_COMPILED_READS")
    # Seconds an idle kept-alive HTTP connection stays open. Longer than any client's or proxy's own
    # idle limit (httpx 5 s, nginx upstream 60 s, Caddy 60 s as configured in docs/deploy.md), so the
    # client always closes first: a server closing at the moment a client reuses the connection
    # loses that request (uvicorn's default, 5 s, races httpx's 5 s).
    keep_alive_seconds: int = Field(75, alias="FIRSTCALL_KEEP_ALIVE_SECONDS", ge=1, le=3600)
    # Kept overviews served on the companies' versions pushed by LISTEN (api/live/overview_versions.py).
    # Off where a version's NOTIFY may not reach the API's session (Citus: docs/scaling.md), so each
    # kept overview asks the database again.
    overview_push: bool = Field(True, alias="FIRSTCALL_OVERVIEW_PUSH")
    statement_timeout_ms: int = Field(10_000, alias="STATEMENT_TIMEOUT_MS", ge=100)
    # E-mail delivery channels: the relay they send through.
    smtp_host: str | None = Field(None, alias="SMTP_HOST")
    smtp_port: int = Field(25, alias="SMTP_PORT", ge=1, le=65535)
    smtp_from: str = Field("firstcall@localhost", alias="SMTP_FROM")
    smtp_username: str | None = Field(None, alias="SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(None, alias="SMTP_PASSWORD")
    smtp_starttls: bool = Field(False, alias="SMTP_STARTTLS")
    # Development and tests only: signed messages may go to receivers on this machine's loopback.
    # Every other non-public address (our network, the cloud's metadata address) stays refused.
    allow_loopback_deliveries: bool = Field(False, alias="FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES")
    # Proxies whose X-Forwarded-For names the client (comma-separated addresses or networks); from
    # anyone else the header is ignored, or a guesser could name a new source with every attempt.
    trusted_proxies: str = Field("", alias="FIRSTCALL_TRUSTED_PROXIES")
    # `firstcall demo`: a new case every this many seconds, and open cases moved on; 0 stops it.
    demo_trickle_seconds: float = Field(15.0, alias="FIRSTCALL_DEMO_TRICKLE_SECONDS", ge=0)

    @model_validator(mode="after")
    def _production_needs_secrets(self) -> Settings:
        proxy_networks(self.trusted_proxies)  # a typo stops start-up rather than trusting nobody silently
        if self.mode == "production":
            missing = [
                name
                for name, value in (
                    ("DATABASE_URL", self.database_url),
                    ("SECRET_KEY", self.secret_key),
                    ("DATA_ENCRYPTION_KEY", self.data_key),
                    ("LOOKUP_HASH_KEY", self.lookup_key),
                    ("BROKER_URL", self.broker_url),
                )
                if not value
            ]
            if missing:
                raise ConfigurationError(
                    "production mode needs these settings: " + ", ".join(missing)
                )
            if self.allow_loopback_deliveries:
                raise ConfigurationError("FIRSTCALL_ALLOW_LOOPBACK_DELIVERIES is for development and tests only")
            if self.app_db_password.get_secret_value() == "firstcall_app" and not self.app_database_url:
                raise ConfigurationError(
                    "production mode needs APP_DB_PASSWORD (or APP_DATABASE_URL) for the application role"
                )
        return self

    @property
    def embedded(self) -> bool:
        return self.database_url is None

    def secret(self, name: Literal["secret_key", "data_key", "lookup_key"]) -> bytes:
        value: SecretStr | None = getattr(self, name)
        if value is None:  # development only: production refuses to start without them
            return local_keys(str(self.data_dir.resolve()))[name]
        return value.get_secret_value().encode()


@lru_cache(maxsize=8)
def proxy_networks(value: str) -> tuple[IPv4Network | IPv6Network, ...]:
    try:
        return tuple(ip_network(part.strip(), strict=False) for part in value.split(",") if part.strip())
    except ValueError as e:
        raise ConfigurationError(f"FIRSTCALL_TRUSTED_PROXIES: {e}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    try:
        return Settings()  # type: ignore[call-arg]  # pydantic-settings fills the fields from the environment
    except ConfigurationError:
        raise
    except Exception as exc:  # pydantic's ValidationError, reworded for an operator
        raise ConfigurationError(f"invalid configuration: {exc}") from exc
