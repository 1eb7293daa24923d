"""What the tablet needs to know about the record forms it keeps offline: their pages, their
fields' labels (in the user's language) and how a time is written."""

from __future__ import annotations

from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms.fields.core import UnboundField

from outreach.contacts.forms import ContactForm
from outreach.handouts.forms import HandoutForm, TallyForm
from outreach.overdoses.forms import OverdoseForm
from outreach.products.services import active_products

# The record forms' pages (endpoint) by the API's kind of record.
RECORD_PAGES = {
    "handout": "handouts.new",
    "tally": "handouts.tally",
    "contact": "contacts.new",
    "overdose_report": "overdoses.new",
}
FORMS = {"handout": HandoutForm, "tally": TallyForm, "contact": ContactForm}
FORMS["overdose_report"] = OverdoseForm
# Fields without a visible label of their own.
EXTRA_LABELS = {
    "client_code_digest": _l("Client code (optional)"),
    "age_band": _l("Age band"),
    "sex": _l("Sex"),
}
NOT_SHOWN = {"client_id", "csrf_token", "submit"}


def _label(unbound: UnboundField):
    return unbound.kwargs.get("label") or (unbound.args[0] if unbound.args else None)


def field_labels() -> dict[str, dict[str, str]]:
    """{kind: {field name: its label in the user's language}}, as the form pages show them."""
    out: dict[str, dict[str, str]] = {}
    for kind, form in FORMS.items():
        labels = {}
        for name in dir(form):
            unbound = getattr(form, name, None)
            if isinstance(unbound, UnboundField) and name not in NOT_SHOWN:
                label = EXTRA_LABELS.get(name) or _label(unbound)
                if label:
                    labels[name] = str(label)
        out[kind] = labels
    return out


def record_pages() -> dict[str, str]:
    return {kind: url_for(endpoint) for kind, endpoint in RECORD_PAGES.items()}


def product_names() -> dict[int, str]:
    return {p.id: p.name for p in active_products()}


def time_format() -> dict:
    """How the user's language writes a moment, for the tablet's script: the pattern of a medium
    date and a short time (CLDR, as Babel formats the server's pages), and the month names it
    uses. Chromium's Intl knows no Welsh, so the script does not ask it for one."""
    locale = get_locale()
    date = locale.date_formats["medium"].pattern
    clock = locale.time_formats["short"].pattern
    pattern = locale.datetime_formats["medium"].replace("{1}", date).replace("{0}", clock)
    months = locale.months["format"]["abbreviated"]
    return {"pattern": pattern, "months": [months[m] for m in range(1, 13)]}
