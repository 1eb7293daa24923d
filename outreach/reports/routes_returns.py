"""The national programmes' returns: a page with charts, and the same tables as CSV, XLSX and
PDF in the reader's language, with the period, the areas, the zone and the suppression note in
their header."""

from __future__ import annotations

from flask import Response, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import require
from outreach.areas.queries import BREAKDOWN_LEVELS, roots
from outreach.i18n import current_zone
from outreach.reports import bp, exports, returns
from outreach.reports.routes import FORMATS, _number, _testing, draw_charts
from outreach.spreadsheet import reader_style
from outreach.timezones import local_today


@bp.get("/returns")
@require("read_reports")
def programme_return():
    try:
        ask = returns.asked(request.args, local_today(current_zone()))
    except returns.ReturnArgsError as exc:
        abort(400, description=exc.reason)
    fmt = request.args.get("format", "html")
    if fmt not in FORMATS and fmt != "html":
        abort(400, description=_("The format must be csv, xlsx or pdf."))
    result = returns.build(current_user, ask.shape, ask.root, ask.level, ask.period)
    params = {
        "return": ask.shape,
        "area": ask.root.code,
        "level": ask.level,
        "period": ask.period.key,
    }
    about = returns.header_lines(result)
    if fmt == "html":
        return render_template(
            "reports/returns.html",
            result=result,
            params=params,
            about=about,
            charts=_charts(result),
            shapes=returns.SHAPES,
            roots=roots(),
            levels=[(k, returns.LEVEL_LABELS[k]) for k in BREAKDOWN_LEVELS],
            downloads={f: url_for("reports.programme_return", format=f, **params) for f in FORMATS},
            number=_number,
        )
    if fmt == "csv":
        delimiter, decimal = reader_style()
        rows = [(_("Return"), label, value) for label, value in about]
        body = exports.to_csv(
            result,
            (_("Section"), _("Label"), _("Value")),
            rows,
            delimiter=delimiter,
            decimal=decimal,
        )
    elif fmt == "xlsx":
        body = exports.to_xlsx(result, result.title, " ".join(f"{k}: {v}" for k, v in about))
    else:
        body = exports.to_pdf(
            result,
            result.title,
            "\n".join(f"{k}: {v}" for k, v in about),
            compress=not _testing(),
            fmt=_number,
            lang=get_locale().language,
        )
    name = f"outreach-return-{ask.shape}-{ask.root.code}-{ask.period.key}.{fmt}"
    return Response(
        body,
        mimetype=FORMATS[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _charts(result) -> dict[str, str]:
    desc = _("Kits, supplies, new people and overdose reports per month for 24 months.")
    return draw_charts(result, desc)
