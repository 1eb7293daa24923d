"""Form pieces shared by the field records: where, when and the client code."""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DateTimeLocalField, FloatField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from outreach import demographics
from outreach.clientcode import ClientCodeError, code_digest, keyed_hash, tablet_key
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.i18n import current_zone
from outreach.models.base import utcnow
from outreach.orgs.models import Site
from outreach.places import Location, org_sites, resolve_location
from outreach.timezones import NonexistentTime, local_day, local_input, to_utc
from outreach.vocab import AGE_BANDS, SEX


def opts(pairs, blank: str | None = None) -> list[SelectChoice]:
    """WTForms choices from (value, label) pairs or a coded-list dict, optionally led by a blank."""
    items = list(pairs.items()) if isinstance(pairs, dict) else list(pairs)
    lead = [SelectChoice("", blank)] if blank is not None else []
    return lead + [SelectChoice(value, label) for value, label in items]


def check_wall_clock(field) -> None:
    """A form validator: a typed local time must exist in the organisation's zone."""
    if field.data is None:
        return
    try:
        to_utc(field.data, current_zone())
    except NonexistentTime:
        raise ValidationError(
            _l(
                "%(time)s does not exist on this day: the clocks went forward an hour. "
                "Check the time.",
                time=field.data.strftime("%H:%M"),
            )
        ) from None


def record_day(occurred_at: datetime | None) -> date:
    """The organisation's local day of a record's time (now, when the form left it empty)."""
    return local_day(occurred_at or utcnow(), current_zone())


def wall_clock_utc(typed: datetime | None) -> datetime | None:
    """A typed time, in the organisation's zone, as UTC (see outreach/timezones.py: a time the
    autumn clock change repeats is its first occurrence)."""
    if not typed:
        return None
    return to_utc(typed, current_zone())


class FieldRecordForm(FlaskForm):
    """Base for a record made in the field: its device id, time and place."""

    client_id = HiddenField()
    occurred_at = DateTimeLocalField(_l("When"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)])
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)])
    site_id = SelectField(_l("Site"), coerce=int, validators=[Optional()])
    place_name = StringField(
        _l("Place name"),
        validators=[Optional(), Length(max=120)],
        description=_l("A street, hostel or town. No home addresses."),
    )

    def set_site_choices(self, org_id: int, kept: int | None = None) -> None:
        """The organisation's active sites (`kept`: a corrected record's site, even if closed)."""
        sites = [(s.id, s.name) for s in org_sites(org_id)]
        if kept and kept not in {i for i, _name in sites}:
            site = db.session.get(Site, kept)
            sites.append((kept, site.name if site else str(kept)))
        self.site_id.choices = opts([(0, _l("— no site —"))] + sites)

    def validate_occurred_at(self, field) -> None:
        check_wall_clock(field)

    def occurred_utc(self) -> datetime | None:
        return wall_clock_utc(self.occurred_at.data)

    def corrected_time(self, record) -> datetime | None:
        """The time typed on a correction: the record's own (to the second) when the minute
        shown was left as it was."""
        if self.occurred_at.data == local_input(record.occurred_at, current_zone()):
            return record.occurred_at
        return self.occurred_utc()

    def fill_from(self, record) -> None:
        """Show a record's time and place as they were given: a GPS point, a site (which then
        moves the point when changed), or a place name."""
        self.occurred_at.data = local_input(record.occurred_at, current_zone())
        self.site_id.data = record.site_id or 0
        self.place_name.data = record.place_name
        if record.location_source == "gps":
            self.latitude.data, self.longitude.data = record.latitude, record.longitude

    def location(self, org_id: int) -> Location:
        return resolve_location(
            org_id,
            self.latitude.data,
            self.longitude.data,
            self.site_id.data or None,
            self.place_name.data,
        )


