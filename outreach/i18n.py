"""Which language and time zone a request is answered in."""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

from outreach.extensions import babel


def select_locale() -> str:
    if not has_request_context():  # CLI, seeding, services called outside a request
        return current_app.config.get("BABEL_DEFAULT_LOCALE", "en")
    langs = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in langs:
        return current_user.locale
    if session.get("lang") in langs:
        return session["lang"]
    return request.accept_languages.best_match(langs) or "en"


def init_i18n(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language_context():
        return {
            "current_lang": str(get_locale() or "en"),
            "languages": (("en", "English"), ("cy", "Cymraeg"), ("sv", "Svenska")),
        }
