"""The training session form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from outreach.fieldforms import ClientCodeMixin, opts
from outreach.listing import CodeField, ListFilters
from outreach.trainings.services import MAX_COMMUNITY
from outreach.vocab import TRAINING_KINDS, TRAINING_TOPICS


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TrainingSessionForm(ClientCodeMixin, FlaskForm):
    client_id = HiddenField()
    held_on = DateField(_l("Date held"), validators=[InputRequired()])
    place = StringField(
        _l("Place"),
        validators=[DataRequired(_l("Say where the session was held.")), Length(max=120)],
        description=_l("A training room, hostel or town. No home addresses."),
    )
    trainer_id = SelectField(_l("Trainer"), coerce=int, validators=[InputRequired()])
    kind = SelectField(
        _l("Kind of training"), choices=opts(TRAINING_KINDS), default="peer_distributor"
    )
    topics = CheckboxListField(_l("Topics covered"), choices=opts(TRAINING_TOPICS))
    attendee_ids = CheckboxListField(_l("Attendees from your organisation"), coerce=int)
    failed_ids = CheckboxListField(
        _l("Did not pass"),
        coerce=int,
        description=_l("Everyone ticked as an attendee passes unless you tick them here."),
    )
    community_count = IntegerField(
        _l("Number of community attendees"),
        default=0,
        validators=[Optional(), NumberRange(0, MAX_COMMUNITY)],
        description=_l("People from the community trained, for example in a brief intervention."),
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_COMMUNITY},
    )
    valid_months = IntegerField(
        _l("Valid for (months)"),
        validators=[InputRequired(), NumberRange(1, 60)],
        render_kw={"inputmode": "numeric", "min": 1, "max": 60},
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])
    submit = SubmitField(_l("Save training session"))

    def set_people(self, trainers: list, attendees: list) -> None:
        """Choices are the organisation's own people only: another's id fails validation."""
        self.trainer_id.choices = opts([(u.id, u.display_name) for u in trainers])
        people = [(u.id, u.display_name) for u in attendees]
        self.attendee_ids.choices = opts(people)
        self.failed_ids.choices = opts(people)


class TrainingFilters(ListFilters):
    kind = CodeField(_l("Kind of training"), codes=tuple(TRAINING_KINDS))
