"""The public page's search, read from the query string: a place typed, or a coarse position
from the browser, and the page of the list."""

from __future__ import annotations

import math

from flask import request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FloatField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional

PLACE_MAX = 80
COARSE_PLACES = 2  # decimals of a position: about a kilometre, never the visitor's doorstep
MAX_PAGE = 1000


class SearchForm(FlaskForm):
    """Reading it changes nothing, so it has no CSRF token (and sets no cookie)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Town or place"),
        validators=[Optional(), Length(max=PLACE_MAX)],
        description=_l("For example Swansea, Cardiff or Göteborg."),
    )
    lat = FloatField(validators=[Optional(), NumberRange(-90, 90)])
    lon = FloatField(validators=[Optional(), NumberRange(-180, 180)])
    page = IntegerField(validators=[Optional(), NumberRange(1, MAX_PAGE)])

    def __init__(self):
        super().__init__(formdata=request.args)
        self.valid = self.validate()

    def position(self) -> tuple[float, float] | None:
        """The browser's position, rounded again to about a kilometre; None when not given
        whole or not valid."""
        lat, lon = self.lat.data, self.lon.data
        if self.lat.errors or self.lon.errors or lat is None or lon is None:
            return None
        if not (math.isfinite(lat) and math.isfinite(lon)):  # "nan" passes NumberRange
            return None
        return (round(lat, COARSE_PLACES), round(lon, COARSE_PLACES))

    def place(self) -> str:
        return " ".join((self.q.data or "").split())[:PLACE_MAX] if not self.q.errors else ""

    def page_number(self) -> int:
        return self.page.data if self.page.data and not self.page.errors else 1
