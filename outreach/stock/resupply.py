"""Resupply requests: a holder asks for kits, a stock manager fulfils or someone cancels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from outreach.auth.models import User
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.products.models import Product
from outreach.stock.balances import StockError
from outreach.stock.ledger import bag_for, same_org, tidy, transfer
from outreach.stock.models import Batch, Holding, ResupplyRequest, StockMovement


def request_resupply(
    user: User, product: Product | None, quantity: int, note: str | None
) -> ResupplyRequest:
    if not isinstance(quantity, int) or not 1 <= quantity <= 500:
        raise StockError("quantity", _l("The number of kits must be between 1 and 500."))
    req = ResupplyRequest(
        org_id=user.org_id,
        user_id=user.id,
        product_id=product.id if product else None,
        quantity=quantity,
        note=tidy(note, 255),
    )
    db.session.add(req)
    db.session.flush()
    return req


def _close(req: ResupplyRequest, status: str, user: User) -> None:
    result = db.session.execute(
        update(ResupplyRequest)
        .where(ResupplyRequest.id == req.id, ResupplyRequest.status == "open")
        .values(status=status, fulfilled_at=utcnow(), fulfilled_by_id=user.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise StockError("request", _l("This request is no longer open."))
    db.session.refresh(req)


def fulfil_request(
    req: ResupplyRequest, *, from_holding: Holding, batch: Batch, quantity: int, recorded_by: User
) -> StockMovement:
    """Move kits into the requester's bag and close the request."""
    same_org(req.org_id, recorded_by, "request")
    if req.product_id and batch.product_id != req.product_id:
        raise StockError("batch_id", _l("This batch is of another product than was asked for."))
    _close(req, "fulfilled", recorded_by)
    bag = bag_for(req.user)
    return transfer(
        from_holding=from_holding,
        to_holding=bag,
        batch=batch,
        quantity=quantity,
        recorded_by=recorded_by,
        request=req,
    )


def cancel_request(req: ResupplyRequest, *, user: User) -> None:
    same_org(req.org_id, user, "request")
    _close(req, "cancelled", user)
