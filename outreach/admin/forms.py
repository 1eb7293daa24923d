"""Forms for organisations, users and areas (the site form: admin/site_forms.py)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from outreach.areas.models import MAX_AT_RISK
from outreach.areas.queries import local_authority_choices
from outreach.auth.forms import NEW_PASSWORD, PASSWORD_LENGTH
from outreach.extensions import db
from outreach.fieldforms import opts
from outreach.orgs.models import (
    CORRECTION_DAYS,
    MAX_CORRECTION_DAYS,
    MAX_RETENTION_MONTHS,
    MIN_RETENTION_MONTHS,
    RETENTION_MONTHS,
    Site,
)
from outreach.places import org_sites

ZONE_LABELS = {
    "Europe/London": _l("UK time (Europe/London)"),
    "Europe/Stockholm": _l("Swedish time (Europe/Stockholm)"),
}


def ZoneField() -> SelectField:  # noqa: N802 - a field factory, read like a field class
    return SelectField(
        _l("Time zone"),
        choices=opts(ZONE_LABELS),
        default="Europe/London",
        validators=[DataRequired()],
        description=_l("Times are typed, shown, reported and exported in this zone."),
    )


NO_CAPS = {"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    area = StringField(
        _l("Area"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("The health board, local authority or region it works in."),
    )
    timezone = ZoneField()
    admin_username = StringField(
        _l("Administrator's username"),
        validators=[Optional(), Length(max=64)],
        render_kw=NO_CAPS,
    )
    admin_display_name = StringField(
        _l("Administrator's name"), validators=[Optional(), Length(max=120)]
    )
    admin_password = PasswordField(
        _l("Administrator's password"),
        validators=[Optional(), PASSWORD_LENGTH],
        render_kw=NEW_PASSWORD,
    )
    submit = SubmitField(_l("Create organisation"))


def AreaCodeField(label, description) -> SelectField:  # noqa: N802 - a field factory
    """A local authority or kommun from the bundled list (set_area_choices fills it)."""
    return SelectField(label, choices=[], validators=[Optional()], description=description)


def set_area_choices(field: SelectField, language: str) -> None:
    field.choices = [("", "—"), *local_authority_choices(language)]


class OrgSettingsForm(FlaskForm):
    timezone = ZoneField()
    correction_days = IntegerField(
        _l("Days to correct a record"),
        default=CORRECTION_DAYS,
        validators=[
            InputRequired(),
            NumberRange(
                0,
                MAX_CORRECTION_DAYS,
                _l("Give a number of days from 0 to %(max)d.", max=MAX_CORRECTION_DAYS),
            ),
        ],
        description=_l(
            "How long the person who recorded a handout, contact or overdose report may "
            "correct or void it. Coordinators and administrators may at any time. "
            "0: only they may."
        ),
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_CORRECTION_DAYS},
    )
    retention_months = IntegerField(
        _l("Months to keep person-level details"),
        default=RETENTION_MONTHS,
        validators=[
            Optional(),  # left out: unchanged
            NumberRange(
                MIN_RETENTION_MONTHS,
                MAX_RETENTION_MONTHS,
                _l(
                    "Give a number of months from %(min)d to %(max)d.",
                    min=MIN_RETENTION_MONTHS,
                    max=MAX_RETENTION_MONTHS,
                ),
            ),
        ],
        description=_l(
            "After this many whole months, client codes, notes, place names and exact "
            "positions are removed from handouts, contacts, overdose reports and training "
            "records. The monthly reports stay the same."
        ),
        render_kw={
            "inputmode": "numeric",
            "min": MIN_RETENTION_MONTHS,
            "max": MAX_RETENTION_MONTHS,
        },
    )
    home_area_code = AreaCodeField(
        _l("Home local authority or kommun"),
        _l("Supplies and overdose reports with no site of a known area count here."),
    )
    mfa_required = BooleanField(
        _l("Coordinators, stock managers and administrators must use two-step verification"),
        description=_l(
            "They type a code from an app on their own phone after their password. Peers and "
            "trainers, who share tablets, are not asked."
        ),
    )
    submit = SubmitField(_l("Save settings"))


class ActiveForm(FlaskForm):
    """A one-button form that opens or closes something (the CSRF token is its point)."""

    active = HiddenField()


def _posted_id(value) -> int | None:
    """A posted id as a number; anything else becomes -1, which the service refuses with its
    own clear message (the choices are not trusted to guard the field)."""
    if value in (None, "", 0, "0"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1


def BaseSiteField() -> SelectField:  # noqa: N802 - a field factory, read like a field class
    return SelectField(
        _l("Base site"),
        coerce=_posted_id,
        validate_choice=False,  # admin.services.base_site decides, with a clear message
        description=_l(
            "The site this person works from: the kits in their bag count in its stock."
        ),
    )


def set_base_site_choices(field: SelectField, org_id: int, kept: int | None = None) -> None:
    """The organisation's open sites, after "— none —"; `kept`: a person's base site that has
    closed since, so the form shows it and saving leaves it."""
    sites = [(s.id, s.name) for s in org_sites(org_id)]
    if kept and kept not in {i for i, _name in sites}:
        site = db.session.get(Site, kept)
        if site is not None:
            sites.append((site.id, _l("%(name)s (closed)", name=site.name)))
    field.choices = opts([("", _l("— none —"))] + sites)


class UserForm(FlaskForm):
    username = StringField(
        _l("Username"), validators=[DataRequired(), Length(max=64)], render_kw=NO_CAPS
    )
    display_name = StringField(
        _l("Display name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("How the app shows this person to colleagues."),
    )
    role = SelectField(_l("Role"), validators=[DataRequired()])
    site_id = BaseSiteField()
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), PASSWORD_LENGTH],
        description=_l("At least 10 characters. Give it to the person privately."),
        render_kw=NEW_PASSWORD,
    )
    submit = SubmitField(_l("Create user"))


class UserEditForm(FlaskForm):
    display_name = StringField(_l("Display name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), validators=[DataRequired()])
    site_id = BaseSiteField()
    active = BooleanField(_l("Active: this person can log in"))
    new_password = PasswordField(
        _l("New password"),
        validators=[Optional(), PASSWORD_LENGTH],
        description=_l("Leave empty to keep the password. A new one logs the person out."),
        render_kw=NEW_PASSWORD,
    )
    submit = SubmitField(_l("Save changes"))


class AtRiskForm(FlaskForm):
    at_risk_estimate = IntegerField(
        _l("Estimated people at risk"),
        validators=[
            Optional(),
            NumberRange(1, MAX_AT_RISK, _l("Give a number from 1 to %(max)d.", max=MAX_AT_RISK)),
        ],
        description=_l(
            "People at risk of opioid overdose living in the area, e.g. the national estimate "
            "of people with problem drug use. Leave empty if there is none."
        ),
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_AT_RISK},
    )
    at_risk_source = StringField(
        _l("Source of the estimate"),
        validators=[Optional(), Length(max=200)],
        description=_l("Who made the estimate, and for which year."),
    )
    submit = SubmitField(_l("Save estimate"))
