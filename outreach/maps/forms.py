"""The named hot spot form, and the map page's filters read from the query string."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from outreach.fieldforms import opts
from outreach.limits import MAX_DB_INT
from outreach.maps.models import HOT_SPOT_CATEGORIES, MAX_RADIUS_M


class HotSpotForm(FlaskForm):
    name = StringField(
        _l("Name of the place"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("A name others will recognise, such as a street or a landmark."),
    )
    category = SelectField(
        _l("Category"), choices=opts(HOT_SPOT_CATEGORIES, "—"), validators=[DataRequired()]
    )
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    place_name = StringField(
        _l("Or a place name"),
        validators=[Optional(), Length(max=120)],
        description=_l("A town, street or landmark, used when there is no position."),
    )
    radius_m = IntegerField(
        _l("Radius in metres"),
        default=200,
        validators=[InputRequired(), NumberRange(10, MAX_RADIUS_M)],
        render_kw={"inputmode": "numeric", "min": 10, "max": MAX_RADIUS_M, "step": 10},
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "Do not write names, nicknames, descriptions or anything else that could "
            "identify a person. Partner organisations never see these notes."
        ),
    )
    submit = SubmitField(_l("Save hot spot"))


# The whole map when the viewer's organisation has no sites: Wales, England and Sweden.
DEFAULT_BBOX = (49.9, -6.5, 69.1, 24.2)
CELL_LAYERS = ("handouts", "contacts", "overdoses")
EXTRA_LAYERS = ("points", "hot_spots", "sites", "gaps")
DEFAULT_DAYS = 90


@dataclass
class MapQuery:
    """The map page's filters as read from the query string (the form works without JS)."""

    start: date
    end: date
    org_id: int | None
    product_id: int | None
    setting: str | None
    layers: tuple[str, ...]
    gi_layer: str | None
    bbox: tuple[float, float, float, float] | None


# Ids are database integers; dates outside these bounds overflow when a day is added or the
# local day is turned into UTC, so they are treated as invalid (the default is used).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


def _int(raw: str | None) -> int | None:
    try:
        value = int(raw) if raw else None
    except ValueError:
        return None
    return value if value is not None and 1 <= value <= MAX_DB_INT else None


def _day(raw: str | None) -> date | None:
    try:
        day = date.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    return day if day is not None and FIRST_DAY <= day <= LAST_DAY else None


def parse_bbox(raw: str | None) -> tuple[float, float, float, float] | None:
    """ "south,west,north,east" in degrees, or None when absent or not a valid box."""
    try:
        south, west, north, east = (float(v) for v in (raw or "").split(","))
    except ValueError:
        return None
    if not all(math.isfinite(v) for v in (south, west, north, east)):
        return None
    south, north = max(-90.0, south), min(90.0, north)  # a zoomed-out map reaches past these
    west, east = max(-180.0, west), min(180.0, east)
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        return None
    return south, west, north, east


def padded_extent(points: list[tuple[float, float]], pad_deg: float = 0.05) -> tuple | None:
    """The box around (lat, lon) points, grown by a fifth of its size and at least pad_deg."""
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    dlat = max(pad_deg, (max(lats) - min(lats)) / 5)
    dlon = max(pad_deg, (max(lons) - min(lons)) / 5)
    return (
        max(-90.0, min(lats) - dlat),
        max(-180.0, min(lons) - dlon),
        min(90.0, max(lats) + dlat),
        min(180.0, max(lons) + dlon),
    )


def read_map_query(args, today: date, settings: dict) -> MapQuery:
    """Filters from `args` (a MultiDict); anything invalid falls back to the default."""
    end = _day(args.get("end")) or today
    start = _day(args.get("start")) or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        start, end = end, start
    if args.get("f"):  # the form was sent: unticked boxes mean "off"
        chosen = set(args.getlist("layer"))
        layers = tuple(x for x in CELL_LAYERS + EXTRA_LAYERS if x in chosen)
    else:
        layers = CELL_LAYERS + EXTRA_LAYERS
    gi = args.get("gi", "overdoses" if not args.get("f") else "")
    setting = args.get("setting") or None
    return MapQuery(
        start=start,
        end=end,
        org_id=_int(args.get("org_id")),
        product_id=_int(args.get("product_id")),
        setting=setting if setting in settings else None,
        layers=layers,
        gi_layer=gi if gi in CELL_LAYERS else None,
        bbox=parse_bbox(args.get("bbox")),
    )
