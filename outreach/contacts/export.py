"""The outreach contact list's CSV columns: never its notes or a client code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from outreach import vocab
from outreach.contacts.forms import ContactFilters
from outreach.listexport import Column, ListExport

FILTERS = ContactFilters.names()


def _labels(mapping: dict, codes: list[str]) -> str:
    return ", ".join(vocab.label(mapping, code) for code in codes)


CONTACTS = ListExport(
    record_type="contact",
    name="contacts",
    blueprint="contacts",
    filters=FILTERS,
    person=_l("Recorded by"),
    columns=(
        Column(_l("Setting"), lambda c: vocab.label(vocab.SETTINGS, c.setting)),
        Column(_l("Number of people"), lambda c: c.people_count),
        Column(_l("Services offered"), lambda c: _labels(vocab.SERVICES, c.service_codes)),
        Column(_l("Referrals made"), lambda c: _labels(vocab.REFERRALS, c.referral_codes)),
    ),
)
