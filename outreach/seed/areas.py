"""The areas the seeds place their organisations in: the bundled list, loaded first."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from outreach.areas.models import Area
from outreach.areas.services import load_areas
from outreach.extensions import db
from outreach.orgs.models import Organisation, Site


def load_area_ids() -> dict[str, int]:
    """Load the bundled list of areas (or bring it up to date); each area's id by its code."""
    load_areas(db.session)
    return dict(db.session.execute(select(Area.code, Area.id)).all())


def place(org: Organisation, sites: Sequence[Site], area_id: int, outlets: Sequence) -> None:
    """Make `area_id` the organisation's home area and every one of its sites' area, and give
    each site its outlet type (None: counted by each supply's setting)."""
    org.area_id = area_id
    for site, outlet in zip(sites, outlets, strict=True):
        site.area_id, site.outlet_type = area_id, outlet
    db.session.flush()
