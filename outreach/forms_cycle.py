"""The post cycle every form page shares: validate → one service call → commit → flash →
redirect; a refusal rolls back and is shown on the form with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import flash, g, redirect, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from outreach.domain import AlreadyRecorded, DomainError
from outreach.extensions import db


@dataclass
class Asked:
    """A question a form puts before it saves a big or drastic change: `value` is what the
    confirm button sends back (name "confirm"), so a changed figure is asked about again."""

    value: int
    message: str
    button: str
    confirmed: bool = False


@dataclass
class Posted:
    """What became of a form: `response` (a redirect) once it is saved or was already
    recorded; else the page is shown again, with `asked` when a question waits for an answer."""

    response: Response | None = None
    asked: Asked | None = None

    @property
    def waiting(self) -> bool:
        return self.asked is not None and not self.asked.confirmed

    @property
    def status(self) -> int:
        """200 for a form shown (or a question asked), 422 for a form refused."""
        return 200 if request.method == "GET" or self.waiting else 422


def show_domain_error(form: FlaskForm, exc: DomainError, hidden: tuple[str, ...] = ()) -> None:
    """Attach a service's refusal to the field it names, or to the whole form when that field
    is not shown on the page (`hidden`)."""
    field = getattr(form, exc.field, None) if exc.field and exc.field not in hidden else None
    if field is not None:
        field.errors = list(field.errors) + [str(exc.message)]
    else:
        form.form_errors.append(str(exc.message))


def form_expired() -> bool:
    """The form's CSRF token had expired (see outreach/errors.py): show it again, save nothing."""
    return bool(g.get("form_expired"))


def post_form(
    form: FlaskForm,
    act: Callable[[Any], str],
    saved: str | None = None,
    *,
    hidden: tuple[str, ...] = (),
    ask: Callable[[Any], Asked | None] | None = None,
    again: Callable[[Any], str] | None = None,
) -> Posted:
    """Validate → ask `ask(form)`'s question until confirmed → `act(form)` (the service call;
    it returns the URL to go to, and may flash what depends on its result) → commit → flash
    `saved` → redirect.

    A DomainError rolls back and is shown by its field (or above the form when the field is
    `hidden`); a form sent before (AlreadyRecorded, see outreach/stock/formkeys.py) rolls back,
    says "already recorded" and goes where `again(form)` says. A form whose CSRF token expired
    is shown again with what was typed, and saves nothing."""
    if form_expired():
        form.form_errors.append(
            _l("This form had expired. Your entries are kept: check them and send again.")
        )
        return Posted()
    if not form.validate_on_submit():
        return Posted()
    question = None
    try:
        question = ask(form) if ask else None
        if question is not None:
            question.confirmed = str(question.value) in request.form.getlist("confirm")
            if not question.confirmed:
                db.session.rollback()  # a question saves nothing, not even a new store or bag
                return Posted(asked=question)
        target = act(form)
    except AlreadyRecorded as exc:
        db.session.rollback()
        flash(str(exc.message), "info")
        return Posted(redirect(again(form) if again else request.path))
    except DomainError as exc:
        db.session.rollback()
        show_domain_error(form, exc, hidden)
        return Posted(asked=question)
    db.session.commit()
    if saved:
        flash(saved, "success")
    return Posted(redirect(target))


def form_page(
    template: str,
    form: FlaskForm,
    act: Callable[[Any], str],
    saved: str | None = None,
    *,
    hidden: tuple[str, ...] = (),
    **context,
):
    """A page with one form: post_form, else the template with the form and `context`."""
    posted = post_form(form, act, saved, hidden=hidden)
    if posted.response is not None:
        return posted.response
    return render_template(template, form=form, **context), posted.status


def run_and_flash(act: Callable[[], object], success: str) -> bool:
    """One service call from a button (no fields to show a refusal by): commit and say so, or
    roll back and say why not. True when it was done."""
    try:
        act()
    except DomainError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
        return False
    db.session.commit()
    flash(success, "success")
    return True
