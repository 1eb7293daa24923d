"""Recording an outreach contact, and keeping identifying details out of its notes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l

from outreach.auth.models import User
from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.places import Location, location_columns
from outreach.resend import find_resent
from outreach.vocab import REFERRALS, SERVICES, SETTINGS

NOTES_MAX = 2000
MAX_PEOPLE = 1000

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# Inward codes never use C, I, K, M, O or V; "x2 2nd" is an ordinal, not a postcode.
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?(?!\d(?:st|nd|rd|th)\b)\d[ABD-HJLNP-UW-Z]{2})\b",
    re.IGNORECASE,
)
# Runs of digits with the separators people type in phone numbers.
_DIGIT_RUN = re.compile(r"(?<![\w/.])\+?\(?\d[\d ()\-]{7,}\d(?![\w/])")
_DOB_WORDS = re.compile(r"\b(?:d\.?\s?o\.?\s?b\b\.?|date of birth|born (?:on|in)\b)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WORD_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?,?\s+(\d{{4}})"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(\d{{4}}))\b",
    re.IGNORECASE,
)
# A Swedish personal identity number holds the birth date.
_PERSONNUMMER = re.compile(r"\b(?:19|20)?\d{6}[-+]\d{4}\b")

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


def _full_year(raw: str, today: date) -> int:
    year = int(raw)
    if len(raw) == 2:
        year += 2000 if year <= today.year % 100 else 1900
    return year


def _old_enough_to_be_a_birth_year(year: int, today: date) -> bool:
    """Dates of this month's session are fine; a year 10 or more back is likely a birth."""
    return 1900 <= year <= today.year - 10


def _is_phone(run: str) -> bool:
    digits = re.sub(r"\D", "", run)
    international = run.startswith("+") or digits.startswith("00")
    if digits.startswith("0044"):
        rest = digits[4:]
    elif run.startswith("+44"):
        rest = digits[2:]
    elif international:
        return 9 <= len(digits.lstrip("0")) <= 15
    elif digits.startswith("0"):
        rest = digits[1:]
    else:
        return False
    rest = rest[1:] if rest.startswith("0") else rest  # "+44 (0)7700 …"
    return len(rest) in (9, 10) and rest[0] in "1235789"


def identifying_detail(text: str | None, today: date | None = None) -> str | None:
    """The kind of identifying detail the text seems to hold ('dob', 'phone', 'email',
    'postcode'), or None. A soft check: it catches the common shapes, not every one."""
    if not text:
        return None
    today = today or date.today()
    if _EMAIL.search(text):
        return "email"
    if _DOB_WORDS.search(text) or _PERSONNUMMER.search(text):
        return "dob"
    for m in _NUMERIC_DATE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        plausible = 1 <= min(a, b) <= 12 and max(a, b) <= 31
        if plausible and _old_enough_to_be_a_birth_year(_full_year(m.group(3), today), today):
            return "dob"
    for m in _ISO_DATE.finditer(text):
        if _old_enough_to_be_a_birth_year(int(m.group(1)), today):
            return "dob"
    for m in _WORD_DATE.finditer(text):
        if _old_enough_to_be_a_birth_year(int(m.group(1) or m.group(2)), today):
            return "dob"
    if any(_is_phone(m.group(0)) for m in _DIGIT_RUN.finditer(text)):
        return "phone"
    if _POSTCODE.search(text):
        return "postcode"
    return None


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
    loc = data.location
    contact = OutreachContact(
        org_id=recorded_by.org_id,
        recorded_by_id=recorded_by.id,
        occurred_at=data.occurred_at or utcnow(),
        setting=data.setting,
        people_count=data.people_count,
        client_hash=data.client_hash,
        notes=(data.notes or "").strip() or None,
        **location_columns(loc),
    )
    if data.client_id:
        contact.client_id = data.client_id
    contact.services = [ContactService(service=s) for s in dict.fromkeys(data.services)]
    contact.referrals = [ContactReferral(referral=r) for r in dict.fromkeys(data.referrals)]
    db.session.add(contact)
    if flush:
        db.session.flush()
    return contact
