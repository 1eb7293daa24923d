"""Settings read from the environment, with no insecure defaults outside development."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET = "dev-only-secret-not-for-production"  # noqa: S105 - refused outside development
DEV_CLIENT_CODE_KEY = "dev-only-client-code-key"  # noqa: S105 - refused outside development


class ConfigError(RuntimeError):
    """Raised when the environment does not give what production needs."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    return int(raw) if raw else default


# The map and the report once had a setting each; if set (and DISCLOSURE_MIN_COUNT is not),
# they are still read, and the stricter (higher) of the two applies to both.
OLD_DISCLOSURE_SETTINGS = ("MAP_SUPPRESS_BELOW", "REPORT_SUPPRESS_BELOW")


def _disclosure_min_count(default: int = 5) -> int:
    if os.environ.get("DISCLOSURE_MIN_COUNT"):
        return _int("DISCLOSURE_MIN_COUNT", default)
    old = [_int(name, 0) for name in OLD_DISCLOSURE_SETTINGS if os.environ.get(name)]
    return max(old) if old else default


def load_config(instance_path: str) -> dict:
    """Build the configuration mapping from environment variables."""
    env = os.environ.get("OUTREACH_ENV", "development").lower()
    development = env in {"development", "dev"}
    default_db = "sqlite:///" + str(Path(instance_path) / "outreach.sqlite")
    cfg: dict = {
        "ENV_NAME": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or (DEV_SECRET if development else None),
        "CLIENT_CODE_KEY": os.environ.get("CLIENT_CODE_KEY")
        or (DEV_CLIENT_CODE_KEY if development else None),
        # Seals the audit log's hash chain (outreach/audit/chain.py); SECRET_KEY when unset.
        "AUDIT_KEY": os.environ.get("AUDIT_KEY"),
        "SQLALCHEMY_DATABASE_URI": _database_url(os.environ.get("DATABASE_URL") or default_db),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("SESSION_COOKIE_SECURE"), not development),
        "REMEMBER_COOKIE_HTTPONLY": True,
        # Sessions (outreach/auth/sessions.py): idle and absolute limits. The cookie itself
        # lives no longer than the absolute limit (Flask's default is 31 days), and the
        # remember-me cookie, never set, would not outlive it either.
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _int("SESSION_MAX_HOURS", 12),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int("SESSION_MAX_HOURS", 12)),
        "REMEMBER_COOKIE_DURATION": timedelta(hours=_int("SESSION_MAX_HOURS", 12)),
        # Proxies in front of the app whose X-Forwarded-For is trusted (0: none, the header is
        # ignored and the connection's address is the client's).
        "PROXY_FIX_X_FOR": _int("PROXY_FIX_X_FOR", 0),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": _int("WTF_CSRF_TIME_LIMIT", 12 * 3600),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("OUTREACH_TIMEZONE", "Europe/London"),
        "LANGUAGES": ("en", "cy", "sv"),
        "API_TOKEN_HOURS": _int("API_TOKEN_HOURS", 12),
    }
    return cfg | _rules() | _maps() | _mail()


def _database_url(url: str) -> str:
    """PostgreSQL URLs as hosting platforms write them, with the psycopg 3 driver named."""
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return url


