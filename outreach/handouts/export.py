"""The handout list's CSV columns (handouts and tallies): what was given, never a client code."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from outreach import vocab
from outreach.handouts.forms import HandoutFilters
from outreach.listexport import Column, ListExport, yes_no

FILTERS = HandoutFilters.names()


def _kind(h) -> str:
    return _("Tally") if h.kind == "tally" else _("Single")


HANDOUTS = ListExport(
    record_type="handout",
    name="handouts",
    blueprint="handouts",
    filters=FILTERS,
    person=_l("Given by"),
    columns=(
        Column(_l("Kind"), _kind),
        Column(_l("Product"), lambda h: h.product.name),
        Column(_l("Kits"), lambda h: h.quantity),
        Column(_l("Setting"), lambda h: vocab.label(vocab.SETTINGS, h.setting)),
        Column(_l("Supply"), lambda h: vocab.label(vocab.SUPPLY, h.supply)),
        Column(
            _l("Reason for repeat supply"),
            lambda h: vocab.label(vocab.REPEAT_REASONS, h.repeat_reason),
        ),
        Column(_l("Recipient"), lambda h: vocab.label(vocab.RECIPIENT_TYPES, h.recipient_type)),
        Column(
            _l("Overdose and naloxone training given"),
            lambda h: yes_no(h.training_given) if h.kind == "single" else "",
        ),
        Column(_l("Age band"), lambda h: vocab.label(vocab.AGE_BANDS, h.age_band)),
        Column(_l("Sex"), lambda h: vocab.label(vocab.SEX, h.sex)),
        Column(_l("Number of people"), lambda h: h.people_count),
        Column(_l("Number of people trained"), lambda h: h.people_trained),
    ),
)
