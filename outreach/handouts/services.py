"""Recording a naloxone supply: one recipient, or an anonymous tally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from outreach.audit.services import record as audit
from outreach.auth.models import User
from outreach.corrections.changes import CODE_AND_PLACE, describe, snapshot
from outreach.corrections.records import audit_correction, for_correction
from outreach.corrections.services import REPLACED, mark_void
from outreach.domain import DomainError, NotTrained
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.orgs.services import org_zone
from outreach.places import Location, location_columns
from outreach.products.models import Product
from outreach.resend import find_resent
from outreach.stock.services import StockError, known_batch, take_for_handout
from outreach.timezones import local_day
from outreach.trainings.services import is_current
from outreach.vocab import (
    AGE_BANDS,
    PREVIOUS_SOURCES,
    RECIPIENT_TYPES,
    REPEAT_REASONS,
    SETTINGS,
    SEX,
)

MAX_KITS = 500  # kits in one handout or tally
MAX_TALLY_PEOPLE = 1000  # people at one tally, and people trained there


@dataclass
class HandoutInput:
    product_id: int
    quantity: int
    location: Location
    kind: str = "single"
    supply: str | None = None
    setting: str = "street"
    occurred_at: datetime | None = None
    recipient_type: str | None = None
    repeat_reason: str | None = None
    previous_source: str | None = None
    training_given: bool = False
    batch_label: str | None = None
    batch_id: int | None = None  # a batch in the giver's bag; None picks the first to expire
    people_count: int | None = None
    people_trained: int | None = None
    client_hash: str | None = None
    # The person's, for the national figures (a single handout): outreach/demographics.py.
    age_band: str | None = None
    sex: str | None = None
    client_id: str | None = None


def _check(data: HandoutInput, giver: User, org_id: int, kept_product: int | None = None) -> None:
    """The rules a handout's values keep, made or corrected (`kept_product`: a correction may
    keep a product withdrawn since)."""
    if giver.org_id != org_id:
        raise DomainError("giver_id", _l("The giver must belong to your organisation."))
    day = local_day(data.occurred_at or utcnow(), org_zone(giver.organisation))
    if not is_current(giver, day):
        raise NotTrained(
            "giver_id",
            _l(
                "%(name)s has no current naloxone training, so cannot "
                "hand out kits. A trainer can record a refresher.",
                name=giver.display_name,
            ),
        )
    product = db.session.get(Product, data.product_id)
    if product is None or not (product.active or product.id == kept_product):
        raise DomainError("product_id", _l("Choose a product."))
    if data.kind not in ("single", "tally"):
        raise DomainError("kind", _l("Unknown kind of record."))
    if not isinstance(data.quantity, int) or not 1 <= data.quantity <= MAX_KITS:
        raise DomainError(
            "quantity", _l("The number of kits must be between 1 and %(max)d.", max=MAX_KITS)
        )
    if data.kind == "single" and data.supply not in ("first", "repeat"):
        raise DomainError("supply", _l("Say whether this is a first or a repeat supply."))
    if data.supply == "first" and data.repeat_reason:
        raise DomainError("repeat_reason", _l("A reason is only given for a repeat supply."))
    for field, value, allowed in (
        ("setting", data.setting, SETTINGS),
        ("recipient_type", data.recipient_type, RECIPIENT_TYPES),
        ("repeat_reason", data.repeat_reason, REPEAT_REASONS),
        ("previous_source", data.previous_source, PREVIOUS_SOURCES),
        ("age_band", data.age_band, AGE_BANDS),
        ("sex", data.sex, SEX),
    ):
        if value is not None and value not in allowed:
            raise DomainError(field, _l("Choose one of the options."))
    if data.occurred_at and data.occurred_at > utcnow() + timedelta(minutes=10):
        raise DomainError("occurred_at", _l("The time cannot be in the future."))
    if data.people_count is not None and not 1 <= data.people_count <= MAX_TALLY_PEOPLE:
        raise DomainError(
            "people_count",
            _l("The number of people must be between 1 and %(max)d.", max=MAX_TALLY_PEOPLE),
        )
    if data.people_trained is not None and not 0 <= data.people_trained <= MAX_TALLY_PEOPLE:
        raise DomainError(
            "people_trained",
            _l("The number trained must be between 0 and %(max)d.", max=MAX_TALLY_PEOPLE),
        )


def _columns(data: HandoutInput, giver: User) -> dict:
    """The columns a handout's input sets (its stock columns are set by the take)."""
    return {
        "giver_id": giver.id,
        "occurred_at": data.occurred_at or utcnow(),
        "kind": data.kind,
        "product_id": data.product_id,
        "batch_label": (data.batch_label or "").strip() or None,
        "quantity": data.quantity,
        "setting": data.setting,
        "recipient_type": data.recipient_type,
        "supply": data.supply if data.kind == "single" else (data.supply or None),
        "repeat_reason": data.repeat_reason if data.supply == "repeat" else None,
        "previous_source": data.previous_source,
        "training_given": bool(data.training_given),
        "people_count": data.people_count if data.kind == "tally" else None,
        "people_trained": data.people_trained if data.kind == "tally" else None,
        "client_hash": data.client_hash if data.kind == "single" else None,
        "age_band": data.age_band if data.kind == "single" else None,
        "sex": data.sex if data.kind == "single" else None,
        **location_columns(data.location),
    }


