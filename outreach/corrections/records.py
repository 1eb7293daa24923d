"""A record made ready for a correction, and the audit of what a correction changed (flush only).

Low in the package: the features' own services import it to correct their fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.audit.services import record as audit
from outreach.auth.models import User
from outreach.corrections.changes import describe, snapshot
from outreach.domain import DomainError
from outreach.extensions import db

REASON_MAX = 200  # a void's reason


class AlreadyVoided(DomainError):
    """A voided record cannot be corrected (a void is final)."""


def locked(record: Any) -> Any:
    """The record read again under a row lock (where the engine has them), so two changes at
    once happen one after the other and the second sees the first."""
    model = type(record)
    return db.session.scalar(
        select(model)
        .where(model.id == record.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def for_correction(record: Any) -> Any:
    """The record, locked, ready to be corrected; a voided one is refused."""
    record = locked(record)
    if record.voided:
        raise AlreadyVoided(None, _l("This record is voided, so it cannot be corrected."))
    return record


def audit_correction(
    record_type: str,
    record_id: int,
    changes: list[str],
    *,
    by: User,
    remote_addr: str | None = None,
) -> None:
    """One audit event listing what changed; a correction that changed nothing writes none."""
    if changes:
        audit(
            "update",
            record_type,
            record_id,
            user=by,
            detail="; ".join(changes),
            remote_addr=remote_addr,
        )


def apply_correction(
    record: Any,
    record_type: str,
    fields: tuple[str, ...],
    apply: Callable[[], None],
    *,
    by: User,
    remote_addr: str | None = None,
) -> list[str]:
    """Set a correction's values (`apply()`), audit what changed of `fields` and flush; returns
    the changes, one line each."""
    before = snapshot(record, fields)
    apply()
    changes = describe(before, snapshot(record, fields))
    audit_correction(record_type, record.id, changes, by=by, remote_addr=remote_addr)
    db.session.flush()
    return changes
