"""Session loading (revocable cookies, idle and absolute limits); the security headers are
outreach/headers.py."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

from outreach.extensions import db, login_manager


def init_security(app: Flask) -> None:
    from outreach.auth.sessions import ForegroundSessionInterface

    app.session_interface = ForegroundSessionInterface()
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        from outreach.auth.models import User

        try:
            user_id, version = (int(p) for p in session_id.split(":", 1))
        except ValueError:
            return None
        user = db.session.get(User, user_id)
        if user is None or user.session_version != version or not user.is_active:
            return None
        return user

    from outreach.auth.sessions import check_session

    app.before_request(check_session)  # idle and absolute limits (outreach/auth/sessions.py)
