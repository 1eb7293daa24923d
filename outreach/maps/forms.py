"""The named hot spot form, and the map page's filters: a GET form over the query string."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from outreach.fieldforms import opts
from outreach.geo.grid import BadBox, parse_bbox
from outreach.listing import CodeField, CodesField, DayField, IdField
from outreach.maps.models import HOT_SPOT_CATEGORIES, MAX_RADIUS_M
from outreach.vocab import SETTINGS


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
# What the map colours: grid squares, or areas of one level (outreach.maps.by_area).
COLOUR_BY = {"cells": _l("Grid squares"), "areas": _l("Areas")}
AREA_LEVELS = {
    "board": _l("Health board or region"),
    "local_authority": _l("Local authority or kommun"),
    "partnership": _l("Partnership"),
}


@dataclass
class MapQuery:
    """The map page's filters, with a default in place of anything missing or refused."""

    start: date
    end: date
    org_id: int | None
    product_id: int | None
    setting: str | None
    layers: tuple[str, ...]
    gi_layer: str | None
    bbox: tuple[float, float, float, float] | None
    colour_by: str = "cells"
    level: str = "board"


# Ids are database integers; dates outside these bounds overflow when a day is added or the
# local day is turned into UTC, so they are treated as invalid (the default is used).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)


def bbox_message(exc: BadBox) -> str:
    """A refused box in the reader's language."""
    if exc.reason == "numbers":
        return _("Give bbox as four numbers: south,west,north,east.")
    return _("The box must have south below north and west left of east.")


def _in_range(form, field) -> None:
    if field.data is not None and not FIRST_DAY <= field.data <= LAST_DAY:
        raise ValidationError(
            _l("Choose a day from %(first)s to %(last)s.", first=FIRST_DAY, last=LAST_DAY)
        )


class MapFilters(FlaskForm):
    """The map page's filters from the query string (the form works without JavaScript). A
    refused value is said by its field and shown as typed; the map uses its default."""

    class Meta:
        csrf = False

    start = DayField(_l("From"), validators=[Optional(), _in_range])
    end = DayField(_l("To"), validators=[Optional(), _in_range])
    org_id = IdField(_l("Organisation"))
    product_id = IdField(_l("Product"))
    setting = CodeField(
        _l("Setting"), codes=tuple(SETTINGS), message=_l("Choose a setting from the list.")
    )
    gi = CodeField(_l("Computed hot spots"), codes=CELL_LAYERS)
    layer = CodesField(_l("Layers"), codes=CELL_LAYERS + EXTRA_LAYERS)
    bbox = StringField(_l("Map area"))
    colour_by = CodeField(_l("Colour by"), codes=tuple(COLOUR_BY))
    level = CodeField(_l("Area level"), codes=tuple(AREA_LEVELS))
    f = StringField()  # the form was sent: unticked boxes mean "off"

    def __init__(self):
        super().__init__(formdata=request.args)
        self.validate()

    def validate_bbox(self, field) -> None:
        try:
            field.box = parse_bbox(field.data, clamp=True) if field.data else None
        except BadBox as exc:
            field.box = None
            raise ValidationError(bbox_message(exc)) from None

    def _ok(self, name: str):
        field = self[name]
        return None if field.errors else field.data

    def query(self, today: date) -> MapQuery:
        end = self._ok("end") or today
        start = self._ok("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            start, end = end, start
        sent = bool(self.f.data)
        if sent:
            chosen = set(self.layer.data or ())  # a refused one is left out, the rest shown
            layers = tuple(x for x in CELL_LAYERS + EXTRA_LAYERS if x in chosen)
        else:
            layers = CELL_LAYERS + EXTRA_LAYERS
        gi = self._ok("gi") if self.gi.raw_data or sent else "overdoses"
        return MapQuery(
            start=start,
            end=end,
            org_id=self._ok("org_id"),
            product_id=self._ok("product_id"),
            setting=self._ok("setting") or None,
            layers=layers,
            gi_layer=gi or None,
            bbox=getattr(self.bbox, "box", None),
            colour_by=self._ok("colour_by") or "cells",
            level=self._ok("level") or "board",
        )

    def typed(self, name: str) -> str:
        return self[name]._value() or ""
