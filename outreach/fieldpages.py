"""The pages every field record (handout, contact, overdose report) shares: the new-record form
that saves once however often it is sent, the record's page, and its list with filters and CSV."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import Select

from outreach.audit.services import record as audit
from outreach.corrections.views import correction_context
from outreach.extensions import db
from outreach.fieldforms import prefill_now
from outreach.forms_cycle import form_page
from outreach.listexport import ListExport, audit_list_view, csv_download, download_url
from outreach.listing import ListFilters, matching
from outreach.models.mixins import new_client_id
from outreach.resend import find_resent
from outreach.tenancy import get_visible_or_404, paginate


def save_once(model: Any, form, create: Callable[[], Any], record_type: str):
    """The record a form's device-made id already names, or a new one from `create()`
    (audited): a form sent twice saves once."""
    existing = find_resent(model, form.client_id.data, current_user.org_id)
    if existing is not None:
        return existing
    record = create()
    audit("create", record_type, record.id, user=current_user, remote_addr=request.remote_addr)
    return record


def new_record_page(template: str, form, save: Callable, saved: str, detail: Callable[[Any], str]):
    """A new record's form: "now" and a record id filled in when shown (so a form sent twice
    without JavaScript still saves once); saved through `save(form)`, then its page."""
    if request.method == "GET":
        prefill_now(form)
        form.client_id.data = new_client_id()
    return form_page(template, form, lambda f: detail(save(f)), saved, hidden=("client_id",))


def shown_record(model: Any, record_id: int, record_type: str):
    """A record the user may see, its viewing audited and committed; else 404."""
    record = get_visible_or_404(db.session, model, record_id)
    audit("view", record_type, record.id, user=current_user, remote_addr=request.remote_addr)
    db.session.commit()
    return record


def record_page(template: str, model: Any, record_id: int, record_type: str, name: str):
    """A record's page: the record (as `name`), who recorded it, and its corrections."""
    record = shown_record(model, record_id, record_type)
    return render_template(
        template,
        **{name: record},
        recorder=record.recorded_by,
        **correction_context(record, record_type),
    )


def list_page(
    template: str, spec: ListExport, filters: ListFilters, rows: Callable[..., Select], **context
):
    """A list of records: `rows(user, **filters)` a page at a time, the filters as typed."""
    page = paginate(
        db.session, matching(filters, rows(current_user, **filters.query_args())), rows=True
    )
    audit_list_view(spec, page.page)
    return render_template(
        template,
        page=page,
        filters=filters,
        start=filters.typed("start"),
        end=filters.typed("end"),
        download=download_url(spec),
        **context,
    )


def list_export(spec: ListExport, filters: ListFilters, rows: Callable[..., Select]):
    """The list as CSV; a refused filter goes back to the list, which says why."""
    if not filters.valid:
        return redirect(url_for(f"{spec.blueprint}.index", **request.args))
    return csv_download(spec, rows(current_user, **filters.query_args()))
