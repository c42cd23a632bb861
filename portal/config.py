"""Configuration classes. Every value can be overridden by an environment variable of the same name."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Defaults shared by every environment: the embedded SQLite + Whoosh setup under instance/."""

    ENV_NAME = "base"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    INSTANCE_PATH = os.environ.get("PORTAL_INSTANCE_PATH")  # None: Flask's default ./instance
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: sqlite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR")  # None: instance/search-index
    # Uploaded files (portal.core.storage). None: instance/uploads. With more than one app server, a folder every
    # server mounts (NFS): docs/operations.md "Lebih dari satu server". UPLOAD_DIR is the older name, still read.
    UPLOAD_ROOT = os.environ.get("UPLOAD_ROOT") or os.environ.get("UPLOAD_DIR")
    SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "auto")  # auto: PostgreSQL search on PostgreSQL, else Whoosh
    MAX_UPLOAD_MB = _env_int("MAX_UPLOAD_MB", 10)
    # URL paths the portal serves uploads under; Markdown images may point only there or to https://.
    UPLOAD_URL_PREFIXES = ("/berkas/", "/lampiran/")

    SITE_NAME = "Portal Kompetensi ASN Sawahlunto"
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_DURATION = timedelta(days=_env_int("REMEMBER_DAYS", 14))
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_env_int("SESSION_HOURS", 12))

    WTF_CSRF_TIME_LIMIT = None  # token lives as long as the session
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 64 * 1024 * 1024)

    # How many reverse proxies in front of the portal set X-Forwarded-For/-Proto. 0: none (direct). Behind one
    # nginx, set 1 - otherwise every user shares the proxy's address and so its rate limit.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", 0)
    # With more than one app server: this server's name, sent as the X-Portal-Host response header. Unset: no header.
    PORTAL_HOST_NAME = os.environ.get("PORTAL_HOST_NAME")
    # Where login, reset, registration and posting attempts are counted. Unset: CACHE_REDIS_URL's Redis when that
    # is set (shared by every worker and host), else memory:// (per process).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI")
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    # Redis unreachable: count in this process's memory meanwhile rather than fail the login page.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per minute;20 per hour")
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "10 per hour")

    ACCOUNTS_AUTO_VERIFY = _env_bool("ACCOUNTS_AUTO_VERIFY", False)
    PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 10)
    PASSWORD_RESET_HOURS = _env_int("PASSWORD_RESET_HOURS", 2)

    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "log")  # "log" or "smtp"
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "portal@sawahluntokota.go.id")
    # Links in mails start with this (e.g. https://kompetensi.sawahluntokota.go.id). Unset, they use the host the
    # request named, which a forged Host header controls: set it in production.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL")

    # Rendered fragments (portal/core/fragments.py). CACHE_REDIS_URL (redis://host:6379/0): table versions and
    # fragments in Redis, shared by every host; unset: stamp files under instance/ (one host).
    CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or None
    FRAGMENT_CACHE_PREFIX = os.environ.get("FRAGMENT_CACHE_PREFIX")  # None: portal:<digest of the database URL>:
    FRAGMENT_CACHE_SIZE = _env_int("FRAGMENT_CACHE_SIZE", 2000)  # per-process entries; 0 turns the caches off
    FRAGMENT_CACHE_SECONDS = _env_int("FRAGMENT_CACHE_SECONDS", 300)
    FRAGMENT_CHECK_TABLES = _env_bool("FRAGMENT_CHECK_TABLES", False)
    # How many hosts serve this portal (behind one proxy). More than one needs CACHE_REDIS_URL (production).
    PORTAL_HOSTS = _env_int("PORTAL_HOSTS", 1)

    PAGE_SIZE = 20
    DEMO_ADMIN_NIP = "198503142010011002"
    DEMO_ADMIN_PASSWORD = os.environ.get("DEMO_ADMIN_PASSWORD", "Sawahlunto#2026")


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    DEBUG = False  # the Werkzeug debugger stays off: the portal runs on an intranet
    TEMPLATES_AUTO_RELOAD = True


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = None  # memory://, or the Redis of a test that sets CACHE_REDIS_URL
    CACHE_REDIS_URL = None
    FRAGMENT_CHECK_TABLES = True  # every cached render is checked against the tables its SQL read
    PASSWORD_MIN_LENGTH = 10
    SERVER_NAME = None


class ProductionConfig(Config):
    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_from_name(name: str | None) -> type[Config]:
    key = (name or os.environ.get("PORTAL_CONFIG") or "development").lower()
    try:
        return CONFIGS[key]
    except KeyError:
        raise RuntimeError(f"Unknown PORTAL_CONFIG {key!r}; use one of {sorted(CONFIGS)}") from None


def check_production_secrets(secret_key: str | None) -> None:
    if not secret_key or secret_key == DEV_SECRET_KEY or len(secret_key) < 32:
        raise RuntimeError(
            "Production needs SECRET_KEY set to a random value of at least 32 characters "
            "(python -c 'import secrets; print(secrets.token_urlsafe(48))')."
        )


def check_production_hosts(hosts: int, cache_redis_url: str | None) -> None:
    if hosts > 1 and not cache_redis_url:
        raise RuntimeError(
            f"PORTAL_HOSTS={hosts}: several hosts need CACHE_REDIS_URL (redis://host:6379/0), so that a change made "
            "on one host empties the caches of every host and rate limits count across hosts."
        )


def instance_file(instance_path: str, *parts: str) -> str:
    return str(Path(instance_path, *parts))
