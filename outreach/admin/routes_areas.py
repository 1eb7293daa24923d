"""Areas in administration: the platform administrator's estimates of people at risk, and the
helpers the site and settings pages use to show a local authority."""

from __future__ import annotations

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import require
from outreach.admin import bp
from outreach.admin.forms import AtRiskForm
from outreach.areas import queries as area_queries
from outreach.areas.models import Area
from outreach.areas.services import set_at_risk_estimate
from outreach.audit.services import record as audit
from outreach.extensions import db
from outreach.forms_cycle import form_page
from outreach.i18n import current_language

# --- Areas and their estimates of people at risk (platform administrator) ---


@bp.get("/areas")
@require("administer_platform")
def areas():
    """The areas of a country and the estimates of people at risk that reach is measured by."""
    chosen = request.args.get("country") or "W92000004"
    return render_template(
        "admin/areas.html",
        countries=area_queries.countries(),
        chosen=chosen,
        areas=area_queries.listed(chosen),
        lang=current_language(),
    )


@bp.route("/areas/<int:area_id>/estimate", methods=["GET", "POST"])
@require("administer_platform")
def area_estimate(area_id: int):
    area = db.session.get(Area, area_id)
    if area is None:
        abort(404)

    def act(form):
        changes = set_at_risk_estimate(area, form.at_risk_estimate.data, form.at_risk_source.data)
        if changes:
            audit(
                "update",
                "area",
                area.id,
                user=current_user,
                detail=", ".join(changes),
                remote_addr=request.remote_addr,
            )
        return url_for("admin.areas", country=request.args.get("country") or None)

    form = AtRiskForm(obj=area if request.method == "GET" else None)
    return form_page(
        "admin/area_estimate.html",
        form,
        act,
        _("Estimate saved."),
        area=area,
        lang=current_language(),
    )
