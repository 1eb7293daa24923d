"""The product (kit type) form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from outreach.fieldforms import opts
from outreach.vocab import ROUTES


class ProductForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("As on the pack, for example Nyxoid 1.8 mg nasal spray."),
    )
    strength = StringField(
        _l("Strength"),
        validators=[DataRequired(), Length(max=60)],
        description=_l("For example 2 mg/2 ml."),
    )
    route = RadioField(
        _l("How it is given"),
        choices=opts(ROUTES),
        validators=[InputRequired(_l("Choose how the naloxone is given."))],
    )
    doses_per_kit = IntegerField(
        _l("Doses per kit"),
        validators=[InputRequired(), NumberRange(1, 50)],
        render_kw={"inputmode": "numeric", "min": 1, "max": 50},
    )
    submit = SubmitField(_l("Add product"))


class ActiveForm(FlaskForm):
    """The withdraw / bring-back button (the CSRF token is its point)."""

    active = HiddenField()