def record_handout(
    data: HandoutInput, *, giver: User, recorded_by: User, fresh: bool = False, flush: bool = True
) -> Handout:
    """Validate and add a handout (flushed, not committed).

    When the organisation tracks stock, the kits leave the giver's bag in the same transaction.
    A resend with a client id already stored returns that record and adds nothing; `fresh`: the
    caller already knows nothing holds this client id, so it is not looked up again.
    `flush=False`: the caller flushes (many at once), the stock movement with it."""
    org_id = recorded_by.org_id
    if not fresh and (existing := find_resent(Handout, data.client_id, org_id)) is not None:
        return existing
    _check(data, giver, org_id)
    return _add(data, giver, recorded_by, flush)


def _add(data: HandoutInput, giver: User, recorded_by: User, flush: bool = True) -> Handout:
    """Add a checked handout, taking its kits when the organisation tracks stock."""
    org_id = recorded_by.org_id
    handout = Handout(org_id=org_id, recorded_by_id=recorded_by.id, **_columns(data, giver))
    if data.client_id:
        handout.client_id = data.client_id
    db.session.add(handout)
    if recorded_by.organisation.tracks_stock:
        batch = None
        if data.batch_id:
            batch = known_batch(data.batch_id)
            if batch is None:
                raise StockError("batch_id", _l("Choose a batch from the bag."))
        take_for_handout(handout, giver, batch, data.quantity, flush=False)
    if flush:
        db.session.flush()
    return handout


# What a correction may change, in the order the audit log lists it.
CORRECTABLE = (
    "occurred_at",
    "giver_id",
    "product_id",
    "batch_id",
    "quantity",
    "setting",
    "supply",
    "repeat_reason",
    "recipient_type",
    "previous_source",
    "training_given",
    "people_count",
    "people_trained",
    "batch_label",
    "age_band",
    "sex",
    *CODE_AND_PLACE,
)
# What the stock ledger holds of a handout that took kits: a change replaces the handout.
STOCK_FIELDS = ("occurred_at", "giver_id", "product_id", "batch_id", "quantity")


def correct_handout(
    handout: Handout,
    data: HandoutInput,
    *,
    giver: User,
    by: User,
    remote_addr: str | None = None,
) -> tuple[Handout, list[str]]:
    """Correct a handout, validated as when it was made, and audit it (flushed).

    `data` holds every value as it should now be: the caller fills in what is kept (the time,
    the client code, the batch; batch_id None asks for the first to expire, as when made).
    A handout that took kits from a bag (in an organisation still tracking stock) and whose
    time, giver, product, batch or quantity change is replaced, in this transaction: voided
    (its kits back in the bag) and recorded again with the corrected values, taking kits
    again. The ledger is append-only and holds one handout movement per handout, so this is
    the one exact way. Returns (the handout as it now stands, perhaps the new one; what
    changed)."""
    handout = for_correction(handout)
    data.kind = handout.kind
    data.occurred_at = data.occurred_at or handout.occurred_at
    _check(data, giver, handout.org_id, kept_product=handout.product_id)
    before = snapshot(handout, CORRECTABLE)
    after = {**before, **_columns(data, giver), "occurred_at": data.occurred_at}
    # Its kits came out of a bag, and the organisation still keeps its stock exact (one that
    # stopped keeps the ledger as it was, so the handout is corrected in place).
    took_stock = handout.batch_id is not None and by.organisation.tracks_stock
    if took_stock:
        after["batch_id"] = data.batch_id
        after["batch_label"] = before["batch_label"]  # the batch's number, set by the take
        if any(before[f] != after[f] for f in STOCK_FIELDS):
            return _replace(handout, data, giver, by, before, remote_addr)
    changes = describe(before, after)
    for name in CORRECTABLE:
        setattr(handout, name, after[name])
    audit_correction("handout", handout.id, changes, by=by, remote_addr=remote_addr)
    db.session.flush()
    return handout, changes


def _replace(
    handout: Handout,
    data: HandoutInput,
    giver: User,
    by: User,
    before: dict,
    remote_addr: str | None,
) -> tuple[Handout, list[str]]:
    """Void the handout (kits back) and add it again as corrected (kits out), audited."""
    mark_void(handout, by=by, reason=REPLACED)
    data.client_id = None
    new = _add(data, giver, handout.recorded_by)
    new.created_at = handout.created_at  # the recorder's correction period runs on from it
    handout.replaced_by_id = new.id
    changes = describe(before, snapshot(new, CORRECTABLE))
    detail = f"corrected as handout {new.id}: " + "; ".join(changes)
    audit("void", "handout", handout.id, user=by, detail=detail, remote_addr=remote_addr)
    audit(
        "create",
        "handout",
        new.id,
        user=by,
        detail=f"correction of handout {handout.id}",
        remote_addr=remote_addr,
    )
    db.session.flush()
    return new, changes
