"""The one place that decides which person-level rows a user may see, and role checks."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user, login_required
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from outreach.limits import MAX_DB_INT

# Roles that see every person-level record of their organisation; a peer sees their own.
ORG_WIDE_ROLES = ("trainer", "coordinator", "stock_manager", "org_admin", "platform_admin")
# A bigger page number overflows the database's OFFSET; no list is that long.
MAX_PAGE = 100_000


def visible(model: Any, user: Any = None):
    """The WHERE clause limiting `model` rows to those `user` may read."""
    user = user or current_user
    clause = model.org_id == user.org_id
    owner = getattr(model, "__owner_column__", None)
    if owner and user.role not in ORG_WIDE_ROLES:
        clause = clause & (getattr(model, owner) == user.id)
    return clause


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
        abort(404)
    return row


def require_role(*roles: str):
    """Login required, and one of `roles` (the platform admin counts as an org admin)."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if roles and not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


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


# Roles that record field work (handouts, contacts, overdose reports); the platform
# administrator manages the deployment and records nothing.
RECORDERS = ("peer", "trainer", "coordinator", "stock_manager", "org_admin")


def require_recorder(view):
    """Login required, and a role that records field work (the platform admin does not)."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role not in RECORDERS:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


# Staff who may download a list as CSV: every record of their organisation the list's filters
# hold. A peer reads their own records on screen but takes no file of them onto a field tablet.
LIST_EXPORTERS = ("trainer", "coordinator", "stock_manager", "org_admin")


def may_export_lists(user: Any = None) -> bool:
    return (user or current_user).role in LIST_EXPORTERS


def require_list_exporter(view):
    """Login required, and a staff role that may export lists; anyone else gets 403."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not may_export_lists():
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def require_platform_admin(view):
    """Login required, and the platform administrator's role; anyone else gets 403."""

    @functools.wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role != "platform_admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapped


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
