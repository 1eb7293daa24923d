"""Which rows a user may see: person-level rows of their own organisation (a peer's own
only), aggregate figures of their organisation and its partners; and list paging.

Every page, API call, export, map and report asks here; what a role may do is in
outreach.access, what a partner may be shown of a count in outreach.disclosure."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from outreach.access import can
from outreach.audit.services import record_denial, record_type_of
from outreach.limits import MAX_DB_INT
from outreach.orgs.models import Organisation, Partnership

# A bigger page number overflows the database's OFFSET; no list is that long.
MAX_PAGE = 100_000


def visible(model: Any, user: Any = None):
    """The WHERE clause limiting `model` rows to those `user` may read: their organisation's,
    and of a model with an owner (`__owner_column__`), only their own without read_org_records.
    """
    user = user or current_user
    clause = model.org_id == user.org_id
    owner = getattr(model, "__owner_column__", None)
    if owner and not can(user, "read_org_records"):
        clause = clause & (getattr(model, owner) == user.id)
    return clause


def partnerships(session: Session) -> dict[int, set[int]]:
    """Every organisation's active partners, both ways round: {org id: partner ids}."""
    out: dict[int, set[int]] = {}
    rows = session.execute(
        select(Partnership.org_a_id, Partnership.org_b_id).where(Partnership.active.is_(True))
    )
    for a, b in rows:
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return out


def partner_ids(session: Session, org_id: int) -> set[int]:
    """The organisations in an active partnership with `org_id`."""
    rows = session.execute(
        select(Partnership.org_a_id, Partnership.org_b_id).where(
            Partnership.active.is_(True),
            or_(Partnership.org_a_id == org_id, Partnership.org_b_id == org_id),
        )
    )
    return {b if a == org_id else a for a, b in rows}


def aggregate_org_ids(session: Session, user: Any = None) -> set[int] | None:
    """The organisations whose aggregate figures `user` may see: their own and its active
    partners; None, every organisation, for the platform administrator. Never person-level
    rows: those are `visible` (own organisation only)."""
    user = user or current_user
    if can(user, "administer_platform"):
        return None
    return {user.org_id} | partner_ids(session, user.org_id)


def every_org_id(session: Session) -> set[int]:
    return set(session.scalars(select(Organisation.id)))


def live(model: Any):
    """The WHERE clause leaving `model`'s voided rows out. Every list, count, map, report and
    export of field records asks for it; only a record's own page and an explicit "show voided"
    filter do without."""
    return model.voided_at.is_(None)


VOIDED_FILTERS = ("with", "only")


def with_voided(stmt: Select, model: Any, voided: str | None) -> Select:
    """A list's rows by the "voided" filter: live ones (the default), "with" the voided too,
    or "only" the voided."""
    if voided == "with":
        return stmt
    if voided == "only":
        return stmt.where(model.voided_at.is_not(None))
    return stmt.where(live(model))


def scoped_select(model: Any, user: Any = None) -> Select:
    return select(model).where(visible(model, user))


def get_visible_or_404(session: Session, model: Any, record_id: int, user: Any = None):
    """Fetch one row by id through the scope; another organisation's id is a 404."""
    row = session.scalar(scoped_select(model, user).where(model.id == record_id))
    if row is None:
        record_refusal(session, model, record_id, user or current_user)
        abort(404)
    return row


def record_refusal(session: Session, model: Any, record_id: int, user: Any) -> None:
    """Audit a 404 for a record that exists but is not the user's to see (another
    organisation's, or a colleague's for one who sees only their own); a missing id is not."""
    org_id = session.scalar(select(model.org_id).where(model.id == record_id))
    if org_id is None:
        return
    whose = "another organisation" if org_id != user.org_id else "not their own"
    record_denial(
        record_type_of(model),
        record_id,
        user=user,
        detail=f"{whose}: {request.method} {request.path}",
        remote_addr=request.remote_addr,
    )


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(
    session: Session, stmt: Select, *, rows: bool = False, per_page: int | None = None
) -> Page:
    """One page of `stmt`, numbered by the `page` query argument."""
    per_page = per_page or current_app.config["PAGE_SIZE"]
    page = min(MAX_PAGE, max(1, request.args.get("page", 1, type=int) or 1))
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    paged = stmt.limit(per_page).offset((page - 1) * per_page)
    items = list(session.execute(paged).all() if rows else session.scalars(paged))
    return Page(items=items, page=page, per_page=per_page, total=total or 0)


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's int converter, but an id over the database's integer range does not match
    (a 404) instead of overflowing the query (OverflowError on SQLite, DataError on PostgreSQL).
    """

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_DB_INT)
        super().__init__(map, *args, **kwargs)


def register_converters(app) -> None:
    """Make `<int:...>` in every route the bounded converter; call before registering routes."""
    app.url_map.converters["int"] = BoundedIntConverter
