"""The void form, and what a correction form adds to the form a record was made with."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from outreach.corrections.records import REASON_MAX
from outreach.fieldforms import record_day


class VoidForm(FlaskForm):
    reason = TextAreaField(
        _l("Why is this record voided?"),
        validators=[DataRequired(_l("Say why this record is voided.")), Length(max=REASON_MAX)],
        description=_l("For example: recorded twice, or recorded by mistake. No names."),
        render_kw={"rows": 3, "maxlength": REASON_MAX},
    )
    submit = SubmitField(_l("Void this record"))


class CorrectionMixin:
    """On a correction: the typed client code replaces the old one, or this box removes it;
    left empty, the code stays."""

    clear_client_code = BooleanField(_l("Remove the client code"))
    submit = SubmitField(_l("Save correction"))

    def corrected(self, record, data):
        """The service's input `data` for a correction of `record`: its time as the form
        leaves it, its client code (for a form that asks for one), and the person's age band
        and sex (for a record that keeps them), on the corrected time's local day."""
        data.occurred_at = self.corrected_time(record)
        if hasattr(self, "corrected_hash"):
            data.client_hash = self.corrected_hash(record)
        if hasattr(self, "corrected_band_and_sex") and hasattr(data, "age_band"):
            day = record_day(data.occurred_at)
            data.age_band, data.sex = self.corrected_band_and_sex(record, day)
        return data
