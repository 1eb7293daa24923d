"""The correction and void pages every field record shares; the features' routes call these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from outreach.corrections.forms import VoidForm
from outreach.corrections.queries import history
from outreach.corrections.rules import refusal, require_changeable
from outreach.corrections.services import void
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.fieldforms import show_domain_error


def correction_context(record: Any, record_type: str) -> dict:
    """What a record's page shows of corrections: whether the viewer may correct or void it,
    who voided it, and its history."""
    voider = record.voided_by
    why_not = None if record.voided else refusal(current_user, record)
    return {
        "changeable": not record.voided and why_not is None,
        # Told to the person who recorded it, once they may no longer change it.
        "why_not": why_not if record.recorded_by_id == current_user.id else None,
        "voider": voider,
        "record_history": history(record_type, record.id, record.org_id),
    }


def correct_page(
    record: Any,
    form,
    save: Callable[[Any], tuple[Any, list[str]]],
    render: Callable[[Any], str],
    done_url: Callable[[Any], str],
    hidden: tuple[str, ...] = (),
):
    """The record's own form, filled with its values; `save(form)` corrects it and returns (the
    record as it now stands, what changed). A refusal keeps what was typed (422)."""
    require_changeable(current_user, record)
    if record.voided:
        flash(_("This record is voided, so it cannot be corrected."), "error")
        return redirect(done_url(record))
    if form.validate_on_submit():
        try:
            saved, changes = save(form)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc, hidden)
        else:
            db.session.commit()
            if changes:
                flash(_("Correction saved."), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(done_url(saved))
    return render(form), 422 if request.method == "POST" else 200


def void_page(record: Any, record_type: str, title: str, back_url: str):
    """Ask why, then void the record (its kits back in the bag, for a handout)."""
    require_changeable(current_user, record)
    if record.voided:
        flash(_("This record is already voided."), "info")
        return redirect(back_url)
    form = VoidForm()
    if form.validate_on_submit():
        try:
            void(
                record,
                by=current_user,
                reason=form.reason.data,
                record_type=record_type,
                remote_addr=request.remote_addr,
            )
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            db.session.commit()
            flash(
                _("The record is voided. It no longer counts in lists, maps and reports."),
                "success",
            )
            return redirect(back_url)
    status = 422 if request.method == "POST" else 200
    page = render_template(
        "corrections/void.html", form=form, record=record, title=title, back_url=back_url
    )
    return page, status
