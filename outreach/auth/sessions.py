"""How long a login lasts (ASVS 7.3): an idle limit and an absolute one, and the gate that sends
people whose organisation requires two-step verification to set it up.

A login stores its time and the time of the latest request in the (signed) session cookie. A
request after SESSION_IDLE_MINUTES without one, or SESSION_MAX_HOURS after the login, ends the
session: the person logs in again. Nothing extends the absolute limit: the session cookie's own
lifetime is SESSION_MAX_HOURS (PERMANENT_SESSION_LIFETIME), Flask-Login's remember-me cookie is
never set, and a session restored without a login time (a remember-me cookie, an old cookie) is
ended at once. Bearer tokens have their own absolute lifetime (outreach.api.auth).
"""

from __future__ import annotations

from flask import current_app, flash, has_request_context, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from outreach.auth import mfa
from outreach.errors import RECORD_FORMS, problem
from outreach.models.base import utcnow

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
# app.extensions key: endpoints that never touch a login (the public pages, outreach/public):
# no session cookie is set, changed or deleted on them, and they do not count as activity.
SESSIONLESS = "outreach.sessionless"
# What a person who must set up two-step verification may still open.
ENROL_ENDPOINTS = frozenset({"auth.two_step", "auth.logout", "auth.language", "static"})


def _now() -> int:
    return int(utcnow().timestamp())


def start() -> None:
    """A login now: the absolute limit counts from here (call after login_user)."""
    session.permanent = True
    session[LOGIN_AT] = session[SEEN_AT] = _now()


def expired(login_at: int | None, seen_at: int | None, now: int) -> bool:
    cfg = current_app.config
    if login_at is None or seen_at is None:
        return True
    idle = now - seen_at > int(cfg["SESSION_IDLE_MINUTES"]) * 60
    return idle or now - login_at > int(cfg["SESSION_MAX_HOURS"]) * 3600


def end() -> None:
    logout_user()
    for key in (LOGIN_AT, SEEN_AT):
        session.pop(key, None)


def sessionless() -> bool:
    """This request is to a page that never touches a login (see SESSIONLESS)."""
    endpoints = current_app.extensions.get(SESSIONLESS, ())
    return has_request_context() and request.endpoint in endpoints


def check_session():
    """before_request: end a session past either limit, else note this request's time; then
    send people who must set up two-step verification to do so."""
    if request.endpoint == "static" or sessionless() or not current_user.is_authenticated:
        return None
    now = _now()
    if expired(session.get(LOGIN_AT), session.get(SEEN_AT), now):
        end()
        flash(_("Your session has ended; please log in again."), "info")
        # The request goes on as anyone's logged out: login_required sends to the login page,
        # and a record form is kept on the tablet (offline.routes.record_posted_after_logout).
        return None
    session[SEEN_AT] = now
    return _enrol_gate()


def _enrol_gate():
    user = current_user
    if request.endpoint in ENROL_ENDPOINTS or mfa.enrolled(user) or not mfa.required_for(user):
        return None
    records = current_app.extensions.get(RECORD_FORMS, set())
    if request.method == "POST" and request.endpoint in records:
        return None  # a record filled in before the rule came is saved, not lost to a redirect
    if request.blueprint == "api":
        return problem(
            403,
            "Forbidden",
            _("Your organisation requires two-step verification: set it up first."),
        )
    return redirect(url_for("auth.two_step"))


BACKGROUND = "X-Outreach-Background"  # static/js/sw.js marks its copies of kept pages so


class ForegroundSessionInterface(SecureCookieSessionInterface):
    """The service worker's background copy of a kept page never sets the session cookie.

    It may run at the same moment as a form being sent: its answer, carrying the session as it
    was when the copy began, would land after the form's and overwrite the cookie that holds
    the form's "Saved." (and any other change), which the person then never sees. A background
    copy changes nothing the person did, and does not keep an idle session alive."""

    def should_set_cookie(self, app, session) -> bool:
        if has_request_context() and request.headers.get(BACKGROUND):
            return False
        return super().should_set_cookie(app, session)

    def save_session(self, app, session, response) -> None:
        """A sessionless page (the public ones) answers without any session cookie: none set,
        none refreshed, none deleted, whoever asks."""
        if sessionless():
            return None
        return super().save_session(app, session, response)
