"""A record sent again with the same device-made id is found, never stored twice."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, text

from outreach.domain import DomainError
from outreach.extensions import db

_HOLD = text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:keys AS bigint[])) AS k")


def lock_key(client_id: str) -> int:
    """A signed 64-bit key for a client_id (a collision only makes two ids wait for each other)."""
    digest = hashlib.blake2b(client_id.lower().encode(), digest_size=8, person=b"client_id")
    return int.from_bytes(digest.digest(), "big", signed=True)


def hold(client_ids: Iterable[str]) -> None:
    """Hold these client_ids until the transaction ends, so "is it stored?" and "store it" are one
    step: a second copy in flight waits here, then finds the first one stored.

    PostgreSQL: transaction-level advisory locks, taken in one sorted order (two batches naming
    the same ids cannot deadlock) before any stock row is touched. SQLite: the writer already
    holds the database's write lock (BEGIN IMMEDIATE), which serialises writers."""
    conn = db.session.connection()
    if conn.dialect.name != "postgresql":
        return
    keys = sorted({lock_key(c) for c in client_ids if c})
    if keys:
        conn.execute(_HOLD, {"keys": keys})


def find_resent(model: Any, client_id: str | None, org_id: int):
    """The row already stored under `client_id` for this organisation, or None.

    Another organisation's id is refused rather than returned: records never cross the wall.
    The id is held (see `hold`) until the caller's transaction ends."""
    if not client_id:
        return None
    if len(client_id) > 36:
        raise DomainError("client_id", _l("The record id sent with the form is not valid."))
    hold([client_id])
    existing = db.session.scalar(select(model).where(model.client_id == client_id))
    if existing is not None and existing.org_id != org_id:
        raise DomainError("client_id", _l("This record was already sent by someone else."))
    return existing
