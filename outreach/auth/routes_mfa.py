"""Setting up two-step verification, new recovery codes, and turning it off."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from outreach.auth import bp, events, mfa
from outreach.auth.forms import CodeForm, ConfirmPasswordForm
from outreach.auth.routes import relogin
from outreach.auth.services import confirm_password, end_sessions
from outreach.extensions import db

SETUP = "mfa_setup"  # the secret being set up, sealed, until a code confirms it


def _user():
    return current_user._get_current_object()


def _setup_secret() -> str:
    secret = mfa.unseal(session.get(SETUP))
    if secret is None:
        secret = mfa.new_secret()
        session[SETUP] = mfa.seal(secret)
    return secret


def _setup_page(form, status=200):
    user = _user()
    secret = _setup_secret()
    uri = mfa.provisioning_uri(user, secret)
    qr = mfa.qr_svg(uri, _("QR code for your authenticator app"))
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    context = {"form": form, "secret": grouped, "qr": qr, "required": mfa.required_for(user)}
    return render_template("auth/mfa_setup.html", **context), status


def _codes_page(codes: list[str]):
    return render_template("auth/mfa_codes.html", codes=codes)


@bp.route("/account/two-step", methods=["GET", "POST"])
@login_required
def two_step():
    """Not enrolled: the secret (text and QR code) and a code to confirm it. Enrolled: what is
    on, new recovery codes, turning it off."""
    user = _user()
    if mfa.enrolled(user):
        return render_template(
            "auth/mfa.html",
            codes_form=ConfirmPasswordForm(prefix="codes"),
            off_form=ConfirmPasswordForm(prefix="off"),
            left=mfa.recovery_codes_left(user),
            required=mfa.required_for(user),
        )
    form = CodeForm()
    if not form.validate_on_submit():
        return _setup_page(form, 422 if request.method == "POST" else 200)
    codes = mfa.enrol(user, _setup_secret(), form.code.data)
    if codes is None:
        form.code.errors.append(_("That code is not right. Check the time on your phone."))
        return _setup_page(form, 422)
    session.pop(SETUP, None)
    end_sessions(user)  # sessions that never passed the second step end
    events.account_changed(user, "mfa enrolled", request.remote_addr)
    db.session.commit()
    relogin(user)
    flash(_("Two-step verification is on."), "success")
    return _codes_page(codes)


def _confirmed(form: ConfirmPasswordForm) -> bool:
    if form.validate_on_submit() and confirm_password(
        _user(), form.password.data, request.remote_addr
    ):
        return True
    flash(_("The current password is wrong."), "error")
    db.session.commit()  # the failure is counted
    return False


@bp.post("/account/two-step/codes")
@login_required
def new_codes():
    user = _user()
    form = ConfirmPasswordForm(prefix="codes")
    if not mfa.enrolled(user) or not _confirmed(form):
        return redirect(url_for("auth.two_step"))
    codes = mfa.new_recovery_codes(user)
    events.account_changed(user, "mfa recovery codes renewed", request.remote_addr)
    db.session.commit()
    return _codes_page(codes)


@bp.post("/account/two-step/off")
@login_required
def two_step_off():
    user = _user()
    form = ConfirmPasswordForm(prefix="off")
    if mfa.required_for(user):
        flash(_("Your organisation requires two-step verification."), "error")
    elif mfa.enrolled(user) and _confirmed(form):
        mfa.disable(user)
        end_sessions(user)  # a change of factor ends every other session and token (ASVS 7.4.3)
        events.account_changed(user, "mfa disabled", request.remote_addr)
        db.session.commit()
        relogin(user)
        flash(_("Two-step verification is off."), "success")
    return redirect(url_for("auth.two_step"))
