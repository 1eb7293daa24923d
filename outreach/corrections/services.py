"""Voiding a field record: it stays, marked, and leaves every count (flush only)."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from outreach.audit.services import record as audit
from outreach.auth.models import User
from outreach.corrections.records import REASON_MAX, locked
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.freetext import identifying_detail
from outreach.models.base import utcnow
from outreach.stock.services import return_handout_kits

# The reason stored on a handout that a correction of its stock replaced (shown translated).
REPLACED = "corrected"


def check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("reason", _l("Say why this record is voided."))
    if len(reason) > REASON_MAX:
        raise DomainError(
            "reason", _l("The reason can be at most %(max)d characters.", max=REASON_MAX)
        )
    if identifying_detail(reason):
        raise DomainError(
            "reason",
            _l(
                "The reason seems to contain a date of birth, phone number, e-mail address "
                "or postcode. Remove it: a reason must not identify a person."
            ),
        )
    return reason


def mark_void(record: Any, *, by: User, reason: str) -> None:
    """Set the void on a locked, live record; a handout's kits go back into the giver's bag.
    No audit: void() writes it, or a handout's correction that replaces it."""
    by_id = by.id  # read first: loading it may flush, and a half-set void breaks its CHECK
    record.voided_at, record.voided_by_id, record.void_reason = utcnow(), by_id, reason
    # By table name: importing the handouts package from here would import its pages first.
    if record.__tablename__ == "handouts":
        return_handout_kits(record, recorded_by=by)


def void(
    record: Any,
    *,
    by: User,
    reason: str,
    record_type: str,
    remote_addr: str | None = None,
) -> tuple[Any, bool]:
    """Void `record` (flushed): the row stays, marked with when, who and why, and leaves every
    list, count, map, report and export; a handout's kits go back into the giver's bag.

    Returns (the record, whether it was voided now): voiding a voided record changes nothing.
    The caller has checked corrections.rules. The audit event does not repeat the reason,
    which is free text."""
    record = locked(record)
    if record.voided:
        return record, False
    mark_void(record, by=by, reason=check_reason(reason))
    audit("void", record_type, record.id, user=by, remote_addr=remote_addr)
    db.session.flush()
    return record, True
