"""Recording a naloxone supply: one recipient, or an anonymous tally."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from outreach.auth.models import User
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
from outreach.vocab import PREVIOUS_SOURCES, RECIPIENT_TYPES, REPEAT_REASONS, SETTINGS


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
    client_id: str | None = None


def _check(data: HandoutInput, giver: User, org_id: int) -> None:
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
    if product is None or not product.active:
        raise DomainError("product_id", _l("Choose a product."))
    if data.kind not in ("single", "tally"):
        raise DomainError("kind", _l("Unknown kind of record."))
    if not isinstance(data.quantity, int) or not 1 <= data.quantity <= 500:
        raise DomainError("quantity", _l("The number of kits must be between 1 and 500."))
    if data.kind == "single" and data.supply not in ("first", "repeat"):
        raise DomainError("supply", _l("Say whether this is a first or a repeat supply."))
    if data.supply == "first" and data.repeat_reason:
        raise DomainError("repeat_reason", _l("A reason is only given for a repeat supply."))
    for field, value, allowed in (
        ("setting", data.setting, SETTINGS),
        ("recipient_type", data.recipient_type, RECIPIENT_TYPES),
        ("repeat_reason", data.repeat_reason, REPEAT_REASONS),
        ("previous_source", data.previous_source, PREVIOUS_SOURCES),
    ):
        if value is not None and value not in allowed:
            raise DomainError(field, _l("Choose one of the options."))
    if data.occurred_at and data.occurred_at > utcnow() + timedelta(minutes=10):
        raise DomainError("occurred_at", _l("The time cannot be in the future."))
    if data.people_count is not None and data.people_count < 1:
        raise DomainError("people_count", _l("The number of people must be at least 1."))
    if data.people_trained is not None and data.people_trained < 0:
        raise DomainError("people_trained", _l("The number trained cannot be negative."))


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
    loc = data.location
    handout = Handout(
        org_id=org_id,
        recorded_by_id=recorded_by.id,
        giver_id=giver.id,
        occurred_at=data.occurred_at or utcnow(),
        kind=data.kind,
        product_id=data.product_id,
        batch_label=(data.batch_label or "").strip() or None,
        quantity=data.quantity,
        setting=data.setting,
        recipient_type=data.recipient_type,
        supply=data.supply if data.kind == "single" else (data.supply or None),
        repeat_reason=data.repeat_reason if data.supply == "repeat" else None,
        previous_source=data.previous_source,
        training_given=bool(data.training_given),
        people_count=data.people_count if data.kind == "tally" else None,
        people_trained=data.people_trained if data.kind == "tally" else None,
        client_hash=data.client_hash if data.kind == "single" else None,
        **location_columns(loc),
    )
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
