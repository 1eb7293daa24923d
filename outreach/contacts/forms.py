"""The outreach contact form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField, SubmitField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from outreach.contacts.services import MAX_PEOPLE, NOTE_MESSAGES, NOTES_MAX
from outreach.corrections.forms import CorrectionMixin
from outreach.fieldforms import ClientCodeMixin, FieldRecordForm, opts
from outreach.freetext import identifying_detail
from outreach.listing import CodeField, RecordFilters
from outreach.vocab import REFERRALS, SERVICES, SETTINGS


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes; none ticked is a valid answer."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ContactForm(ClientCodeMixin, FieldRecordForm):
    setting = SelectField(_l("Setting"), choices=opts(SETTINGS), default="street")
    people_count = IntegerField(
        _l("Number of people"),
        default=1,
        validators=[Optional(), NumberRange(1, MAX_PEOPLE)],  # left empty counts as one
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_PEOPLE},
    )
    services = MultiCheckboxField(
        _l("Services offered"), choices=opts(SERVICES), validators=[Optional()]
    )
    referrals = MultiCheckboxField(
        _l("Referrals made"), choices=opts(REFERRALS), validators=[Optional()]
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=NOTES_MAX)],
        render_kw={"rows": 4, "maxlength": NOTES_MAX},
    )
    submit = SubmitField(_l("Save contact"))

    def validate_notes(self, field) -> None:
        kind = identifying_detail(field.data)
        if kind:
            raise ValidationError(str(NOTE_MESSAGES[kind]))


class ContactCorrectionForm(CorrectionMixin, ContactForm):
    def fill(self, contact) -> None:
        """Show the contact as it is."""
        self.fill_from(contact)
        self.setting.data, self.people_count.data = contact.setting, contact.people_count
        self.services.data, self.referrals.data = contact.service_codes, contact.referral_codes
        self.notes.data = contact.notes


class ContactFilters(RecordFilters):
    setting = CodeField(
        _l("Setting"), codes=tuple(SETTINGS), message=_l("Choose a setting from the list.")
    )
