"""Changes on the map: add and close named hot spots, acknowledge spike alerts (flush only); and
the audit of a read of partners' map data."""

from __future__ import annotations

import math

from flask_babel import lazy_gettext as _l

from outreach.audit.services import record as audit
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.maps.layers import org_scope
from outreach.maps.models import HOT_SPOT_CATEGORIES, MAX_RADIUS_M, HotSpot, SpikeAlert
from outreach.models.base import utcnow

# Peers report hot spots too; closing and acknowledging is for the organisation's staff.


def _number(value, field: str, message) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise DomainError(field, message) from None
    if not math.isfinite(number):
        raise DomainError(field, message)
    return number


def add_hot_spot(
    user,
    name: str,
    category: str,
    latitude: float,
    longitude: float,
    radius_m: int = 200,
    notes: str | None = None,
) -> HotSpot:
    """Name a hot spot for the user's organisation."""
    name = (name or "").strip()
    if not name:
        raise DomainError("name", _l("Give the hot spot a name."))
    if len(name) > 120:
        raise DomainError("name", _l("The name can be at most 120 characters long."))
    if category not in HOT_SPOT_CATEGORIES:
        raise DomainError("category", _l("Choose a category from the list."))
    lat = _number(latitude, "latitude", _l("Enter a latitude between -90 and 90."))
    if not -90 <= lat <= 90:
        raise DomainError("latitude", _l("Enter a latitude between -90 and 90."))
    lon = _number(longitude, "longitude", _l("Enter a longitude between -180 and 180."))
    if not -180 <= lon <= 180:
        raise DomainError("longitude", _l("Enter a longitude between -180 and 180."))
    radius = _number(radius_m, "radius_m", _l("Enter a radius in metres."))
    if not 0 < radius <= MAX_RADIUS_M:
        raise DomainError(
            "radius_m",
            _l("The radius must be more than 0 and at most %(max)d metres.", max=MAX_RADIUS_M),
        )
    spot = HotSpot(
        org_id=user.org_id,
        name=name,
        category=category,
        latitude=lat,
        longitude=lon,
        radius_m=int(round(radius)) or 1,
        notes=(notes or "").strip() or None,
        reported_by_id=user.id,
        active=True,
    )
    db.session.add(spot)
    db.session.flush()
    audit("create", "hot_spot", spot.id, user=user, detail=f"{spot.category}: {spot.name}")
    return spot


def close_hot_spot(user, spot: HotSpot) -> HotSpot:
    """Mark a hot spot of the user's organisation as closed (it stays in the history)."""
    if spot.org_id != user.org_id:
        raise DomainError(None, _l("You can only close your own organisation's hot spots."))
    if not spot.active:
        raise DomainError(None, _l("This hot spot is already closed."))
    spot.active = False
    spot.closed_at = utcnow()
    spot.closed_by_id = user.id
    db.session.flush()
    audit("update", "hot_spot", spot.id, user=user, detail="closed")
    return spot


def acknowledge_alert(user, alert: SpikeAlert) -> SpikeAlert:
    """Record that a coordinator has seen a spike alert; a later spike raises a new one."""
    if alert.org_id != user.org_id:
        raise DomainError(None, _l("You can only acknowledge your own organisation's alerts."))
    if alert.acknowledged_at is not None:
        raise DomainError(None, _l("This alert has already been acknowledged."))
    alert.acknowledged_at = utcnow()
    alert.acknowledged_by_id = user.id
    db.session.flush()
    audit("update", "spike_alert", alert.id, user=user, detail="acknowledged")
    return alert


def audit_partner_read(user, what: str, flt, bbox, remote_addr: str | None = None) -> bool:
    """One audit event ("view", "map") for a map read whose view includes partners' data: what
    was read, the window and the box, never person data. Commits; False when nothing to record."""
    own, orgs = org_scope(user, flt)
    if not any(o != own for o in orgs):
        return False
    box = ",".join(f"{v:g}" for v in bbox)
    detail = f"{what} {flt.start.isoformat()}/{flt.end.isoformat()} bbox {box}"
    audit("view", "map", None, user=user, detail=detail, remote_addr=remote_addr)
    db.session.commit()
    return True
