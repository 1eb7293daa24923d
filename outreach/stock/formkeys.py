"""One-time keys of the stock forms: a form sent twice saves once.

Each stock form carries a hidden key made when the form is shown. Saving it first claims the
key with one INSERT … ON CONFLICT DO NOTHING on the key's primary key, in the saving
transaction: the database decides, not a read followed by a write. A second request with the
same key waits for the first to finish (PostgreSQL holds the key's index entry; SQLite holds its
one write lock) and then inserts nothing: it is told the form was already recorded. When the
first request is refused and rolled back, its key goes with it and the form may be sent again.
"""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.auth.models import User
from outreach.domain import AlreadyRecorded, DomainError
from outreach.extensions import db, upsert_insert
from outreach.models.base import utcnow
from outreach.stock.models import StockFormKey

__all__ = ["AlreadyRecorded", "claim", "new_key", "usable"]


def new_key() -> str:
    return str(uuid.uuid4())


def usable(key: str | None) -> str | None:
    """The key as sent, when it is one this app makes (a UUID), else None."""
    try:
        return str(uuid.UUID(key or "")) if key and len(key) == 36 else None
    except ValueError:
        return None


def claim(key: str, user: User, form: str) -> None:
    """Take the key for this save, or raise AlreadyRecorded (flushes nothing else)."""
    values = {
        "key": key,
        "org_id": user.org_id,
        "user_id": user.id,
        "form": form,
        "created_at": utcnow(),
    }
    table = StockFormKey.__table__
    stmt = upsert_insert(table).values(**values).on_conflict_do_nothing().returning(table.c.key)
    if db.session.connection().execute(stmt).scalar() is not None:
        return
    owner = db.session.scalar(select(StockFormKey.user_id).where(StockFormKey.key == key))
    if owner is not None and owner != user.id:
        raise DomainError(
            "form_key", _l("This form was already sent by someone else. Reload the page.")
        )
    raise AlreadyRecorded(
        "form_key", _l("Already recorded: this form was sent before, so nothing was saved again.")
    )
