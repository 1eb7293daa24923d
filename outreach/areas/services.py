"""Which area a record counts in, and loading the bundled list of areas."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

from outreach.areas.models import LEVELS, Area
from outreach.auth.models import User
from outreach.domain import DomainError
from outreach.handouts.models import Handout
from outreach.orgs.models import Organisation, Site
from outreach.overdoses.models import OverdoseReport

AREAS_CSV = Path(__file__).resolve().parent / "data" / "areas.csv"
# Who a record's base site is taken from when it has no site: the giver of a supply, the
# recorder of an overdose report.
_PERSON = {Handout: "giver_id", OverdoseReport: "recorded_by_id"}


def record_area_id(session: Session, org_id: int, site_id: int | None, user_id: int | None):
    """The area a record counts in: its site's; else the base site's of the person who gave
    the kit (or recorded the report); else its organisation's home area; None when none is set.
    The one rule: every supply and overdose report gets its area here (`_before_flush`)."""
    candidates = [site_id]
    if user_id is not None:
        user = session.get(User, user_id)
        candidates.append(user.site_id if user is not None else None)
    for candidate in candidates:
        if candidate is not None:
            site = session.get(Site, candidate)
            if site is not None and site.area_id is not None:
                return site.area_id
    org = session.get(Organisation, org_id)
    return org.area_id if org is not None else None


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    """Give each new supply or overdose report its area, and a corrected one whose site (or
    giver) changed its area again."""
    with session.no_autoflush:
        for obj in list(session.new) + list(session.dirty):
            person = _PERSON.get(type(obj))
            if person is None:
                continue
            if obj in session.dirty:
                state = inspect(obj)
                if not any(state.attrs[n].history.has_changes() for n in ("site_id", person)):
                    continue
            elif obj.area_id is not None:
                continue  # set by whoever made it (a bulk seed)
            obj.area_id = record_area_id(session, obj.org_id, obj.site_id, getattr(obj, person))


def read_areas(path: Path = AREAS_CSV) -> list[dict]:
    """The rows of a list of areas (the bundled one unless `path`), as load_areas reads them."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_areas(session: Session, path: Path = AREAS_CSV, progress: Callable | None = None) -> dict:
    """Add the areas of the bundled list that are not there yet, and update the names and
    parents of those that are (by code); an administrator's at-risk estimates are kept.
    `progress(1)` is called once per row as it is placed in the hierarchy.
    Returns {"added": n, "updated": n}."""
    rows = read_areas(path)
    known = {a.code: a for a in session.scalars(select(Area))}
    counts = {"added": 0, "updated": 0}
    for row in rows:
        if row["level"] not in LEVELS:
            raise ValueError(f"{row['code']}: unknown level {row['level']!r}")
        area = known.get(row["code"])
        if area is None:
            area = known[row["code"]] = Area(
                code=row["code"], level=row["level"], name=row["name_en"]
            )
            session.add(area)
            counts["added"] += 1
        else:
            counts["updated"] += 1
        area.level = row["level"]
        area.name = row["name_en"]
        area.name_cy = row.get("name_cy") or None
        area.name_sv = row.get("name_sv") or None
    session.flush()
    for row in rows:
        area = known[row["code"]]
        area.parent_id = known[row["parent"]].id if row.get("parent") else None
        area.partnership_id = known[row["partnership"]].id if row.get("partnership") else None
        if progress:
            progress(1)
    session.flush()
    return counts


class AreaError(DomainError):
    """An area that cannot be chosen there."""


def area_id_for(session: Session, code: str | None, field: str) -> int | None:
    """The id of the local authority `code` (None when empty): a site's or a home area."""
    if not code:
        return None
    area = session.scalar(select(Area).where(Area.code == code))
    if area is None or area.level != "local_authority":
        raise AreaError(field, _l("Choose a local authority or kommun from the list."))
    return area.id


def set_at_risk_estimate(area: Area, estimate: int | None, source: str | None) -> list[str]:
    """Record the administrator's estimate of the people at risk in `area` (reach); returns
    what changed, for the audit log."""
    source = (source or "").strip() or None
    changes = []
    if estimate != area.at_risk_estimate:
        changes.append(f"at_risk_estimate={estimate}")
    if source != area.at_risk_source:
        changes.append(f"at_risk_source={source}")
    area.at_risk_estimate, area.at_risk_source = estimate, source
    session = inspect(area).session
    if session is not None:
        session.flush()
    return changes