def _rules() -> dict:
    """Training, login, lists, geocoding, stock and disclosure."""
    return {
        # Training: how long a pass lasts, and how early a renewal may be taken without loss.
        "TRAINING_VALID_MONTHS": _int("TRAINING_VALID_MONTHS", 12),
        "TRAINING_RENEWAL_WINDOW_DAYS": _int("TRAINING_RENEWAL_WINDOW_DAYS", 60),
        # Login throttling (outreach/auth/throttles.py), counted in the database so every
        # worker shares it: slowed, never locked.
        "LOGIN_WINDOW_MINUTES": _int("LOGIN_WINDOW_MINUTES", 15),
        "LOGIN_PAIR_FAILURES": _int("LOGIN_PAIR_FAILURES", 5),
        "LOGIN_ACCOUNT_FAILURES": _int("LOGIN_ACCOUNT_FAILURES", 100),
        "LOGIN_ADDRESS_FAILURES": _int("LOGIN_ADDRESS_FAILURES", 50),
        "LOGIN_DELAY_SECONDS": _int("LOGIN_DELAY_SECONDS", 15),
        "LOGIN_MAX_DELAY_SECONDS": _int("LOGIN_MAX_DELAY_SECONDS", 300),
        # Client-code look-ups (supply history) per user a minute, shared by every worker.
        "CLIENT_LOOKUP_PER_MINUTE": _int("CLIENT_LOOKUP_PER_MINUTE", 30),
        # Argon2id cost (OWASP: m >= 19 MiB, t >= 2, p = 1).
        "ARGON2_TIME_COST": _int("ARGON2_TIME_COST", 2),
        "ARGON2_MEMORY_KIB": _int("ARGON2_MEMORY_KIB", 19 * 1024),
        "ARGON2_PARALLELISM": _int("ARGON2_PARALLELISM", 1),
        "PAGE_SIZE": _int("PAGE_SIZE", 25),
        # The largest request body (the API's batch included), chunked bodies too: Werkzeug
        # stops reading past it and answers 413 (tests/test_headers_body_limit.py).
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 4 * 1024 * 1024),
        # A list's CSV download holds at most this many records; a bigger one is refused.
        "EXPORT_MAX_ROWS": _int("EXPORT_MAX_ROWS", 100_000),
        "GEOCODER": os.environ.get("GEOCODER", "offline"),  # "nominatim" to use OpenStreetMap
        "GEOCODER_USER_AGENT": os.environ.get("GEOCODER_USER_AGENT", "outreach-naloxone-app"),
        "GEOCODER_TIMEOUT": float(os.environ.get("GEOCODER_TIMEOUT", "3")),
        "GEOCODER_COUNTRIES": tuple(
            c.strip().upper() for c in os.environ.get("GEOCODER_COUNTRIES", "GB,SE").split(",")
        ),
        "SHORT_DATED_DAYS": _int("SHORT_DATED_DAYS", 30),
        # Receiving, moving, counting or writing off more kits than this at once asks first.
        "STOCK_CONFIRM_ABOVE": _int("STOCK_CONFIRM_ABOVE", 2000),
        # The public page "Where to get naloxone" (outreach/public, docs/public.md): requests an
        # address may make a minute, how long browsers and proxies may keep the page, and the
        # sites a page lists (8 with every fact at its longest keep the page under 200 KB).
        "PUBLIC_PER_MINUTE": _int("PUBLIC_PER_MINUTE", 60),
        "PUBLIC_MAX_AGE": _int("PUBLIC_MAX_AGE", 300),
        "PUBLIC_PAGE_SIZE": _int("PUBLIC_PAGE_SIZE", 8),
        # Counts that include other organisations' data: fewer than this are hidden, the rest
        # rounded to 5 (outreach/disclosure.py), on the map, in reports and in the API alike.
        "DISCLOSURE_MIN_COUNT": _disclosure_min_count(),
    }


def _maps() -> dict:
    """Computed hot spots, spike alerts and the map's tiles."""
    return {
        # Computed hot spots: false discovery rate over the cells of a view, and the fewest
        # records a cell needs to be called hot (outreach/geo/hotspots.py).
        "MAP_HOTSPOT_FDR": float(os.environ.get("MAP_HOTSPOT_FDR", "0.01")),
        "MAP_HOTSPOT_MIN_EVENTS": _int("MAP_HOTSPOT_MIN_EVENTS", 5),
        "MAP_SPIKE_24H": _int("MAP_SPIKE_24H", 3),
        "MAP_SPIKE_7D": _int("MAP_SPIKE_7D", 8),
        # A count is a spike only if it is also this improbable at the place's usual rate.
        "MAP_SPIKE_ALPHA": float(os.environ.get("MAP_SPIKE_ALPHA", "1e-5")),
        "MAP_TILES_URL": os.environ.get(
            "MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        ),
        "MAP_TILES_ATTRIBUTION": os.environ.get(
            "MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors"
        ),
    }


def _mail() -> dict:
    """Spike alert e-mail: nothing is sent unless MAIL_SERVER and MAIL_ALERTS_TO are set."""
    return {
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "outreach@localhost"),
        "MAIL_ALERTS_TO": os.environ.get("MAIL_ALERTS_TO"),
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
    }


def engine_options(uri: str) -> dict:
    """Engine settings for the database in use (set once the final URI is known)."""
    if uri.startswith("sqlite"):
        # Writers queue for SQLite's single write lock instead of failing after 5 s.
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}  # a restarted PostgreSQL does not fail the next request


def check_config(cfg: dict) -> None:
    """Refuse to run outside development without the secrets production needs."""
    if cfg.get("TESTING") or cfg["ENV_NAME"] in {"development", "dev"}:
        return
    missing = [k for k in ("SECRET_KEY", "CLIENT_CODE_KEY") if not cfg.get(k)]
    weak = [
        k
        for k in ("SECRET_KEY", "CLIENT_CODE_KEY")
        if cfg.get(k) in (DEV_SECRET, DEV_CLIENT_CODE_KEY)
    ]
    if missing or weak:
        names = ", ".join(missing + weak)
        raise ConfigError(
            f"Outreach refuses to start in {cfg['ENV_NAME']} without {names} "
            "set in the environment."
        )
