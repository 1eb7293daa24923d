"""Map pages: the map with its filters and alerts, named hot spots, the alert history."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from outreach import disclosure
from outreach.access import can, require
from outreach.extensions import db
from outreach.forms_cycle import form_page, run_and_flash
from outreach.geo.grid import padded_extent
from outreach.i18n import chosen_language, current_zone
from outreach.maps import bp, queries
from outreach.maps.assets import use_local_assets
from outreach.maps.forms import AREA_LEVELS, COLOUR_BY, DEFAULT_BBOX, HotSpotForm, MapFilters
from outreach.maps.models import HOT_SPOT_CATEGORIES, SPIKE_WINDOWS, HotSpot, SpikeAlert
from outreach.maps.render import (
    OSM_ATTRIBUTION,
    MapData,
    SiteView,
    build_map,
    page_parts,
)
from outreach.maps.services import (
    acknowledge_alert,
    add_hot_spot,
    audit_partner_read,
    close_hot_spot,
)
from outreach.maps.shown import categories, gather, marks, tables
from outreach.orgs.models import Organisation, Site
from outreach.places import resolve_location
from outreach.products.services import active_products
from outreach.redirects import safe_next
from outreach.tenancy import get_visible_or_404, paginate, scoped_select
from outreach.timezones import day_bounds, local_today
from outreach.vocab import SETTINGS

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TOP_ROWS = 10


@bp.record_once
def _local_assets(state) -> None:
    """Point Folium at the app's own Leaflet once, when the blueprint is registered."""
    use_local_assets(state.app.static_url_path or "/static")


def _text() -> dict[str, str]:
    return {
        "handouts": _("Kits handed out"),
        "contacts": _("Outreach contacts"),
        "overdoses": _("Overdose reports"),
        "points": _("Your organisation's records"),
        "hot_spots": _("Named hot spots"),
        "sites": _("Sites"),
        "gi": _("Computed hot spots"),
        "gaps": _("Coverage gaps"),
        "own": _("Of which your organisation"),
        "name": _("Name"),
        "category": _("Category"),
        "activity": _("Your records nearby in the last 30 days"),
        "notes": _("Notes"),
        "z": _("Gi* z-score"),
        "p": _("p-value (adjusted for the number of squares tested)"),
        "events": _("Records"),
        "kits_nearby": _("Kits handed out within 2 km"),
        "legend": _("Legend"),
        "date": _("Date"),
        "kind": _("Record"),
        "area": _("Area"),
        "handouts_rate": _("Kits per 1,000 people at risk"),
        "at_risk": _("Estimated people at risk"),
        "circles": _("A circle's area is proportional to its count."),
    }


def _org_choices(own_id: int, partner_ids: tuple[int, ...]) -> list[tuple[int, str]]:
    ids = [own_id, *partner_ids]
    names = dict(
        db.session.execute(
            select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        ).all()
    )
    return [(i, names.get(i, "")) for i in ids]


def _sites(org_ids: list[int], bbox) -> list[SiteView]:
    south, west, north, east = bbox
    rows = db.session.scalars(
        select(Site)
        .where(
            Site.org_id.in_(org_ids),
            Site.active,
            Site.latitude.between(south, north),
            Site.longitude.between(west, east),
        )
        .order_by(Site.name)
    )
    return [SiteView(s.name, s.latitude, s.longitude) for s in rows]


def _default_bbox(org_id: int):
    points = db.session.execute(
        select(Site.latitude, Site.longitude).where(Site.org_id == org_id, Site.active)
    ).all()
    return padded_extent([tuple(p) for p in points]) or DEFAULT_BBOX


def _open_alerts() -> list[SpikeAlert]:
    stmt = scoped_select(SpikeAlert).where(SpikeAlert.acknowledged_at.is_(None))
    return list(db.session.scalars(stmt.order_by(SpikeAlert.detected_at.desc()).limit(20)))


def _view_names(q) -> tuple[str, str]:
    """What the audit calls this view of the map, and its name for screen readers."""
    if q.colour_by == "areas":
        return f"map by {q.level}", _("Map of the chosen records, by area")
    return "map", _("Map of the chosen records, in grid cells")


