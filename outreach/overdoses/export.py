"""The overdose report list's CSV columns: what happened, never a client code."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from outreach import vocab
from outreach.listexport import Column, ListExport, yes_no
from outreach.overdoses.forms import OverdoseFilters

FILTERS = OverdoseFilters.names()

OVERDOSES = ListExport(
    record_type="overdose_report",
    name="overdose-reports",
    blueprint="overdoses",
    filters=FILTERS,
    person=_l("Recorded by"),
    columns=(
        Column(
            _l("Who gave the naloxone"),
            lambda r: vocab.label(vocab.ADMINISTERED_BY, r.administered_by),
        ),
        Column(_l("Number of doses given"), lambda r: r.doses),
        Column(_l("Route"), lambda r: vocab.label(vocab.ROUTES, r.route)),
        Column(_l("Emergency services called (999 / 112)"), lambda r: yes_no(r.emergency_called)),
        Column(_l("Someone stayed with the person"), lambda r: yes_no(r.someone_stayed)),
        Column(_l("Taken to hospital"), lambda r: yes_no(r.taken_to_hospital)),
        Column(_l("Referred to a service afterwards"), lambda r: yes_no(r.referred)),
        Column(_l("Type of place"), lambda r: vocab.label(vocab.PLACE_TYPES, r.place_type)),
        Column(_l("Outcome"), lambda r: vocab.label(vocab.OUTCOMES, r.outcome)),
        Column(
            _l("Which kit, if known"),
            lambda r: r.product.name if r.product else "",
        ),
        Column(_l("Age band"), lambda r: vocab.label(vocab.AGE_BANDS, r.age_band)),
        Column(_l("Sex"), lambda r: vocab.label(vocab.SEX, r.sex)),
    ),
)
