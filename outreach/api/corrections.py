"""Correcting and voiding a field record through the API, by the pages' own rule and services.

PATCH /<kind>/<id> sends only what changes; the record fills in the rest and the whole is
checked as when it was made. POST /<kind>/<id>/void voids it; voiding a voided record answers
it again (200), and a PATCH sent again to a handout its first sending replaced reaches the
replacement, so both can be retried safely."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _

from outreach.access import can
from outreach.api import bp
from outreach.api.auth import api_login_required, api_user
from outreach.api.openapi import Answers, operation
from outreach.api.records import AUDIT_TYPES, MODELS, begin_write
from outreach.api.responses import OUT, to_json
from outreach.api.routes import PATHS, TITLES
from outreach.api.schemas import CORRECTABLE, DATA, PATCH, VoidRequest
from outreach.api.util import ApiError, respond, validate
from outreach.api.writers import (
    Forbidden,
    client_hash,
    contact_input,
    handout_input,
    overdose_input,
)
from outreach.auth.models import User
from outreach.contacts.services import correct_contact
from outreach.corrections.records import AlreadyVoided
from outreach.corrections.rules import refusal
from outreach.corrections.services import void
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.handouts.services import correct_handout
from outreach.overdoses.services import correct_overdose
from outreach.tenancy import record_refusal, scoped_select

WHERE = ("latitude", "longitude", "site_id", "place_name")
FIELDS = {  # what a record's body holds besides where and when (see api.schemas)
    "handout": (
        "product_id", "quantity", "supply", "setting", "recipient_type", "repeat_reason",
        "previous_source", "training_given", "giver_id", "batch_id", "batch_label",
        "age_band", "sex",
    ),
    "tally": (
        "product_id", "quantity", "people_count", "people_trained", "setting",
        "training_given", "giver_id", "batch_id", "batch_label",
    ),
    "contact": ("setting", "people_count", "notes"),
    "overdose_report": (
        "administered_by", "outcome", "doses", "route", "emergency_called", "someone_stayed",
        "taken_to_hospital", "referred", "place_type", "product_id", "age_band", "sex",
    ),
}  # fmt: skip


def _record(kind: str, record_id: int, user: User) -> Any:
    """The caller's visible record of this kind; a 403 for a role that records no field work
    (as the pages answer), a 404 for a record not theirs to see."""
    if not can(user, "record_field_work"):
        raise ApiError(403, "Forbidden", _("Your role may not do this."))
    model = MODELS[kind]
    stmt = scoped_select(model, user).where(model.id == record_id)
    if model is Handout:
        stmt = stmt.where(Handout.kind == ("tally" if kind == "tally" else "single"))
    record = db.session.scalar(stmt)
    if record is None:
        record_refusal(db.session, model, record_id, user)  # audited when it exists elsewhere
        raise ApiError(404, "Not Found", _("There is no such record, or it is not yours to see."))
    return record


def _may_change(user: User, record: Any) -> None:
    if (why := refusal(user, record)) is not None:
        raise ApiError(403, "Forbidden", str(why), [{"field": "id", "reason": str(why)}])


def _values(kind: str, record: Any) -> dict:
    """The record as a body of its kind: where as it was given (a point, a site, a name)."""
    out = {name: getattr(record, name) for name in FIELDS[kind]}
    out["occurred_at"] = record.occurred_at
    out["site_id"], out["place_name"] = record.site_id, record.place_name
    if record.location_source == "gps":
        out["latitude"], out["longitude"] = record.latitude, record.longitude
    if kind == "contact":
        out["services"], out["referrals"] = record.service_codes, record.referral_codes
    return out


def _correct(kind: str, record: Any, data: Any, sent: dict, user: User) -> tuple[Any, list]:
    """Call the record's correction service with the merged body; what was not sent is kept."""
    digest_sent = "client_code_digest" in sent
    address = request.remote_addr
    if kind in ("handout", "tally"):
        inp, giver = handout_input(data, user, kind)
        inp.client_hash = inp.client_hash if digest_sent else record.client_hash
        if "batch_id" not in sent and data.product_id != record.product_id:
            inp.batch_id = None  # another product: its batch that expires first
        return correct_handout(record, inp, giver=giver, by=user, remote_addr=address)
    build, corrector = {
        "contact": (contact_input, correct_contact),
        "overdose_report": (overdose_input, correct_overdose),
    }[kind]
    inp = build(data, user)
    inp.client_hash = client_hash(data.client_code_digest) if digest_sent else record.client_hash
    return record, corrector(record, inp, by=user, remote_addr=address)


