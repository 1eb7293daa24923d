"""Names every template can use: the coded lists and their labels, numbers in the reader's
language, the organisation's day."""

from __future__ import annotations

from babel.numbers import get_decimal_symbol
from flask import Flask, g
from flask_babel import format_decimal, get_locale

from outreach import vocab
from outreach.listing import where_label


def decimal(value: float, places: int = 1) -> str:
    """`value` with `places` decimals in the reader's language (4,1 in Swedish)."""
    return format_decimal(value, format="#,##0." + "0" * places if places else "#,##0")


def coords(lat: float, lon: float, places: int = 3) -> str:
    """A point as the reader writes it: "51.620, -3.940", or "51,620; -3,940" where the
    decimal mark is a comma."""
    comma = get_decimal_symbol(get_locale()) == ","
    return ("; " if comma else ", ").join(decimal(v, places) for v in (lat, lon))


def org_today():
    """The signed-in user's organisation's local day (once per request), e.g. to tell an expired
    batch from one that still expires."""
    if "org_today" not in g:
        from flask_login import current_user

        from outreach.orgs.services import org_today as today_of
        from outreach.timezones import local_today, zone

        user_org = getattr(current_user, "organisation", None)
        g.org_today = today_of(user_org) if user_org is not None else local_today(zone(None))
    return g.org_today


def init_templating(app: Flask) -> None:
    app.add_template_filter(decimal, "decimal")
    app.add_template_global(coords, "coords")
    app.add_template_global(where_label, "where_label")
    app.jinja_env.globals["org_today"] = org_today

    @app.context_processor
    def globals_():
        return {"vocab": vocab, "label": vocab.label}
