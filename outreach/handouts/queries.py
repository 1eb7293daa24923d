"""Read-side: lists of handouts, and a recipient's earlier supplies by client code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, func, select

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.listing import filtered_rows, with_who_and_where
from outreach.models.base import utcnow
from outreach.products.models import Product
from outreach.tenancy import live


def filtered(user, **filters) -> Select:
    """Handouts `user` may see, newest first, by the filters of filtered_rows."""
    return filtered_rows(user, Handout, **filters)


def listed(user, **filters) -> Select:
    """The list's rows: (handout, giver's name, site name) for `filtered(user, **filters)`."""
    return with_who_and_where(filtered(user, **filters), Handout, Handout.giver_id)


@dataclass(frozen=True)
class CodeHistory:
    """What a look-up of a client code may show an organisation (the one rule for every page
    and endpoint that shows supplies for a code): its own supplies in full; of every other
    organisation's, only whether one of them supplied the code in the last RECENT_ELSEWHERE.
    `other_org_ids` (organisations holding a supply to the code) is for their audit logs only
    and is never shown."""

    own: list[dict]
    supplied_elsewhere: bool
    other_org_ids: tuple[int, ...]


RECENT_ELSEWHERE = timedelta(days=90)


def code_history(client_hash: str, org_id: int, limit: int = 10) -> CodeHistory:
    """The supplies to `client_hash` that organisation `org_id` may see (see CodeHistory)."""
    held = (Handout.client_hash == client_hash, live(Handout))
    rows = db.session.execute(
        select(Handout.occurred_at, Handout.quantity, Handout.supply, Product.name)
        .join(Product, Product.id == Handout.product_id)
        .where(*held, Handout.org_id == org_id)
        .order_by(Handout.occurred_at.desc())
        .limit(limit)
    ).all()
    own = [
        {"occurred_at": at, "quantity": qty, "supply": supply, "product": product}
        for at, qty, supply, product in rows
    ]
    others = db.session.execute(
        select(Handout.org_id, func.max(Handout.occurred_at))
        .where(*held, Handout.org_id != org_id)
        .group_by(Handout.org_id)
        .order_by(Handout.org_id)
    ).all()
    since = utcnow() - RECENT_ELSEWHERE
    return CodeHistory(
        own=own,
        supplied_elsewhere=any(last >= since for _oid, last in others),
        other_org_ids=tuple(oid for oid, _last in others),
    )
