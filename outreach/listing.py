"""What every list page shares: its filters, read from the query string through a WTForms GET
form (bad values are shown by their field, as typed), the filtered rows, and each row's who and
where."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import Select, false
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.fields.core import UnboundField
from wtforms.validators import NumberRange, Optional, ValidationError

from outreach.auth.models import User
from outreach.i18n import current_zone
from outreach.limits import MAX_DB_INT
from outreach.orgs.models import Site
from outreach.tenancy import scoped_select, with_voided
from outreach.timezones import start_of_day


def _midnight(day: date | None, tz, days: int = 0) -> datetime | None:
    """Local midnight `days` after `day`, in UTC; None (no bound) when past datetime's range."""
    if day is None:
        return None
    try:
        return start_of_day(day + timedelta(days=days), tz)
    except OverflowError:  # e.g. the day after 9999-12-31: no record is that far away
        return None


def day_bounds(start: date | None, end: date | None, tz) -> tuple[datetime | None, datetime | None]:
    """Inclusive local days as a half-open UTC range, so the occurred_at index is used."""
    return _midnight(start, tz), _midnight(end, tz, days=1)


def id_arg(name: str, source=None) -> int | None:
    """A record id from the query string (or `source`), or None when absent or out of range:
    a number past the database's integer range must not reach a query."""
    raw = (source if source is not None else request.args).get(name, "")
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_DB_INT else None


def with_who_and_where(stmt: Select, model: Any, person: Any) -> Select:
    """`stmt`'s records as rows of (record, display name of the user in `person`, site name):
    the giver of a handout, the recorder of anything else, and the site it was at, if any."""
    return (
        stmt.add_columns(User.display_name, Site.name)
        .outerjoin(User, User.id == person)
        .outerjoin(Site, Site.id == model.site_id)
    )


def where_label(record: Any, site_name: str | None) -> str:
    """Where a record happened, in words: its site, else the place name typed, else a GPS point
    (the record's page and the CSV give the point itself)."""
    return site_name or record.place_name or _("GPS point")


def filter_args(names: tuple[str, ...]) -> dict[str, str]:
    """The list filters `names` given in the query string (no page number, no empty ones)."""
    return {name: request.args[name] for name in names if request.args.get(name)}


# --- Filters: a GET form per list ---


class DayField(DateField):
    """A YYYY-MM-DD day; anything else is refused with a message in the reader's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a date as YYYY-MM-DD.")) from None


class IdField(IntegerField):
    """A record id: a whole number the database's integer can hold."""

    def __init__(self, label=None, **kwargs):
        message = _l("Enter an id from the list.")
        kwargs.setdefault("validators", [Optional(), NumberRange(1, MAX_DB_INT, message=message)])
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Enter a whole number.")) from None


class CodeField(SelectField):
    """One code of a coded list, or empty for "all"; another value is refused by `message`."""

    def __init__(self, label=None, codes=(), message=None, **kwargs):
        super().__init__(label, choices=[SelectChoice(c, c) for c in ("", *codes)], **kwargs)
        self.message = message or _l("Choose a value from the list.")

    def pre_validate(self, form):
        if self.data and self.data not in {choice.value for choice in self.choices}:
            raise ValidationError(self.message)


class CodesField(SelectMultipleField):
    """Any of the codes of a coded list; another value is refused by `message`."""

    def __init__(self, label=None, codes=(), message=None, **kwargs):
        super().__init__(label, choices=[SelectChoice(c, c) for c in codes], **kwargs)
        self.message = message or _l("Choose a value from the list.")

    def pre_validate(self, form):
        if set(self.data or ()) - {choice.value for choice in self.choices}:
            raise ValidationError(self.message)


VOIDED = ("with", "only")


class ListFilters(FlaskForm):
    """A list's filters, read from the query string (no CSRF: reading changes nothing).
    Subclasses add their fields; each field's name is the query argument and the keyword its
    list query takes."""

    class Meta:
        csrf = False

    start = DayField(_l("From"), validators=[Optional()])
    end = DayField(_l("To"), validators=[Optional()])

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The query arguments these filters read, in the order they are declared."""
        fields = [
            (n, getattr(cls, n)) for n in dir(cls) if isinstance(getattr(cls, n), UnboundField)
        ]
        return tuple(n for n, _f in sorted(fields, key=lambda nf: nf[1].creation_counter))

    def __init__(self, **kwargs):
        super().__init__(formdata=request.args, **kwargs)
        self.valid = self.validate()

    def query_args(self) -> dict:
        """The list query's keywords: the days as a half-open UTC range, empty ones as None."""
        args = {name: field.data or None for name, field in self._fields.items()}
        args["start"], args["end"] = day_bounds(self.start.data, self.end.data, current_zone())
        return args

    def typed(self, name: str) -> str:
        """What was typed in the field (a refused value too), for the page to show again."""
        return self[name]._value() or ""


class RecordFilters(ListFilters):
    """The filters every list of field records has: the days, and the voided records."""

    voided = CodeField(_l("Voided records"), codes=VOIDED)


def filtered_rows(user, model: Any, *, start=None, end=None, voided=None, **equal) -> Select:
    """`model`'s records `user` may see, newest first: `start`/`end` a half-open UTC range
    on occurred_at, `voided` None (live ones), "with" or "only", and each of `equal` a column
    that must equal its value when one is given."""
    stmt = with_voided(scoped_select(model, user), model, voided)
    if start is not None:
        stmt = stmt.where(model.occurred_at >= start)
    if end is not None:
        stmt = stmt.where(model.occurred_at < end)
    for name, value in equal.items():
        if value:
            stmt = stmt.where(getattr(model, name) == value)
    return stmt.order_by(model.occurred_at.desc(), model.id.desc())


def matching(filters: ListFilters, stmt: Select) -> Select:
    """`stmt`, or no rows when a filter was refused: a list never shows more than was asked."""
    return stmt if filters.valid else stmt.where(false())
