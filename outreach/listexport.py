"""A list page's records as a CSV download: every page of the list's filters, in the reader's
language and the organisation's time zone, bounded, and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta, tzinfo
from typing import Any

from flask import Response, current_app, flash, redirect, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, func, select

from outreach.access import can
from outreach.audit.services import record as audit
from outreach.extensions import db
from outreach.i18n import current_zone
from outreach.listing import filter_args, where_label
from outreach.spreadsheet import csv_bytes, reader_style
from outreach.timezones import local_today

# Rows read from the database at a time: memory stays flat however long the list.
BATCH = 1000


@dataclass(frozen=True)
class Column:
    heading: Any  # a lazily translated heading
    value: Callable[[Any], object]  # the record's cell


@dataclass(frozen=True)
class ListExport:
    """What one list exports: its record columns between the time and who recorded it."""

    record_type: str  # the audit event's record type, e.g. "handout"
    name: str  # the file's name, e.g. "handouts"
    blueprint: str  # its pages: "<blueprint>.index" lists, "<blueprint>.export" downloads
    filters: tuple[str, ...]  # the query arguments that filter the list
    person: Any  # the heading of who gave or recorded it
    columns: tuple[Column, ...]


def yes_no(flag: bool | None) -> str:
    if flag is None:
        return _("Not known")
    return _("Yes") if flag else _("No")


def headings(spec: ListExport, tz: tzinfo) -> list[str]:
    return [
        _("Record number"),
        _("Local time (%(zone)s)", zone=str(tz)),
        _("UTC offset"),
        *(str(column.heading) for column in spec.columns),
        str(spec.person),
        _("Where"),
        _("Latitude"),
        _("Longitude"),
        _("Voided"),
    ]


def row(spec: ListExport, record: Any, person: str | None, site: str | None, tz) -> list:
    """One record's cells; its point to 3 decimals (about 100 m), enough for a map."""
    local = record.occurred_at.astimezone(tz)
    return [
        record.id,
        local.strftime("%Y-%m-%d %H:%M"),
        _utc_offset(local.utcoffset() or timedelta(0)),
        *(column.value(record) for column in spec.columns),
        person or "",
        where_label(record, site),
        round(record.latitude, 3),
        round(record.longitude, 3),
        yes_no(record.voided),
    ]


def _utc_offset(offset: timedelta) -> str:
    """'UTC+01:00': which of an autumn night's two 01:30s a time is."""
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def csv_download(spec: ListExport, stmt: Select):
    """The file of every row of `stmt` (rows of record, who, site: listing.with_who_and_where),
    audited; or, over EXPORT_MAX_ROWS, back to the list with a message saying how to narrow it."""
    most = current_app.config["EXPORT_MAX_ROWS"]
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    if (total or 0) > most:
        flash(
            _(
                "This list holds %(total)s records and a download holds at most %(most)s. "
                "Choose fewer days or more filters, then download again.",
                total=format_number(total),
                most=format_number(most),
            ),
            "error",
        )
        return redirect(url_for(f"{spec.blueprint}.index", **filter_args(spec.filters)))
    tz = current_zone()
    delimiter, decimal = reader_style()
    written = 0

    def lines() -> Iterator[list]:
        nonlocal written
        yield headings(spec, tz)
        for record, person, site in db.session.execute(stmt.execution_options(yield_per=BATCH)):
            written += 1
            yield row(spec, record, person, site, tz)

    body = csv_bytes(lines(), delimiter=delimiter, decimal=decimal)
    audit(
        "export",
        spec.record_type,
        user=current_user,
        detail=_audit_detail(spec, written),
        remote_addr=request.remote_addr,
    )
    db.session.commit()
    name = f"outreach-{spec.name}-{local_today(tz).isoformat()}.csv"
    return Response(
        body,
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _audit_detail(spec: ListExport, rows: int) -> str:
    """e.g. 'handouts list as CSV; rows=120; start=2026-11-01 setting=street' (the filters as
    the link gave them: dates and codes from the list's filter form)."""
    given = " ".join(f"{k}={v}" for k, v in filter_args(spec.filters).items())
    return f"{spec.name} list as CSV; rows={rows}" + (f"; {given}" if given else "")


def audit_list_view(spec: ListExport, page: int) -> None:
    """One event per page of a person-level list shown: which list, page and filters."""
    given = " ".join(f"{k}={v}" for k, v in filter_args(spec.filters).items())
    audit(
        "view",
        spec.record_type,
        user=current_user,
        detail=f"{spec.name} list page {page}" + (f"; {given}" if given else ""),
        remote_addr=request.remote_addr,
    )
    db.session.commit()


def download_url(spec: ListExport) -> str | None:
    """The list's download link with its current filters, for those who may export."""
    if not can(current_user, "export_lists"):
        return None
    return url_for(f"{spec.blueprint}.export", **filter_args(spec.filters))