class ClientCodeMixin:
    """Initials, birth date and sex, typed but never stored: only a keyed hash is kept, and for
    the national figures the age band and the sex (band_and_sex)."""

    client_initials = StringField(
        _l("Initials (first name, family name)"),
        validators=[Optional(), Length(max=4)],
        render_kw={"autocomplete": "off", "maxlength": 4},
    )
    client_dob = DateField(
        _l("Date of birth"), validators=[Optional()], render_kw={"autocomplete": "off"}
    )
    client_sex = SelectField(_l("Sex"), choices=opts(SEX, "—"), validators=[Optional()])
    # Filled by the tablet's script: an HMAC of the parts under the tablet key (code_key), so
    # the parts never leave it.
    client_code_digest = HiddenField()
    # Filled by the same script from the parts it then clears: the age band on the record's
    # local day (static/js/outbox-store.js ageBand) and the sex. The birth date never leaves.
    age_band = HiddenField()
    sex = HiddenField()

    @property
    def code_key(self) -> str:
        """The tablet key the page's script makes the digest with (clientcode.tablet_key)."""
        return tablet_key(current_app.config["CLIENT_CODE_KEY"])

    def corrected_hash(self, record) -> str | None:
        """The client code after a correction: a newly typed one, none when the form's
        "remove" box is ticked, else the record's own."""
        remove = getattr(self, "clear_client_code", None)
        if remove is not None and remove.data:
            return None
        return self.client_hash() or record.client_hash

    def code_typed(self) -> bool:
        """Whether a client code was typed on this form: its parts, or the tablet's digest."""
        parts = (self.client_initials.data, self.client_dob.data, self.client_sex.data)
        return any(parts) or bool((self.client_code_digest.data or "").strip())

    def band_and_sex(self, day: date) -> tuple[str | None, str | None]:
        """The person's age band on the record's local `day`, and sex: worked out here from a
        typed birth date and sex (a page without the script), else as the tablet's script left
        them in the hidden fields when it cleared the parts."""
        if self.client_dob.data or self.client_sex.data:
            born, sex = self.client_dob.data, self.client_sex.data or None
            return demographics.age_band(born, day), sex
        band = (self.age_band.data or "").strip() or None
        sex = (self.sex.data or "").strip().upper() or None
        if band is not None and band not in AGE_BANDS:
            raise DomainError(
                "client_dob", _l("The age band could not be read. Type the date of birth again.")
            )
        if sex is not None and sex not in SEX:
            raise DomainError("client_sex", _l("Choose a value for sex."))
        return band, sex

    def corrected_band_and_sex(self, record, day: date) -> tuple[str | None, str | None]:
        """A correction's age band and sex: worked out again from a code typed anew, else the
        record's own. Removing the code keeps them, as retention does (outreach/retention):
        they count in their period's figures."""
        if self.code_typed():
            return self.band_and_sex(day)
        return record.age_band, record.sex

    def client_hash(self) -> str | None:
        digest = (self.client_code_digest.data or "").strip()
        parts = (self.client_initials.data, self.client_dob.data, self.client_sex.data)
        try:
            if not digest and any(parts):
                if not all(parts):
                    raise DomainError(
                        "client_initials",
                        _l("For a client code, give initials, date of birth and sex — or none."),
                    )
                digest = code_digest(*parts)
            if not digest:
                return None
            return keyed_hash(digest, current_app.config["CLIENT_CODE_KEY"])
        except ClientCodeError as exc:
            messages = {
                "client_initials": _l("Give two initials: first name and family name."),
                "client_dob": _l("The date of birth is not plausible."),
                "client_sex": _l("Choose a value for sex."),
                "client_code_digest": _l("The client code could not be read. Type it again."),
            }
            raise DomainError(exc.field, messages[exc.field]) from exc


def kept_choice(choices: list, key: int, model, attribute: str) -> list:
    """[(key, its name)] when `key` is not among `choices` yet, else []: a corrected record's
    product, giver, site or batch stays a choice, even if withdrawn since."""
    if key in {k for k, _name in choices}:
        return []
    row = db.session.get(model, key)
    return [(key, getattr(row, attribute) if row else str(key))]


def local_now_input() -> datetime:
    """Now, as the organisation's wall clock shows it, for a form's time field."""
    return local_input(utcnow(), current_zone())


def prefill_now(form: FieldRecordForm) -> None:
    """Fill the time field with now, marked as such (data-now): a tablet showing the form later
    from its cache moves it to its own now, and an untouched "now" means the moment of saving.
    A time shown again after a refusal carries no mark: it stays as typed."""
    form.occurred_at.data = local_now_input()
    form.occurred_at.render_kw = {**(form.occurred_at.render_kw or {}), "data-now": ""}
