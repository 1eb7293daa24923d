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
from outreach.forms_cycle import form_page, post_form


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

    def act(form):
        saved, changes = save(form)
        if changes:
            flash(_("Correction saved."), "success")
        else:
            flash(_("Nothing was changed."), "info")
        return done_url(saved)

    posted = post_form(form, act, hidden=hidden)
    return posted.response or (render(form), posted.status)


def correct_record_page(
    record: Any,
    form,
    to_input: Callable[[Any], Any],
    correct: Callable[..., list[str]],
    template: str,
    done_url: Callable[[Any], str],
):
    """correct_page for a record whose service corrects it in place: the form filled with the
    record when shown, the service's input from `to_input(form)`, its time and client code as
    the correction leaves them, and `correct(record, data, by=…, remote_addr=…)`."""
    if request.method == "GET":
        form.fill(record)

    def save(form):
        data = form.corrected(record, to_input(form))
        return record, correct(record, data, by=current_user, remote_addr=request.remote_addr)

    def render(form):
        return render_template(template, form=form, record=record)

    return correct_page(record, form, save, render, done_url, hidden=("client_id",))


def void_page(record: Any, record_type: str, title: str, back_url: str):
    """Ask why, then void the record (its kits back in the bag, for a handout)."""
    require_changeable(current_user, record)
    if record.voided:
        flash(_("This record is already voided."), "info")
        return redirect(back_url)

    def act(form):
        void(
            record,
            by=current_user,
            reason=form.reason.data,
            record_type=record_type,
            remote_addr=request.remote_addr,
        )
        return back_url

    voided = _("The record is voided. It no longer counts in lists, maps and reports.")
    return form_page(
        "corrections/void.html",
        VoidForm(),
        act,
        voided,
        record=record,
        title=title,
        back_url=back_url,
    )
