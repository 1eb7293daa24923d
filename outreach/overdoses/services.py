"""Recording an overdose report: naloxone used, by whom, and what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from blinker import Namespace
from flask_babel import lazy_gettext as _l

from outreach.auth.models import User
from outreach.corrections.changes import CODE_AND_PLACE
from outreach.corrections.records import apply_correction, for_correction
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from outreach.places import Location, location_columns
from outreach.products.models import Product
from outreach.resend import find_resent
from outreach.vocab import ADMINISTERED_BY, AGE_BANDS, OUTCOMES, PLACE_TYPES, ROUTES, SEX

MAX_DOSES = 20

# Readers above this feature (spike alerts on the maps) listen here; nothing imports upward.
overdose_recorded = Namespace().signal("overdose-recorded")


@dataclass
class OverdoseInput:
    administered_by: str
    location: Location
    outcome: str = "unknown"
    occurred_at: datetime | None = None
    doses: int | None = None
    route: str | None = None
    emergency_called: bool | None = None
    someone_stayed: bool | None = None
    # Where it happened, and what followed besides an ambulance and someone staying.
    place_type: str | None = None
    referred: bool | None = None
    taken_to_hospital: bool | None = None
    product_id: int | None = None
    client_hash: str | None = None
    # The person's, for the national figures: outreach/demographics.py.
    age_band: str | None = None
    sex: str | None = None
    client_id: str | None = None


# The answers that are yes, no or not known (None).
YES_NO = ("emergency_called", "someone_stayed", "referred", "taken_to_hospital")


def _check(data: OverdoseInput, kept_product: int | None = None) -> Product | None:
    """The rules a report's values keep, made or corrected (`kept_product`: a correction may
    keep a product withdrawn since); the product named, if any."""
    if data.administered_by not in ADMINISTERED_BY:
        raise DomainError("administered_by", _l("Say who gave the naloxone."))
    if data.outcome not in OUTCOMES:
        raise DomainError("outcome", _l("Choose one of the options."))
    for field, value, allowed in (
        ("route", data.route, ROUTES),
        ("place_type", data.place_type, PLACE_TYPES),
        ("age_band", data.age_band, AGE_BANDS),
        ("sex", data.sex, SEX),
    ):
        if value is not None and value not in allowed:
            raise DomainError(field, _l("Choose one of the options."))
    if data.doses is not None and (
        not isinstance(data.doses, int) or not 0 <= data.doses <= MAX_DOSES
    ):
        raise DomainError(
            "doses", _l("The number of doses must be between 0 and %(max)d.", max=MAX_DOSES)
        )
    for name in YES_NO:
        if getattr(data, name) not in (True, False, None):
            raise DomainError(name, _l("Answer yes, no or not known."))
    if data.occurred_at and data.occurred_at > utcnow() + timedelta(minutes=10):
        raise DomainError("occurred_at", _l("The time cannot be in the future."))
    if data.product_id is None:
        return None
    product = db.session.get(Product, data.product_id)
    if product is None or not (product.active or product.id == kept_product):
        raise DomainError("product_id", _l("Choose a product from the list, or leave it empty."))
    return product


def _columns(data: OverdoseInput, product: Product | None) -> dict:
    route = data.route
    if route is None and product is not None and product.route in ROUTES:
        route = product.route  # the kit says how it is given
    return {
        "administered_by": data.administered_by,
        "doses": data.doses,
        "route": route,
        **{name: getattr(data, name) for name in YES_NO},
        "place_type": data.place_type,
        "outcome": data.outcome,
        "product_id": product.id if product else None,
        "client_hash": data.client_hash,
        "age_band": data.age_band,
        "sex": data.sex,
        **location_columns(data.location),
    }


def record_overdose(
    data: OverdoseInput,
    *,
    recorded_by: User,
    fresh: bool = False,
    notify: bool = True,
    flush: bool = True,
) -> OverdoseReport:
    """Validate and add an overdose report (flushed, not committed).

    A resend with a client id already stored returns that record and adds nothing; `fresh`: the
    caller already knows nothing holds this client id, so it is not looked up again.
    `notify=False`: the caller sends `overdose_recorded` itself (a batch sends it once);
    `flush=False` (only with notify=False): the caller flushes (many at once)."""
    org_id = recorded_by.org_id
    existing = None if fresh else find_resent(OverdoseReport, data.client_id, org_id)
    if existing is not None:
        return existing
    product = _check(data)
    report = OverdoseReport(
        org_id=recorded_by.org_id,
        recorded_by_id=recorded_by.id,
        occurred_at=data.occurred_at or utcnow(),
        **_columns(data, product),
    )
    if data.client_id:
        report.client_id = data.client_id
    db.session.add(report)
    if flush or notify:
        db.session.flush()
    if notify:
        overdose_recorded.send(report)
    return report


# What a correction may change, in the order the audit log lists it.
CORRECTABLE = (
    "occurred_at",
    "administered_by",
    "outcome",
    "doses",
    "route",
    "emergency_called",
    "someone_stayed",
    "referred",
    "taken_to_hospital",
    "place_type",
    "product_id",
    "age_band",
    "sex",
    *CODE_AND_PLACE,
)


def correct_overdose(
    report: OverdoseReport, data: OverdoseInput, *, by: User, remote_addr: str | None = None
) -> list[str]:
    """Correct a report, validated as when it was made, and audit what changed (flushed).
    `data` holds every value as it should now be (the caller fills in what is kept). Spike
    alerts already raised stay; the scheduled detection counts the report as corrected."""
    report = for_correction(report)
    data.occurred_at = data.occurred_at or report.occurred_at
    product = _check(data, kept_product=report.product_id)

    def apply() -> None:
        for name, value in {**_columns(data, product), "occurred_at": data.occurred_at}.items():
            setattr(report, name, value)

    return apply_correction(
        report, "overdose_report", CORRECTABLE, apply, by=by, remote_addr=remote_addr
    )