# What the OpenAPI document says of the operations below.
ID = "The record's id."
CORRECT = (
    "Send only the fields that change; the record keeps the rest, and the whole is checked "
    "as when it was made. Left out, client_code_digest keeps the code, null removes it; "
    "batch_id null takes the batch that expires first. A location field sent replaces the "
    "place: the point, site and name sent (site and name kept unless sent). A handout that "
    "took kits from a bag and whose time, giver, product, batch or quantity change is "
    "replaced: it is voided, its kits go back into the bag, and the answer is the new "
    "handout (another id; the old one names it in replaced_by_id). Sent again, a correction "
    "reaches the record it made, and changes nothing more."
)
VOID = (
    "The record stays, marked with when, by whom and why, and no longer counts in lists, "
    "maps, reports or exports; a handout's kits go back into the bag they came from. "
    "Voiding a voided record answers it again (200)."
)


def _noun(kind: str) -> str:
    return TITLES[kind].split(" ", 1)[1]


def correct_view(kind: str):
    def view(id: int):
        user = api_user()
        sent = request.context.json.model_dump(exclude_unset=True)
        begin_write()
        record = _record(kind, id, user)
        while record.voided and getattr(record, "replaced_by_id", None):
            record = db.session.get(Handout, record.replaced_by_id)  # a resent correction
        _may_change(user, record)
        if record.voided:
            reason = _("This record is voided, so it cannot be corrected.")
            raise ApiError(409, "Conflict", reason, [{"field": "id", "reason": reason}])
        values = _values(kind, record)
        if any(name in sent for name in WHERE):  # a new place: from what was sent only
            values = {k: v for k, v in values.items() if k not in ("latitude", "longitude")}
        data = validate(DATA[kind], {**values, **sent})
        try:
            saved, _changes = _correct(kind, record, data, sent, user)
        except Forbidden as exc:
            fields = [{"field": exc.field, "reason": exc.reason}]
            raise ApiError(403, "Forbidden", exc.reason, fields) from None
        except AlreadyVoided as exc:
            raise ApiError.refused(exc, 409, "Conflict", field="id") from None
        except DomainError as exc:
            raise ApiError.refused(exc) from None
        db.session.commit()
        return respond(to_json(kind, saved))

    view.__name__ = f"correct_{kind}"
    view.__doc__ = f"Correct a record: {_noun(kind)}\n\n{CORRECT}"
    answers = Answers(
        {200: (OUT[kind], "The record as it now stands.")}, (400, 401, 403, 404, 409, 415, 422, 503)
    )
    return api_login_required(operation(answers, json=PATCH[kind], id_description=ID)(view))


def void_view(kind: str):
    def view(id: int):
        user = api_user()
        body = request.context.json
        begin_write()
        record = _record(kind, id, user)
        if not record.voided:  # voided already: the same answer again
            _may_change(user, record)
            try:
                record, _now = void(
                    record,
                    by=user,
                    reason=body.reason,
                    record_type=AUDIT_TYPES[kind],
                    remote_addr=request.remote_addr,
                )
            except DomainError as exc:
                raise ApiError.refused(exc) from None
            db.session.commit()
        return respond(to_json(kind, record))

    view.__name__ = f"void_{kind}"
    view.__doc__ = f"Void a record: {_noun(kind)}\n\n{VOID}"
    answers = Answers({200: (OUT[kind], "The voided record.")}, (400, 401, 403, 404, 415, 422, 503))
    return api_login_required(operation(answers, json=VoidRequest, id_description=ID)(view))


for _kind in CORRECTABLE:
    bp.add_url_rule(
        f"{PATHS[_kind]}/<int:id>",
        endpoint=f"correct_{_kind}",
        view_func=correct_view(_kind),
        methods=["PATCH"],
    )
    bp.add_url_rule(
        f"{PATHS[_kind]}/<int:id>/void",
        endpoint=f"void_{_kind}",
        view_func=void_view(_kind),
        methods=["POST"],
    )
