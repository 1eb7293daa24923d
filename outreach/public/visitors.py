"""How the public pages treat a visitor: the language they read, the one cookie (that
language, and only once they choose it), the rate limit, and what browsers and proxies may keep.

Nothing about a visitor is stored. The rate limit counts requests per address in
outreach.throttle under a key that is a keyed hash (HMAC-SHA256 with a key derived from
SECRET_KEY) of the address and the current minute: the address is never written, the key
changes every minute (two minutes of one visitor cannot be linked), and keys of past minutes are
deleted when a new one starts. An IPv6 address counts by its /64, as one household's devices
share one.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import timedelta

from flask import current_app, g, request
from flask_babel import refresh

from outreach import throttle
from outreach.extensions import db
from outreach.i18n import LANG_COOKIE
from outreach.models.base import utcnow

KEY_PREFIX = "public:"
WINDOW = timedelta(minutes=1)
LANG_COOKIE_DAYS = 365


def languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def pick_language() -> str:
    """The page's language: `?lang=`, else the visitor's earlier choice (the cookie), else
    what their browser asks for. Never the language of a staff login in the same browser."""
    langs = languages()
    for choice in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if choice in langs:
            return choice
    return request.accept_languages.best_match(langs) or langs[0]


def use_page_language() -> None:
    """Answer this request in pick_language() (outreach.i18n reads g.page_lang)."""
    g.page_lang = pick_language()
    refresh()  # forget a language worked out earlier in the request


def remember_language(response, code: str) -> None:
    """The one cookie of the public pages: the visitor's choice of language, nothing else."""
    response.set_cookie(
        LANG_COOKIE,
        code,
        max_age=LANG_COOKIE_DAYS * 86400,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )


def _address_part() -> str:
    address = request.remote_addr or ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def visitor_key() -> str:
    """This minute's throttle key for the visitor's address (see the module's docstring)."""
    secret = hmac.new(
        str(current_app.config["SECRET_KEY"]).encode(), b"outreach.public.throttle", "sha256"
    ).digest()
    minute = int(utcnow().timestamp() // WINDOW.total_seconds())
    message = f"{minute}|{_address_part()}".encode()
    return KEY_PREFIX + hmac.new(secret, message, hashlib.sha256).hexdigest()[:40]


def seconds_to_next_window() -> int:
    seconds = WINDOW.total_seconds()
    return max(1, int(seconds - utcnow().timestamp() % seconds))


def over_limit() -> int:
    """Count this request; the seconds to wait when it is over PUBLIC_PER_MINUTE, else 0."""
    rule = throttle.Limit(int(current_app.config["PUBLIC_PER_MINUTE"]), WINDOW)
    hits = throttle.hit(visitor_key(), rule)
    if hits == 1:  # a new key, so a new minute: forget the past ones
        throttle.purge(KEY_PREFIX, rule)
    db.session.commit()
    return seconds_to_next_window() if hits > rule.limit else 0


def may_keep(response, by_url_only: bool):
    """Browsers and shared caches may keep the page for PUBLIC_MAX_AGE seconds. A URL without
    `lang` is answered in the visitor's language, so caches must tell those apart."""
    response.headers["Cache-Control"] = f"public, max-age={current_app.config['PUBLIC_MAX_AGE']}"
    if not by_url_only:
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def never_keep(response):
    response.headers["Cache-Control"] = "no-store"
    return response