@bp.get("/map")
@require("view_map")
def index():
    zone, filters = current_zone(), MapFilters()
    q = filters.query(local_today(zone))
    own, partners = queries.viewer_orgs(current_user)
    orgs = _org_choices(own, partners)
    allowed = {i for i, _n in orgs}
    org_ids = (q.org_id,) if q.org_id in allowed else None
    flt = queries.MapFilter(*day_bounds(q.start, q.end, zone), org_ids, q.product_id, q.setting)
    bbox, text = q.bbox or _default_bbox(own), _text()
    size = queries.cell_size_deg(*bbox)
    what, label = _view_names(q)
    partners_read = audit_partner_read(current_user, what, flt, bbox, request.remote_addr)
    shown = gather(current_user, q, flt, bbox, size, chosen_language())
    data = MapData(
        bounds=bbox,
        period=f"{q.start.isoformat()} – {q.end.isoformat()}",
        cells=shown["cells"],
        areas=shown["areas"],
        points=shown["points"],
        hot_spots=marks(shown["spots"], text),
        sites=_sites(list(org_ids or allowed), bbox) if "sites" in q.layers else [],
        gi=shown["gi"],
        gaps=shown["gaps"],
    )
    cfg = current_app.config
    m, legends = build_map(
        data,
        tiles_url=cfg.get("MAP_TILES_URL", OSM_TILES),
        attribution=cfg.get("MAP_TILES_ATTRIBUTION", OSM_ATTRIBUTION),
        text=text,
        shown=shown["layers"][:1],
    )
    return render_template(  # the disclosure note only when the view includes partners' data
        "maps/index.html",
        q=q,
        filters=filters,
        parts=page_parts(m, label),
        **tables(shown, TOP_ROWS),
        legends=legends,
        text=text,
        orgs=orgs,
        own_id=own,
        products=active_products(),
        settings=SETTINGS,
        colour_by=COLOUR_BY,
        area_levels=AREA_LEVELS,
        spots=shown["spots"],
        categories=categories(),
        gi_error=shown["gi_error"],
        gi_fdr=format_decimal(100 * cfg["MAP_HOTSPOT_FDR"]),
        gi_min=cfg["MAP_HOTSPOT_MIN_EVENTS"],
        gaps_skipped=shown["gaps_skipped"],
        points=shown["points"],
        alerts=_open_alerts(),
        windows=SPIKE_WINDOWS,
        can_ack=can(current_user, "acknowledge_alerts"),
        bbox=bbox,
        size=size,
        disclosure_note=partners_read and disclosure.note(),
    )


@bp.get("/map/alerts")
@require("view_map")
def alerts():
    stmt = scoped_select(SpikeAlert).order_by(SpikeAlert.detected_at.desc(), SpikeAlert.id.desc())
    page = paginate(db.session, stmt)
    return render_template(
        "maps/alerts.html",
        page=page,
        windows=SPIKE_WINDOWS,
        can_ack=can(current_user, "acknowledge_alerts"),
    )


@bp.post("/map/alerts/<int:alert_id>/acknowledge")
@require("acknowledge_alerts")
def acknowledge(alert_id: int):
    alert = get_visible_or_404(db.session, SpikeAlert, alert_id)
    run_and_flash(lambda: acknowledge_alert(current_user, alert), _("Alert acknowledged."))
    return redirect(_back(url_for("maps.index")))


def _back(default: str) -> str:
    return safe_next(request.form.get("next")) or default


@bp.get("/map/hot-spots")
@require("report_hot_spots")
def hot_spots():
    spots = queries.hot_spots(current_user, include_closed=True)
    return render_template(
        "maps/hot_spots.html",
        spots=spots,
        categories=HOT_SPOT_CATEGORIES,
        can_close=can(current_user, "view_map"),
    )


@bp.route("/map/hot-spots/new", methods=["GET", "POST"])
@require("report_hot_spots")
def new_hot_spot():
    def act(form):
        place = resolve_location(
            current_user.org_id,
            latitude=form.latitude.data,
            longitude=form.longitude.data,
            place_name=form.place_name.data,
        )
        add_hot_spot(
            current_user,
            form.name.data,
            form.category.data,
            place.latitude,
            place.longitude,
            form.radius_m.data,
            form.notes.data,
        )
        return url_for("maps.hot_spots")

    return form_page("maps/hot_spot_new.html", HotSpotForm(), act, _("Hot spot saved."))


@bp.post("/map/hot-spots/<int:spot_id>/close")
@require("view_map")
def close(spot_id: int):
    spot = get_visible_or_404(db.session, HotSpot, spot_id)
    run_and_flash(lambda: close_hot_spot(current_user, spot), _("Hot spot closed."))
    return redirect(url_for("maps.hot_spots"))
