"""The monthly supply report: a page with charts, and the same figures as CSV, XLSX and PDF."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from outreach import disclosure
from outreach.access import require
from outreach.i18n import current_zone
from outreach.reports import bp, charts, exports, figures
from outreach.reports.scope import MonthError, choices, month_bounds, resolve
from outreach.spreadsheet import reader_style
from outreach.timezones import local_today

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@bp.get("/monthly")
@require("read_reports")
def monthly():
    try:
        start, end = month_bounds(request.args.get("month"), local_today(current_zone()))
    except MonthError:
        abort(
            400,
            description=_("The month must be a calendar month written as YYYY-MM, e.g. 2026-10."),
        )
    fmt = request.args.get("format", "html")
    if fmt not in FORMATS and fmt != "html":
        abort(400, description=_("The format must be csv, xlsx or pdf."))
    scope = resolve(current_user, request.args)
    report = figures.build(scope, start, end)
    title = _("Monthly supply report %(month)s: %(scope)s", month=report.month, scope=scope.label)
    if fmt == "html":
        return render_template(
            "reports/monthly.html",
            report=report,
            title=title,
            charts=_charts(report),
            picker=choices(current_user),
            downloads={
                f: url_for("reports.monthly", month=report.month, format=f, **scope.params)
                for f in FORMATS
            },
            number=_number,
            zone_note=_zone_note(report),
            stock_note=_stock_note(report),
            note=disclosure.note() if report.suppressed_below else "",
        )
    if fmt == "csv":
        header = (_("Section"), _("Label"), _("Value"))
        delimiter, decimal = reader_style()  # Swedish Excel: ';' columns, decimal commas
        about = [(_("Report"), _("Time zone"), report.zone)]
        if _stock_note(report):
            about.append((_("Report"), _("Stock"), _stock_note(report)))
        if report.suppressed_below:
            about.append((_("Report"), _("Partner data"), disclosure.note()))
        body = exports.to_csv(report, header, about, delimiter=delimiter, decimal=decimal)
    elif fmt == "xlsx":
        body = exports.to_xlsx(report, title, _subtitle(report))
    else:
        body = exports.to_pdf(
            report,
            title,
            _subtitle(report),
            compress=not _testing(),
            fmt=_number,
            lang=get_locale().language,
        )
    name = f"outreach-monthly-{report.month}-{scope.key}.{fmt}"
    return Response(
        body,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _number(value) -> str:
    """A figure in the reader's language; suppressed and missing figures stay as they are."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_decimal(value)
    return str(value)


def _zone_note(report) -> str:
    return _(
        "Months are calendar months in each organisation's local time (%(zone)s).",
        zone=report.zone,
    )


def _stock_note(report) -> str:
    """What a site's stock covers (the other scopes hold every holding of their organisations)."""
    if report.scope.kind != "site":
        return ""
    return _(
        "A site's stock is its store and the bags of the peers based there, wherever they hand "
        "kits out."
    )


def _about(report) -> str:
    return " ".join(filter(None, (_zone_note(report), _stock_note(report))))


def _subtitle(report) -> str:
    text = _about(report)
    if report.suppressed_below:
        text += " " + disclosure.note()
    return text


def _testing() -> bool:
    from flask import current_app

    return bool(current_app.config.get("TESTING"))


def _charts(report) -> dict[str, str]:
    desc = _("Kits out, supplies, overdoses and contacts per month for the last 12 months.")
    return draw_charts(report, desc)


def draw_charts(report, trend_desc: str) -> dict[str, str]:
    """The bar charts of a report's or a return's tables marked "bar", and its trend as lines
    (`trend_desc` says what the trend shows, for a screen reader)."""
    drawn = {}
    for table in report.tables:
        if table.chart == "bar":
            rows = table.rows[:-1] if table.total else table.rows
            desc = "; ".join(f"{r[0]}: {_number(r[1])}" for r in table.rows)
            drawn[table.key] = charts.bar_chart(
                table.title, desc, [(r[0], r[1]) for r in rows], fmt=_number
            )
    trend = report.table("trend")
    series = [
        (str(name), [row[i] for row in trend.rows]) for i, name in enumerate(trend.columns) if i
    ]
    drawn["trend"] = charts.line_chart(
        trend.title, trend_desc, [r[0] for r in trend.rows], series, fmt=_number
    )
    return drawn
