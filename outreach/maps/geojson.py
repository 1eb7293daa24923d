"""GeoJSON of the map's aggregated cells, for the page and for partners' own GIS tools."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo

from flask import jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from outreach import disclosure
from outreach.access import require
from outreach.errors import problem
from outreach.geo.grid import SIZE_LADDER, BadBox, BBox, cell_size_deg, grid_shape, parse_bbox
from outreach.i18n import current_zone
from outreach.limits import MAX_DB_INT
from outreach.maps import bp
from outreach.maps.forms import bbox_message
from outreach.maps.layers import LAYERS, MapFilter, cells, viewer_orgs
from outreach.maps.queries import gi_star
from outreach.maps.services import audit_partner_read
from outreach.models.base import utcnow
from outreach.timezones import NonexistentTime, start_of_day, to_utc
from outreach.vocab import SETTINGS

# With no bbox: Great Britain, Ireland and Sweden.
DEFAULT_BBOX: BBox = (49.0, -11.0, 70.0, 25.0)
DEFAULT_DAYS = 365
# A request may ask for a finer grid than the view's own, but not one bigger than this.
MAX_GRID = 40_000


class BadParam(ValueError):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def parse_when(
    text: str | None, field: str, end: bool = False, tz: tzinfo = UTC
) -> datetime | None:
    """A date (YYYY-MM-DD: a whole local day in `tz`, the viewer's zone; an end date includes
    that day) or an ISO datetime (without an offset: wall-clock time in `tz`), as UTC."""
    if not text:
        return None
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return start_of_day(day + timedelta(days=1 if end else 0), tz)
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return to_utc(value, tz) if value.tzinfo is None else value.astimezone(UTC)
    except NonexistentTime:
        reason = _(
            "%(time)s does not exist on this day: the clocks went forward an hour. Check the time.",
            time=value.strftime("%H:%M"),
        )
        raise BadParam(field, reason) from None
    except (ValueError, OverflowError):
        raise BadParam(field, _("Enter a date as YYYY-MM-DD.")) from None


def bbox_arg(text: str | None) -> BBox:
    """The request's box (outreach.geo.grid.parse_bbox, nothing clamped), or the default."""
    if not text:
        return DEFAULT_BBOX
    try:
        return parse_bbox(text)
    except BadBox as exc:
        raise BadParam("bbox", bbox_message(exc)) from None


def parse_int(text: str | None, field: str) -> int | None:
    if text in (None, ""):
        return None
    try:
        value = int(text)
    except ValueError:
        raise BadParam(field, _("Enter a whole number.")) from None
    if not 1 <= value <= MAX_DB_INT:
        raise BadParam(field, _("Enter an id from the list."))
    return value


def parse_orgs(values: list[str]) -> tuple[int, ...] | None:
    parts = [p for v in values for p in v.split(",") if p.strip()]
    if not parts:
        return None
    ids = tuple(parse_int(p.strip(), "org") for p in parts)
    own, partners = viewer_orgs(current_user)
    if any(i not in {own, *partners} for i in ids):
        raise BadParam("org", _("Choose organisations whose data you may see."))
    return ids


def parse_request(args) -> tuple[str, MapFilter, BBox, float, bool]:
    layer = args.get("layer") or "handouts"
    if layer not in LAYERS:
        raise BadParam("layer", _("Choose a layer: handouts, contacts or overdoses."))
    tz = current_zone()  # the map's days are the viewer's organisation's local days
    end = parse_when(args.get("end"), "end", end=True, tz=tz) or utcnow()
    try:
        start = parse_when(args.get("start"), "start", tz=tz) or end - timedelta(days=DEFAULT_DAYS)
    except OverflowError:  # an end in year 1 has no default start before it
        raise BadParam("end", _("Enter a date as YYYY-MM-DD.")) from None
    if start >= end:
        raise BadParam("start", _("The start must be before the end."))
    bbox = bbox_arg(args.get("bbox"))
    size = cell_size_deg(*bbox)
    if args.get("size"):
        try:
            size = float(args["size"])
        except ValueError:
            size = -1.0
        rows, cols = grid_shape(bbox, size) if size in SIZE_LADDER else (0, MAX_GRID + 1)
        if size not in SIZE_LADDER or rows * cols > MAX_GRID:
            raise BadParam("size", _("Choose a cell size that suits the box."))
    setting = args.get("setting") or None
    if setting is not None and setting not in SETTINGS:
        raise BadParam("setting", _("Choose a setting from the list."))
    flt = MapFilter(
        start=start,
        end=end,
        org_ids=parse_orgs(args.getlist("org")),
        product_id=parse_int(args.get("product_id"), "product_id"),
        setting=setting,
    )
    gi = args.get("gi") in ("1", "true", "yes")
    return layer, flt, bbox, size, gi


def feature(cell, layer: str, extra: dict | None = None) -> dict:
    props = {
        "key": f"{cell.key[0]},{cell.key[1]}",
        "layer": layer,
        "count": cell.count,
        "own": cell.own,
    }
    props.update(extra or {})
    ring = [[lon, lat] for lon, lat in cell.polygon]
    return {
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": props,
    }


@bp.get("/map/cells.geojson")
@require("view_map")
def cells_geojson():
    """Aggregated cells as a FeatureCollection; partners' parts only as outreach.disclosure
    allows, with nothing saying whether any was left out."""
    try:
        layer, flt, bbox, size, gi = parse_request(request.args)
    except BadParam as exc:
        return problem(400, "Invalid parameter", exc.reason, {exc.field: exc.reason})
    audit_partner_read(current_user, f"cells.geojson {layer}", flt, bbox, request.remote_addr)
    found = cells(current_user, layer, flt, bbox, size)
    scores = {}
    if gi:
        scores = {c.key: (z, p) for c, z, p in gi_star(current_user, layer, flt, bbox, size)}
    features = []
    for cell in found:
        extra = {}
        if gi:
            z, p = scores.get(cell.key, (None, None))
            extra = {"z": None if z is None else round(z, 3), "p": p, "hot": z is not None}
        features.append(feature(cell, layer, extra))
    body = {
        "type": "FeatureCollection",
        "features": features,
        "properties": {
            "layer": layer,
            "cell_size_deg": size,
            "bbox": list(bbox),
            "start": flt.start.isoformat(),
            "end": flt.end.isoformat(),
            "note": disclosure.note(),
        },
    }
    response = jsonify(body)
    response.mimetype = "application/geo+json"
    return response
