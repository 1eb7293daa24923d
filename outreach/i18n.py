"""Which language and time zone a request is answered in."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from outreach.extensions import babel
from outreach.timezones import zone

# English is formatted the British way (dates "17 Nov 2026", 24-hour clock); its messages come
# from the "en" catalogue, which Babel falls back to for en_GB.
FORMAT_LOCALE = {"en": "en_GB", "cy": "cy", "sv": "sv"}
# The one cookie the public pages set (outreach/public): the language a visitor chose there. The
# login page reads it too, so a visitor who chose Welsh there is not asked again.
LANG_COOKIE = "lang"


def chosen_language() -> str:
    langs = current_app.config["LANGUAGES"]
    if g.get("page_lang") in langs:  # a public page's own choice (outreach/public/visitors.py)
        return g.page_lang
    api_user = g.get("api_user")  # a bearer token's user (outreach/api/auth.py)
    if api_user is not None and api_user.locale in langs:
        return api_user.locale
    if current_user and current_user.is_authenticated and current_user.locale in langs:
        return current_user.locale
    if session.get("lang") in langs:
        return session["lang"]
    if request.cookies.get(LANG_COOKIE) in langs:
        return request.cookies[LANG_COOKIE]
    return request.accept_languages.best_match(langs) or "en"


def current_language() -> str:
    """The language of the page being made (en, cy or sv): names of areas, a PDF's language."""
    locale = get_locale()
    return locale.language if locale else "en"


def select_locale() -> str:
    if not has_request_context():  # CLI, seeding, services called outside a request
        return FORMAT_LOCALE["en"]
    return FORMAT_LOCALE.get(chosen_language(), "en_GB")


def select_timezone() -> str | None:
    """The organisation's zone (Göteborg's users read Swedish time), else the default."""
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.organisation.timezone
    return None


def current_zone():
    """The zone the current request works in, as a zoneinfo zone (for arithmetic: never
    Flask-Babel's pytz zone, whose replace(tzinfo=...) gives local mean time)."""
    return zone(select_timezone() or current_app.config["BABEL_DEFAULT_TIMEZONE"])


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)

    @app.context_processor
    def language_context():
        locale = get_locale()
        return {
            "current_lang": locale.language if locale else "en",
            "languages": (("en", "English"), ("cy", "Cymraeg"), ("sv", "Svenska")),
        }
