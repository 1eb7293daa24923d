"""The overdose report form: the required answers first, the rest optional."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectField, SubmitField
from wtforms.validators import InputRequired, NumberRange, Optional

from outreach.corrections.forms import CorrectionMixin
from outreach.fieldforms import ClientCodeMixin, FieldRecordForm, kept_choice, opts
from outreach.listing import CodeField, RecordFilters
from outreach.overdoses.services import MAX_DOSES, YES_NO
from outreach.products.models import Product
from outreach.vocab import ADMINISTERED_BY, OUTCOMES, PLACE_TYPES, ROUTES

YES_NO_UNKNOWN = {"yes": _l("Yes"), "no": _l("No"), "unknown": _l("Not known")}
_AS_BOOL = {"yes": True, "no": False}


def as_bool(answer: str | None) -> bool | None:
    """'yes' → True, 'no' → False, anything else (not known) → None."""
    return _AS_BOOL.get(answer or "")


def as_answer(value: bool | None) -> str:
    """True → 'yes', False → 'no', None → 'unknown' (as_bool the other way)."""
    return {True: "yes", False: "no"}.get(value, "unknown")


def YesNoField(label) -> RadioField:  # noqa: N802 - a field factory, read like a field class
    """Yes, no or not known; nothing ticked counts as not known."""
    return RadioField(
        label, choices=opts(YES_NO_UNKNOWN), default="unknown", validators=[Optional()]
    )


class OverdoseForm(ClientCodeMixin, FieldRecordForm):
    administered_by = RadioField(
        _l("Who gave the naloxone"),
        choices=opts(ADMINISTERED_BY),
        validators=[InputRequired(_l("Say who gave the naloxone."))],
    )
    outcome = RadioField(
        _l("Outcome"),
        choices=opts(OUTCOMES),
        default="unknown",
        validators=[Optional()],  # nothing ticked counts as unknown
    )
    doses = IntegerField(
        _l("Number of doses given"),
        validators=[
            Optional(),
            NumberRange(
                0,
                MAX_DOSES,
                _l("The number of doses must be between 0 and %(max)d.", max=MAX_DOSES),
            ),
        ],
        render_kw={"inputmode": "numeric", "min": 0, "max": MAX_DOSES},
    )
    route = SelectField(_l("Route"), choices=opts(ROUTES, "—"), validators=[Optional()])
    emergency_called = YesNoField(_l("Emergency services called (999 / 112)"))
    someone_stayed = YesNoField(_l("Someone stayed with the person"))
    taken_to_hospital = YesNoField(_l("Taken to hospital"))
    referred = YesNoField(_l("Referred to a service afterwards"))
    place_type = SelectField(
        _l("Type of place"), choices=opts(PLACE_TYPES, "—"), validators=[Optional()]
    )
    product_id = SelectField(_l("Which kit, if known"), coerce=int, validators=[Optional()])
    submit = SubmitField(_l("Save report"))

    def set_product_choices(self, products, kept: int | None = None) -> None:
        """The products to choose from (`kept`: a corrected report's, even if withdrawn)."""
        pairs = [(p.id, p.name) for p in products]
        if kept:
            pairs += kept_choice(pairs, kept, Product, "name")
        self.product_id.choices = opts([(0, _l("— not known —"))] + pairs)


class OverdoseCorrectionForm(CorrectionMixin, OverdoseForm):
    def fill(self, report) -> None:
        """Show the report as it is."""
        self.fill_from(report)
        self.administered_by.data, self.outcome.data = report.administered_by, report.outcome
        self.doses.data, self.route.data = report.doses, report.route or ""
        for name in YES_NO:
            getattr(self, name).data = as_answer(getattr(report, name))
        self.place_type.data = report.place_type or ""
        self.product_id.data = report.product_id or 0


class OverdoseFilters(RecordFilters):
    outcome = CodeField(_l("Outcome"), codes=tuple(OUTCOMES))
    administered_by = CodeField(_l("Who gave the naloxone"), codes=tuple(ADMINISTERED_BY))
