"""One settings object for the whole app, read from the environment (and an optional `.env`).

Every variable (docs/configuration.md lists them) has a working default so `make run` needs no setup.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# Kept beside the project (git-ignored) so restarts do not invalidate links already mailed.
DEV_KEY_FILE = Path(__file__).resolve().parent.parent / ".dev-secret-key"


def _dev_secret_key(path: Path = DEV_KEY_FILE) -> str:
    """Return the generated development key, creating it on first use.

    Several backend workers may start at once (REDIS_URL): the key is written to a private temporary file
    and hard-linked into place, which only the first process can do, so every worker reads the same key.
    """
    if not path.exists():
        with tempfile.NamedTemporaryFile("w", dir=path.parent, prefix=".dev-key-", delete=False) as draft:
            draft.write(secrets.token_urlsafe(48) + "\n")  # mkstemp: readable by this user only
        try:
            os.link(draft.name, path)
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            os.unlink(draft.name)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it to generate a new development key")
    return key


def _default_base_url() -> str:
    """The app's own address when STOREFRONT_BASE_URL is unset: localhost on the port it serves.

    `reflex run --frontend-port P` exports REFLEX_FRONTEND_PORT to the backend; `make run` passes PORT.
    """
    port = os.environ.get("REFLEX_FRONTEND_PORT") or os.environ.get("PORT") or "3000"
    return f"http://localhost:{port}"


class Settings(BaseSettings):
    """The storefront's configuration (see docs/configuration.md)."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    database_url: str = Field("sqlite:///storefront.db", alias="DATABASE_URL")
    secret_keys_raw: str = Field("", alias="STOREFRONT_SECRET_KEYS")
    base_url: str = Field(default_factory=_default_base_url, alias="STOREFRONT_BASE_URL")
    claim_token_max_age: int = Field(3600, alias="CLAIM_TOKEN_MAX_AGE", gt=0)
    password_reset_max_age: int = Field(3600, alias="PASSWORD_RESET_MAX_AGE", gt=0)
    mail_backend: str = Field("outbox", alias="MAIL_BACKEND")
    smtp_url: str | None = Field(None, alias="SMTP_URL")
    mail_from: str = Field("Storefront <shop@storefront.localhost>", alias="MAIL_FROM")
    # None: on only where the shop is local (see outbox_enabled); anyone could read every claim link there.
    outbox_setting: bool | None = Field(None, alias="OUTBOX_ENABLED")
    store_cors_raw: str = Field("", alias="STORE_CORS")
    redis_url: str | None = Field(None, alias="REDIS_URL")
    session_max_age: int = Field(14 * 24 * 3600, alias="SESSION_MAX_AGE", gt=0)
    # Medusa v2's x-publishable-api-key: when set, every /store/* request must carry it (api/publishable_key.py).
    store_publishable_key: str | None = Field(None, alias="STORE_PUBLISHABLE_KEY")
    # Sign-ups one network address may make (the `limits` library's notation, all of them applying).
    signup_limit: str = Field("20/minute;200/hour", alias="SIGNUP_LIMIT")

    @field_validator("mail_backend")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in {"outbox", "smtp"}:
            raise ValueError("MAIL_BACKEND must be 'outbox' or 'smtp'")
        return value

    @field_validator("signup_limit")
    @classmethod
    def _a_rate(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError as exc:
            raise ValueError('SIGNUP_LIMIT must read like "20/minute;200/hour"') from exc
        return value

    @field_validator("store_publishable_key")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    @field_validator("base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("STOREFRONT_BASE_URL must be an absolute http(s) URL")
        return value.rstrip("/")

    @cached_property
    def secret_keys(self) -> list[str]:
        """Signing keys: the first signs, all verify (rotation). Read once; the app's startup reads them."""
        keys = [k.strip() for k in self.secret_keys_raw.split(",") if k.strip()]
        # Without keys, the start's closing lines warn (startup_warnings), once for the whole start.
        return keys or [_dev_secret_key()]

    @property
    def is_local(self) -> bool:
        """True when STOREFRONT_BASE_URL points at this machine (localhost, 127.0.0.1, [::1])."""
        return urlsplit(self.base_url).hostname in LOCAL_HOSTS

    @property
    def outbox_enabled(self) -> bool:
        """The outbox viewer and API: on by default only for a local shop, else only with OUTBOX_ENABLED=1.

        It shows every email, claim links included, to anyone who can reach it: on a public shop that
        would hand any guest order to whoever reads the link first.
        """
        return self.is_local if self.outbox_setting is None else self.outbox_setting

    @property
    def outbox_public(self) -> bool:
        """The outbox is on although the shop is not local: say so loudly (log and banner)."""
        return self.outbox_enabled and not self.is_local

    def startup_warnings(self) -> list[str]:
        """What an operator must know at start: the start's closing lines print each once."""
        warnings = []
        if not self.secret_keys_raw.strip():
            # True whether this start made the key or an earlier one did: it was generated, and it is kept.
            warnings.append(f"STOREFRONT_SECRET_KEYS is not set: links are signed with a generated development "
                            f"key (kept in {DEV_KEY_FILE.name}). Set your own keys for real customers.")
        if self.outbox_public:
            warnings.append(f"OUTBOX_ENABLED=1 on a shop that is not local ({self.base_url}): the outbox at "
                            "/outbox and /api/outbox is public, and anyone can read every email, claim links "
                            "included. Turn it off for real customers.")
        return warnings

    @property
    def origin(self) -> str:
        """The app's own origin, from STOREFRONT_BASE_URL."""
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def cors_origins(self) -> list[str]:
        """Origins allowed to call the backend with credentials.

        The app's own origin is always allowed (its websocket is checked against this list too); on
        localhost both spellings are allowed, since browsers treat them as different origins.
        """
        origins = [o.strip().rstrip("/") for o in self.store_cors_raw.split(",") if o.strip()]
        own = [self.origin]
        parts = urlsplit(self.base_url)
        if parts.hostname in {"localhost", "127.0.0.1"}:
            port = f":{parts.port}" if parts.port else ""
            own = [f"{parts.scheme}://localhost{port}", f"{parts.scheme}://127.0.0.1{port}"]
        return list(dict.fromkeys(own + origins))


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests clear the cache to change them)."""
    return Settings()
