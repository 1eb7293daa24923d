"""A holding's past balances: a take dated in the past must not have taken it below zero then.

Today's balance (stock_balances) only says the kits are there now. A handout dated last week also
needs the kits to have been in the bag last week, and it must not leave any later running balance
below zero: the bag's balance at each movement after it, counted from the ledger, must still
cover the kits it took. The caller has already taken the kits with the guarded UPDATE, which
holds the balance row: every other writer of this holding and batch changes that row before it
adds its movement, so the ledger read here cannot change until the caller's transaction ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from outreach.auth.models import User
from outreach.extensions import db
from outreach.stock.balances import InsufficientStock
from outreach.stock.models import Batch, Holding, StockMovement

# A time typed to the minute covers its whole minute: kits that arrived at 10:00:40 were there
# for a handout typed "10:00".
TYPED_TO = timedelta(minutes=1)


@dataclass
class Shortfall:
    """The first moment from the take's time on at which the holding held too few kits."""

    at: datetime
    held: int  # the kits the ledger shows the holding had then, before this take


def _signed(holding: Holding):
    m = StockMovement
    return case((m.to_holding_id == holding.id, m.quantity), else_=0) - case(
        (m.from_holding_id == holding.id, m.quantity), else_=0
    )


def shortfall(holding: Holding, batch: Batch, quantity: int, at: datetime) -> Shortfall | None:
    """Where taking `quantity` kits at `at` leaves the holding's ledger short, or None.

    Reads the ledger only: the take's own movement is not written yet."""
    m = StockMovement
    mine = (
        m.batch_id == batch.id,
        (m.to_holding_id == holding.id) | (m.from_holding_id == holding.id),
    )
    cutoff = at.replace(second=0, microsecond=0) + TYPED_TO
    later = list(
        db.session.execute(
            select(m.occurred_at, _signed(holding))
            .where(*mine, m.occurred_at >= cutoff)
            .order_by(m.occurred_at, m.id)
        )
    )
    if not later:
        return None  # nothing after it: today's guarded take is the whole check
    held = db.session.scalar(
        select(func.coalesce(func.sum(_signed(holding)), 0)).where(*mine, m.occurred_at < cutoff)
    )
    if held < quantity:
        return Shortfall(at, int(held))
    for moment, signed in later:
        held += signed
        if held < quantity:
            return Shortfall(moment, int(held))
    return None


def short_at_the_time(giver: User, batch: Batch, quantity: int, at: datetime, short: Shortfall):
    """A back-dated handout the bag could not have given then, with the bag and the day."""
    values = {
        "bag": _l("%(name)s's bag", name=giver.display_name),
        "number": batch.batch_number,
        "quantity": quantity,
        "num": short.held,
        "at": format_datetime(at, "short"),
        "when": format_datetime(short.at, "short"),
    }
    if short.at == at:
        message = _l(
            "%(bag)s held only %(num)d kits of batch %(number)s on %(when)s: not enough for "
            "%(quantity)d. Check the date and time of the handout.",
            **values,
        )
    else:
        message = _l(
            "Handing out %(quantity)d kits of batch %(number)s on %(at)s would take %(bag)s "
            "below zero on %(when)s, after its later movements. Check the date and time of "
            "the handout.",
            **values,
        )
    return InsufficientStock("occurred_at", message)
