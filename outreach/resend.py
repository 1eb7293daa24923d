"""A record sent again with the same device-made id is found, never stored twice."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.domain import DomainError
from outreach.extensions import db


def find_resent(model: Any, client_id: str | None, org_id: int):
    """The row already stored under `client_id` for this organisation, or None.

    Another organisation's id is refused rather than returned: records never cross the wall."""
    if not client_id:
        return None
    if len(client_id) > 36:
        raise DomainError("client_id", _l("The record id sent with the form is not valid."))
    existing = db.session.scalar(select(model).where(model.client_id == client_id))
    if existing is not None and existing.org_id != org_id:
        raise DomainError("client_id", _l("This record was already sent by someone else."))
    return existing
