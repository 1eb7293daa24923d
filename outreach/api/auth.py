"""Who is calling: a bearer token (stored only as SHA-256) or the browser's session cookie."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import datetime, timedelta

from flask import current_app, g, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import ValidationError, validate_csrf
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from outreach.api.models import ApiToken
from outreach.auth.models import User
from outreach.errors import problem
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def issue_token(user: User) -> tuple[str, ApiToken]:
    """A new random token for `user`; only its hash is kept (flushed, not committed).

    It lives API_TOKEN_HOURS from now, never longer than SESSION_MAX_HOURS: an absolute limit,
    never extended by use. Logout, a new password and deactivation end it sooner."""
    raw = secrets.token_urlsafe(32)
    cfg = current_app.config
    hours = min(float(cfg.get("API_TOKEN_HOURS", 12)), float(cfg.get("SESSION_MAX_HOURS", 12)))
    row = ApiToken(
        token_sha256=sha256(raw),
        user_id=user.id,
        session_version=user.session_version,
        expires_at=utcnow() + timedelta(hours=hours),
    )
    db.session.add(row)
    db.session.flush()
    return raw, row


def revoke(token: ApiToken) -> None:
    db.session.execute(update(ApiToken).where(ApiToken.id == token.id).values(revoked_at=utcnow()))


def token_user(raw: str) -> tuple[User, ApiToken] | None:
    """The user of a live token: not expired, not revoked, session version unchanged, active."""
    if not raw or len(raw) > 200:
        return None
    # One query for the token, its user and the user's organisation (its sites load on use).
    stmt = (
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_sha256 == sha256(raw))
        .options(joinedload(User.organisation).lazyload(Organisation.sites))
    )
    found = db.session.execute(stmt).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    if user.session_version != row.session_version or not user.is_active:
        return None
    return user, row


def _unauthorised(detail: str):
    response = problem(401, "Unauthorized", detail)
    response.headers["WWW-Authenticate"] = 'Bearer realm="outreach"'
    return response


def authenticate_request():
    """Set g.api_user (and g.api_token); return an error response when the caller is unknown."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _sep, raw = header.partition(" ")
        found = token_user(raw.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            return _unauthorised(_("The token is missing, expired or revoked. Log in again."))
        g.api_user, g.api_token = found
        return None
    if not current_user.is_authenticated:
        return _unauthorised(_("Log in, or send a bearer token."))
    if request.method in WRITE_METHODS and current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except ValidationError:
            return problem(
                400,
                "CSRF token missing or expired",
                _("Send the X-CSRFToken header with a fresh token from GET /api/v1/me."),
            )
    g.api_user, g.api_token = current_user._get_current_object(), None
    return None


def api_login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if (error := authenticate_request()) is not None:
            return error
        return view(*args, **kwargs)

    return wrapped


def api_user() -> User:
    return g.api_user


def expires_iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
