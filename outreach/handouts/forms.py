"""The handout and tally forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from outreach.corrections.forms import CorrectionMixin
from outreach.fieldforms import ClientCodeMixin, FieldRecordForm, opts
from outreach.handouts.services import MAX_KITS, MAX_TALLY_PEOPLE
from outreach.listing import CodeField, IdField, RecordFilters
from outreach.vocab import PREVIOUS_SOURCES, RECIPIENT_TYPES, REPEAT_REASONS, SETTINGS, SUPPLY


def BatchField() -> SelectField:  # noqa: N802 - a field factory, read like a field class
    """A batch in the giver's bag; the service checks it, as the bag may change meanwhile."""
    return SelectField(
        _l("Batch"),
        coerce=int,
        validators=[Optional()],
        validate_choice=False,
        description=_l("The batch that expires first is suggested."),
        render_kw={"data-batch-for": "product_id"},  # static/js/app.js: follows the product
    )


class HandoutForm(ClientCodeMixin, FieldRecordForm):
    product_id = SelectField(_l("Product"), coerce=int, validators=[DataRequired()])
    quantity = IntegerField(
        _l("Number of kits"),
        default=1,
        validators=[InputRequired(), NumberRange(1, MAX_KITS)],
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_KITS},
    )
    supply = RadioField(
        _l("Supply"),
        choices=opts(SUPPLY),
        validators=[InputRequired(_l("Say whether this is a first or a repeat supply."))],
    )
    setting = SelectField(_l("Setting"), choices=opts(SETTINGS), default="street")
    recipient_type = SelectField(
        _l("Recipient"), choices=opts(RECIPIENT_TYPES, "—"), validators=[Optional()]
    )
    repeat_reason = SelectField(
        _l("Reason for repeat supply"), choices=opts(REPEAT_REASONS, "—"), validators=[Optional()]
    )
    previous_source = SelectField(
        _l("Where the previous kit came from"),
        choices=opts(PREVIOUS_SOURCES, "—"),
        validators=[Optional()],
    )
    training_given = BooleanField(_l("Overdose and naloxone training given"))
    batch_label = StringField(_l("Batch number"), validators=[Optional(), Length(max=40)])
    batch_id = BatchField()
    giver_id = SelectField(_l("Given by"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save handout"))


class TallyForm(FieldRecordForm):
    product_id = SelectField(_l("Product"), coerce=int, validators=[DataRequired()])
    quantity = IntegerField(
        _l("Number of kits"),
        validators=[InputRequired(), NumberRange(1, MAX_KITS)],
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_KITS},
    )
    people_count = IntegerField(
        _l("Number of people"),
        validators=[Optional(), NumberRange(1, MAX_TALLY_PEOPLE)],
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_TALLY_PEOPLE},
    )
    people_trained = IntegerField(
        _l("Number of people trained"),
        validators=[Optional(), NumberRange(0, MAX_TALLY_PEOPLE)],
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_TALLY_PEOPLE},
    )
    setting = SelectField(_l("Setting"), choices=opts(SETTINGS), default="hostel")
    batch_label = StringField(_l("Batch number"), validators=[Optional(), Length(max=40)])
    batch_id = BatchField()
    giver_id = SelectField(_l("Given by"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save tally"))


def fill_handout_form(form, handout) -> None:
    """A correction's form, showing the handout as it is."""
    form.fill_from(handout)
    for name in ("product_id", "quantity", "setting", "giver_id", "batch_label"):
        getattr(form, name).data = getattr(handout, name)
    form.batch_id.data = handout.batch_id or 0
    if handout.kind == "tally":
        form.people_count.data, form.people_trained.data = (
            handout.people_count,
            handout.people_trained,
        )
        return
    form.supply.data = handout.supply
    form.training_given.data = handout.training_given
    for name in ("recipient_type", "repeat_reason", "previous_source"):
        getattr(form, name).data = getattr(handout, name) or ""


class HandoutCorrectionForm(CorrectionMixin, HandoutForm):
    pass


class TallyCorrectionForm(CorrectionMixin, TallyForm):
    pass


class HandoutFilters(RecordFilters):
    setting = CodeField(
        _l("Setting"), codes=tuple(SETTINGS), message=_l("Choose a setting from the list.")
    )
    product_id = IdField(_l("Product"))
    kind = CodeField(_l("Kind"), codes=("single", "tally"))
    supply = CodeField(_l("Supply"), codes=tuple(SUPPLY))
