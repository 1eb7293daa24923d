"""A voided handout's kits back into the bag they left: the one way the ledger undoes a handout."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.auth.models import User
from outreach.extensions import db
from outreach.stock.balances import give
from outreach.stock.ledger import same_org, write_reversal
from outreach.stock.models import StockMovement

# The ledger row's reason (a code, like a write-off's): the handout it reverses was voided.
VOIDED_HANDOUT = "handout voided"


def return_handout_kits(handout, *, recorded_by: User) -> StockMovement | None:
    """Put the kits a handout took back into the bag they came from (flushed).

    A reversal of the handout's movement, dated when the handout was: the void says the
    handout did not happen, so the kits never left, and every month's stock flow agrees with
    the handouts counted in it. None when the handout took no stock (its organisation did not
    track stock then). The balance row is written first, so a second return at the same time
    waits for the first and then finds its reversal."""
    movement = db.session.scalar(
        select(StockMovement).where(
            StockMovement.handout_id == handout.id, StockMovement.kind == "handout"
        )
    )
    if movement is None:
        return None
    same_org(movement.org_id, recorded_by, "movement")
    bag = movement.from_holding
    give(bag, movement.batch, movement.quantity)
    return write_reversal(
        movement,
        recorded_by,
        None,
        bag,
        _l("The kits of this handout are already back in the bag."),
        reason=VOIDED_HANDOUT,
        reference=f"handout {handout.id}",
        occurred_at=movement.occurred_at,
    )
