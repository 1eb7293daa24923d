"""Login, logout, a person's own password, and the language switcher."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from outreach.audit.services import record as audit
from outreach.auth import bp
from outreach.auth.forms import LanguageForm, LoginForm, PasswordForm
from outreach.auth.services import (
    AccountLocked,
    InvalidCredentials,
    UserError,
    authenticate,
    change_password,
    end_sessions,
)
from outreach.extensions import db
from outreach.redirects import safe_next


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = authenticate(form.username.data, form.password.data)
        except AccountLocked as exc:
            db.session.commit()
            flash(
                _(
                    "Too many failed attempts. Try again after %(time)s.",
                    time=format_datetime(exc.until, "short"),
                ),
                "error",
            )
            return render_template("auth/login.html", form=form), 429
        except InvalidCredentials:
            audit(
                "login_failed", "user", detail=form.username.data, remote_addr=request.remote_addr
            )
            db.session.commit()
            form.password.errors.append(_("Wrong username or password."))
            return render_template("auth/login.html", form=form), 401
        login_user(user)
        session.permanent = True
        if session.pop("lang_picked", False) and session.get("lang"):
            user.locale = session["lang"]  # chosen on the login page: it survives the login
        elif user.locale:
            session["lang"] = user.locale
        audit("login", "user", user.id, user=user, remote_addr=request.remote_addr)
        db.session.commit()
        return redirect(safe_next(form.next.data) or url_for("home.index"))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    end_sessions(user)
    audit("logout", "user", user.id, user=user, remote_addr=request.remote_addr)
    db.session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    """Change one's own password; every other session and API token of the person ends."""
    form = PasswordForm()
    user = current_user._get_current_object()
    status = 422 if request.method == "POST" else 200
    if form.validate_on_submit():
        try:
            change_password(user, form.current_password.data, form.new_password.data)
        except AccountLocked as exc:
            db.session.commit()  # the failure counter is kept
            message = _(
                "Too many failed attempts. Try again after %(time)s.",
                time=format_datetime(exc.until, "short"),
            )
            form.current_password.errors.append(message)
            status = 429
        except InvalidCredentials:
            db.session.commit()
            form.current_password.errors.append(_("The current password is wrong."))
        except UserError as exc:
            db.session.rollback()
            form.new_password.errors.append(str(exc.message))
        else:
            detail = "own password changed"
            audit(
                "update", "user", user.id, user=user, detail=detail, remote_addr=request.remote_addr
            )
            db.session.commit()
            login_user(user)  # this session goes on, with the new session version
            session.permanent = True
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
