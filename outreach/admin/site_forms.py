"""The site form of Administration → Sites: where the site is, how the returns count it, and
what the organisation tells the public about it (outreach.orgs.publish)."""

from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, FloatField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from outreach.admin.forms import AreaCodeField, set_area_choices
from outreach.contacts.forms import MultiCheckboxField
from outreach.fieldforms import opts
from outreach.i18n import FORMAT_LOCALE
from outreach.orgs.hours import DAYS
from outreach.orgs.models import ACCESSIBILITY_MAX, ADDRESS_MAX, HOURS_NOTE_MAX
from outreach.orgs.publish import LANGUAGE_CODES, PublicFacts, language_name
from outreach.vocab import OUTLET_TYPES

DAY_TEXT_MAX = 60  # "09:00-12:30, 13:30-17:00, 19:00-22:00" and room to spare


def _day() -> StringField:
    """One day's opening times; its label (the day's name) is set in the reader's language."""
    return StringField(
        validators=[Optional(), Length(max=DAY_TEXT_MAX)], render_kw={"autocomplete": "off"}
    )


class SiteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    area = StringField(
        _l("Area"),
        validators=[Optional(), Length(max=120)],
        description=_l("Leave empty to use your organisation's area."),
    )
    area_code = AreaCodeField(
        _l("Local authority or kommun"),
        _l("The returns to the national programmes count this site's supplies here."),
    )
    outlet_type = SelectField(
        _l("Kind of outlet"),
        choices=opts(OUTLET_TYPES, _l("By each supply's setting")),
        validators=[Optional()],
        description=_l("How Scotland's naloxone programme counts the supplies made here."),
    )
    latitude = FloatField(
        _l("Latitude"),
        validators=[Optional(), NumberRange(-90, 90)],
        render_kw={"inputmode": "decimal"},
    )
    longitude = FloatField(
        _l("Longitude"),
        validators=[Optional(), NumberRange(-180, 180)],
        render_kw={"inputmode": "decimal"},
    )
    place_name = StringField(
        _l("Place name"),
        validators=[Optional(), Length(max=120)],
        description=_l("Without coordinates, we look this place up to put the site on the map."),
    )
    # On the public page "Where to get naloxone": the service checks every value again.
    public = BooleanField(_l("Show this site on the public page “Where to get naloxone”"))
    address = StringField(
        _l("Address or directions"),
        validators=[Optional(), Length(max=ADDRESS_MAX)],
        description=_l("Shown to the public as you type it, in every language."),
    )
    hours_mon, hours_tue, hours_wed = _day(), _day(), _day()
    hours_thu, hours_fri, hours_sat, hours_sun = _day(), _day(), _day(), _day()
    hours_note = StringField(
        _l("About the opening times"),
        validators=[Optional(), Length(max=HOURS_NOTE_MAX)],
        description=_l("For example: closed on bank holidays. Shown as you type it."),
    )
    languages = MultiCheckboxField(_l("Languages spoken"), validators=[Optional()])
    accessibility = StringField(
        _l("Accessibility"),
        validators=[Optional(), Length(max=ACCESSIBILITY_MAX)],
        description=_l(
            "For example: step-free entrance, accessible toilet, hearing loop. "
            "Shown as you type it."
        ),
    )
    offers_nasal = BooleanField(_l("Naloxone nasal spray"))
    offers_injectable = BooleanField(_l("Naloxone injection"))
    offers_training = BooleanField(_l("Training in how to give naloxone"))
    submit = SubmitField(_l("Save site"))

    def set_choices(self, language: str) -> None:
        """The choices and day names in the reader's language."""
        set_area_choices(self.area_code, language)
        names = sorted((language_name(c, language), c) for c in LANGUAGE_CODES)
        self.languages.choices = opts((code, name) for name, code in names)
        days = get_day_names("wide", locale=FORMAT_LOCALE.get(language, "en_GB"))
        for i, day in enumerate(DAYS):
            self[f"hours_{day}"].label.text = days[i][:1].upper() + days[i][1:]

    def day_fields(self) -> list:
        return [self[f"hours_{day}"] for day in DAYS]

    def show_facts(self, facts: PublicFacts) -> None:
        """Fill the public part of the form with a site's stored facts."""
        for day in DAYS:
            self[f"hours_{day}"].data = facts.days.get(day, "")
        self.languages.data = facts.languages

    def public_facts(self) -> PublicFacts:
        return PublicFacts(
            public=self.public.data,
            address=self.address.data,
            days={day: self[f"hours_{day}"].data or "" for day in DAYS},
            hours_note=self.hours_note.data,
            languages=list(self.languages.data or []),
            accessibility=self.accessibility.data,
            offers_nasal=self.offers_nasal.data,
            offers_injectable=self.offers_injectable.data,
            offers_training=self.offers_training.data,
        )


class SiteEditForm(SiteForm):
    active = BooleanField(_l("Active: peers can choose this site"))
