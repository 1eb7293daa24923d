"""Read-side: lists of handouts, and a recipient's earlier supplies by client code."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.listing import filtered_rows, with_who_and_where
from outreach.orgs.models import Organisation
from outreach.products.models import Product
from outreach.tenancy import live


def filtered(user, **filters) -> Select:
    """Handouts `user` may see, newest first, by the filters of filtered_rows."""
    return filtered_rows(user, Handout, **filters)


def listed(user, **filters) -> Select:
    """The list's rows: (handout, giver's name, site name) for `filtered(user, **filters)`."""
    return with_who_and_where(filtered(user, **filters), Handout, Handout.giver_id)


def previous_supplies(client_hash: str, org_id: int, limit: int = 10) -> list[dict]:
    """Earlier supplies to the same code on this deployment; other organisations stay unnamed."""
    rows = db.session.execute(
        select(
            Handout.occurred_at,
            Handout.quantity,
            Handout.supply,
            Handout.org_id,
            Product.name,
            Organisation.name,
        )
        .join(Product, Product.id == Handout.product_id)
        .join(Organisation, Organisation.id == Handout.org_id)
        .where(Handout.client_hash == client_hash, live(Handout))
        .order_by(Handout.occurred_at.desc())
        .limit(limit)
    ).all()
    return [
        {
            "occurred_at": at,
            "quantity": qty,
            "supply": supply,
            "product": product,
            "organisation": org_name if oid == org_id else None,
        }
        for at, qty, supply, oid, product, org_name in rows
    ]


def count_for_code(client_hash: str) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Handout)
            .where(Handout.client_hash == client_hash, live(Handout))
        )
        or 0
    )
