"""Stock forms: receive, move, count, write off, resupply requests, minimum levels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from outreach.fieldforms import check_wall_clock, opts, wall_clock_utc

WRITEOFF_LABELS = {
    "expired": _l("Expired"),
    "damaged": _l("Damaged"),
    "lost": _l("Lost"),
    "stolen": _l("Stolen"),
}

MOVEMENT_LABELS = {
    "receipt": _l("Delivery received"),
    "transfer": _l("Transfer"),
    "handout": _l("Handout"),
    "adjustment": _l("Count adjustment"),
    "writeoff": _l("Write-off"),
    "recall": _l("Recall"),
    "reversal": _l("Reversal"),
}
REQUEST_STATUSES = {"open": _l("Open"), "fulfilled": _l("Fulfilled"), "cancelled": _l("Cancelled")}


def _kits(label, minimum: int = 1):
    return IntegerField(
        label,
        validators=[InputRequired(), NumberRange(minimum, 100000)],
        render_kw={"inputmode": "numeric", "min": minimum},
    )


class StockForm(FlaskForm):
    """A stock form: it carries a one-time key, made when it is shown (outreach/stock/formkeys)."""

    form_key = HiddenField()


class ReceiveForm(StockForm):
    site_id = SelectField(_l("Site"), coerce=int, validators=[DataRequired()])
    supplier = StringField(
        _l("Supplier"),
        validators=[Optional(), Length(max=80)],
        description=_l("For example Martindale. Needed with a delivery reference."),
        render_kw={"list": "suppliers", "autocomplete": "off"},
    )
    reference = StringField(
        _l("Delivery reference"),
        validators=[Optional(), Length(max=80)],
        description=_l("The number on the delivery note. Each one is recorded once."),
    )
    product_id = SelectField(_l("Product"), coerce=int, validators=[DataRequired()])
    batch_number = StringField(_l("Batch number"), validators=[DataRequired(), Length(max=40)])
    expiry_date = DateField(_l("Expiry date"), validators=[InputRequired()])
    quantity = _kits(_l("Number of kits"))
    received_at = DateTimeLocalField(
        _l("Arrived on"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Leave empty when it arrived just now."),
    )
    late_reason = StringField(
        _l("Why it is recorded late"),
        validators=[Optional(), Length(max=120)],
        description=_l("Needed when it arrived more than a day ago."),
    )
    add_to_existing = BooleanField(_l("Add to that delivery"))
    submit = SubmitField(_l("Record delivery"))
    duplicate = False  # set when the reference names a delivery already recorded

    def validate_received_at(self, field) -> None:
        check_wall_clock(field)

    def received_utc(self):
        return wall_clock_utc(self.received_at.data)


class MoveForm(StockForm):
    from_place = SelectField(_l("From"), validators=[DataRequired()])
    to_place = SelectField(_l("To"), validators=[DataRequired()])
    batch_id = SelectField(_l("Batch"), coerce=int, validators=[DataRequired()])
    quantity = _kits(_l("Number of kits"))
    submit = SubmitField(_l("Move kits"))


class CountForm(StockForm):
    place = SelectField(_l("Where"), validators=[DataRequired()])
    batch_id = SelectField(_l("Batch"), coerce=int, validators=[DataRequired()])
    counted = _kits(_l("Kits counted"), minimum=0)
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("For example: monthly count, or kits found in the van."),
    )
    submit = SubmitField(_l("Record count"))


class WriteOffForm(StockForm):
    place = SelectField(_l("Where"), validators=[DataRequired()])
    batch_id = SelectField(_l("Batch"), coerce=int, validators=[DataRequired()])
    quantity = _kits(_l("Number of kits"))
    reason = SelectField(_l("Reason"), choices=opts(WRITEOFF_LABELS), validators=[DataRequired()])
    submit = SubmitField(_l("Write off"))


class ResupplyRequestForm(StockForm):
    product_id = SelectField(_l("Product"), coerce=int, validators=[Optional()])
    quantity = IntegerField(
        _l("Number of kits"),
        default=10,
        validators=[InputRequired(), NumberRange(1, 500)],
        render_kw={"inputmode": "numeric", "min": 1, "max": 500},
    )
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=255)])
    submit = SubmitField(_l("Ask for more kits"))


class FulfilForm(StockForm):
    from_place = SelectField(_l("From store"), validators=[DataRequired()])
    batch_id = SelectField(_l("Batch"), coerce=int, validators=[DataRequired()])
    quantity = _kits(_l("Number of kits"))
    submit = SubmitField(_l("Fulfil"))


class ReverseForm(StockForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Reverse"))


class RecallForm(StockForm):
    reference = StringField(
        _l("Recall notice reference"), validators=[DataRequired(), Length(max=80)]
    )
    submit = SubmitField(_l("Recall this batch"))


class MinLevelForm(FlaskForm):
    min_level = _kits(_l("Minimum kits"), minimum=0)
    submit = SubmitField(_l("Save minimum"))
