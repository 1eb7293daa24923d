"""Recording and correcting an outreach contact, keeping identifying details out of its notes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l

from outreach.auth.models import User
from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.corrections.changes import CODE_AND_PLACE
from outreach.corrections.records import apply_correction, for_correction
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.freetext import identifying_detail
from outreach.models.base import utcnow
from outreach.places import Location, location_columns
from outreach.resend import find_resent
from outreach.vocab import REFERRALS, SERVICES, SETTINGS

NOTES_MAX = 2000
MAX_PEOPLE = 1000

NOTE_MESSAGES = {
    "dob": _l(
        "The notes seem to contain a date of birth. Remove it: notes must not identify a person."
    ),
    "phone": _l(
        "The notes seem to contain a phone number. Remove it: notes must not identify a person."
    ),
    "email": _l(
        "The notes seem to contain an e-mail address. Remove it: notes must not identify a person."
    ),
    "postcode": _l(
        "The notes seem to contain a postcode. Remove it: notes must not identify a person."
    ),
}


@dataclass
class ContactInput:
    location: Location
    setting: str = "street"
    occurred_at: datetime | None = None
    people_count: int = 1
    services: list[str] = field(default_factory=list)
    referrals: list[str] = field(default_factory=list)
    notes: str | None = None
    client_hash: str | None = None
    client_id: str | None = None


def check_notes(notes: str | None) -> None:
    """Refuse notes that look like they identify someone."""
    if notes and len(notes) > NOTES_MAX:
        raise DomainError(
            "notes", _l("The notes can be at most %(max)d characters.", max=NOTES_MAX)
        )
    kind = identifying_detail(notes)
    if kind:
        raise DomainError("notes", NOTE_MESSAGES[kind])


def _check(data: ContactInput) -> None:
    if data.setting not in SETTINGS:
        raise DomainError("setting", _l("Choose one of the options."))
    if not isinstance(data.people_count, int) or not 1 <= data.people_count <= MAX_PEOPLE:
        raise DomainError(
            "people_count",
            _l("The number of people must be between 1 and %(max)d.", max=MAX_PEOPLE),
        )
    if data.client_hash and data.people_count != 1:
        raise DomainError(
            "people_count",
            _l(
                "A client code is for one person. "
                "Set the number of people to 1 or leave out the code."
            ),
        )
    if any(s not in SERVICES for s in data.services):
        raise DomainError("services", _l("Choose services from the list."))
    if any(r not in REFERRALS for r in data.referrals):
        raise DomainError("referrals", _l("Choose referrals from the list."))
    if data.occurred_at and data.occurred_at > utcnow() + timedelta(minutes=10):
        raise DomainError("occurred_at", _l("The time cannot be in the future."))
    check_notes(data.notes)


def _columns(data: ContactInput) -> dict:
    return {
        "setting": data.setting,
        "people_count": data.people_count,
        "client_hash": data.client_hash,
        "notes": (data.notes or "").strip() or None,
        **location_columns(data.location),
    }


def _set_lists(contact: OutreachContact, data: ContactInput) -> None:
    """The services and referrals as given, in code order; rows kept for codes still there."""
    services = {row.service: row for row in contact.services}
    referrals = {row.referral: row for row in contact.referrals}
    contact.services = [
        services.get(s) or ContactService(service=s) for s in sorted(set(data.services))
    ]
    contact.referrals = [
        referrals.get(r) or ContactReferral(referral=r) for r in sorted(set(data.referrals))
    ]


def record_contact(
    data: ContactInput, *, recorded_by: User, fresh: bool = False, flush: bool = True
) -> OutreachContact:
    """Validate and add a contact with its services and referrals (flushed, not committed).

    A resend with a client id already stored returns that record and adds nothing; `fresh`: the
    caller already knows nothing holds this client id, so it is not looked up again.
    `flush=False`: the caller flushes (many at once)."""
    org_id = recorded_by.org_id
    existing = None if fresh else find_resent(OutreachContact, data.client_id, org_id)
    if existing is not None:
        return existing
    _check(data)
    contact = OutreachContact(
        org_id=recorded_by.org_id,
        recorded_by_id=recorded_by.id,
        occurred_at=data.occurred_at or utcnow(),
        **_columns(data),
    )
    if data.client_id:
        contact.client_id = data.client_id
    _set_lists(contact, data)
    db.session.add(contact)
    if flush:
        db.session.flush()
    return contact


# What a correction may change, in the order the audit log lists it.
CORRECTABLE = (
    "occurred_at",
    "setting",
    "people_count",
    "service_codes",
    "referral_codes",
    "notes",
    *CODE_AND_PLACE,
)


def correct_contact(
    contact: OutreachContact, data: ContactInput, *, by: User, remote_addr: str | None = None
) -> list[str]:
    """Correct a contact, validated as when it was made, and audit what changed (flushed).
    `data` holds every value as it should now be (the caller fills in what is kept)."""
    contact = for_correction(contact)
    data.occurred_at = data.occurred_at or contact.occurred_at
    _check(data)

    def apply() -> None:
        for name, value in {**_columns(data), "occurred_at": data.occurred_at}.items():
            setattr(contact, name, value)
        _set_lists(contact, data)

    return apply_correction(contact, "contact", CORRECTABLE, apply, by=by, remote_addr=remote_addr)
