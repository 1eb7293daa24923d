"""Login (password, then the second step when enrolled), logout, a person's own password, and
the language switcher."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user

from outreach.auth import bp, events, mfa, sessions
from outreach.auth.forms import CodeForm, LanguageForm, LoginForm, PasswordForm
from outreach.auth.models import User
from outreach.auth.services import (
    InvalidCredentials,
    TooManyAttempts,
    UserError,
    authenticate,
    change_password,
    end_sessions,
    second_factor_checked,
    second_factor_wait,
)
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.redirects import safe_next

PENDING = "mfa_pending"  # the password was right; the second step is still to come
PENDING_SECONDS = 300


def _address() -> str | None:
    return request.remote_addr


def wait_message(seconds: int) -> str:
    return _("Too many failed attempts. Try again in %(seconds)d seconds.", seconds=seconds)


def _too_many(template: str, form, field, exc: TooManyAttempts):
    field.errors.append(wait_message(exc.wait))
    return render_template(template, form=form), 429, {"Retry-After": str(exc.wait)}


def _finish_login(user: User, how: str, next_url: str | None):
    login_user(user)
    sessions.start()
    if session.pop("lang_picked", False) and session.get("lang"):
        user.locale = session["lang"]  # chosen on the login page: it survives the login
    elif user.locale:
        session["lang"] = user.locale
    events.logged_in(user, how, _address())
    db.session.commit()
    return redirect(safe_next(next_url) or url_for("home.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    try:
        user = authenticate(form.username.data, form.password.data, _address())
    except TooManyAttempts as exc:
        events.login_failed(exc.user, form.username.data, "web, throttled", _address())
        db.session.commit()
        return _too_many("auth/login.html", form, form.password, exc)
    except InvalidCredentials as exc:
        events.login_failed(exc.user, form.username.data, "web", _address())
        db.session.commit()
        form.password.errors.append(_("Wrong username or password."))
        return render_template("auth/login.html", form=form), 401
    if mfa.enrolled(user):
        db.session.commit()
        session[PENDING] = {
            "user": user.id,
            "version": user.session_version,
            "at": int(utcnow().timestamp()),
            "next": safe_next(form.next.data) or "",
        }
        return redirect(url_for("auth.verify"))
    return _finish_login(user, "web", form.next.data)


def _pending_user() -> User | None:
    pending = session.get(PENDING) or {}
    if int(utcnow().timestamp()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db.session.get(User, pending.get("user") or 0)
    if user is None or user.session_version != pending.get("version") or not user.is_active:
        return None
    return user


@bp.route("/login/verify", methods=["GET", "POST"])
def verify():
    """The second step of a login: a code from the authenticator app, or a recovery code."""
    user = _pending_user()
    if user is None:
        session.pop(PENDING, None)
        flash(_("Your session has ended; please log in again."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if not form.validate_on_submit():
        return render_template("auth/verify.html", form=form)
    if wait := second_factor_wait(user, _address()):
        events.login_failed(user, user.username, "web, mfa, throttled", _address())
        db.session.commit()
        return _too_many("auth/verify.html", form, form.code, TooManyAttempts(wait, user))
    factor = mfa.second_factor(user, form.code.data)
    second_factor_checked(user, factor is not None, _address())
    if factor is None:
        events.login_failed(user, user.username, "web, mfa", _address())
        db.session.commit()
        form.code.errors.append(_("That code is not right, or was used already."))
        return render_template("auth/verify.html", form=form), 401
    next_url = session.pop(PENDING, {}).get("next")
    if factor == "recovery code":
        left = mfa.recovery_codes_left(user)
        flash(_("You used a recovery code: %(n)d left.", n=left), "info")
    return _finish_login(user, f"web, {factor}", next_url)


@bp.post("/logout")
@login_required
def logout():
    """Ends every session and API token of the person, on every device."""
    user = current_user._get_current_object()
    end_sessions(user)
    events.logged_out(user, _address())
    db.session.commit()
    sessions.end()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


def relogin(user: User) -> None:
    """Log this session in again after its user's session version changed (a new password, a
    second factor set up): the login time is kept, so the absolute limit does not move."""
    login_at = session.get(sessions.LOGIN_AT)
    login_user(user)
    session[sessions.LOGIN_AT] = login_at


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; every other session and API token of the person ends."""
    form = PasswordForm()
    user = current_user._get_current_object()
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            change_password(user, form.current_password.data, form.new_password.data, _address())
        except TooManyAttempts as exc:
            db.session.commit()  # the failure counts are kept
            return _too_many("auth/password.html", form, form.current_password, exc)
        except InvalidCredentials:
            db.session.commit()
            form.current_password.errors.append(_("The current password is wrong."))
        except UserError as exc:
            db.session.rollback()
            form.new_password.errors.append(str(exc.message))
        else:
            events.account_changed(user, "own password changed", _address())
            db.session.commit()
            relogin(user)  # this session goes on, with the new session version
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for("home.index"))
    return render_template("auth/password.html", form=form), status


@bp.post("/language")
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.language.data
        if current_user.is_authenticated:
            current_user.locale = form.language.data
            db.session.commit()
        else:
            session["lang_picked"] = True
    return redirect(safe_next(form.next.data) or url_for("home.index"))
