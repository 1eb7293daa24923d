"""Who may see which report: the viewer's organisation in full, partners only suppressed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import or_, select

from outreach.extensions import db
from outreach.orgs.models import Organisation, Partnership, Site

REPORT_ROLES = ("coordinator", "stock_manager", "org_admin", "trainer")
LAST_YEAR = 9998  # the month's end is the 1st of the next month, which must be a datetime
MAX_ID = 2**31 - 1  # ids are database integers


class MonthError(ValueError):
    """The month parameter is not a calendar month written YYYY-MM."""


@dataclass
class Scope:
    """The records a report covers. `org_ids` None means every organisation."""

    kind: str  # org, site, area, all
    key: str  # for file names: org-3, site-7, area-swansea-bay, all
    label: str
    org_ids: list[int] | None
    site_id: int | None = None
    suppress: bool = False
    params: dict = field(default_factory=dict)


def month_bounds(text: str | None, today: date | None = None) -> tuple[datetime, datetime]:
    """Start and end (exclusive) in UTC of the month `text`, default the last full month."""
    today = today or datetime.now(UTC).date()
    if not text:
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    else:
        parts = text.strip().split("-")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or len(parts[0]) != 4:
            raise MonthError(text)
        year, month = int(parts[0]), int(parts[1])
        if not 1 <= month <= 12 or not 2000 <= year <= LAST_YEAR:
            raise MonthError(text)
    return month_start(year, month), month_start(*add_month(year, month, 1))


def month_start(year: int, month: int) -> datetime:
    return datetime(year, month, 1, tzinfo=UTC)


def add_month(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def partner_ids(org_id: int) -> set[int]:
    """Organisations in an active partnership with `org_id`."""
    rows = db.session.execute(
        select(Partnership.org_a_id, Partnership.org_b_id).where(
            Partnership.active.is_(True),
            or_(Partnership.org_a_id == org_id, Partnership.org_b_id == org_id),
        )
    )
    return {b if a == org_id else a for a, b in rows}


def allowed_orgs(user) -> set[int] | None:
    """Organisations whose aggregates `user` may see; None: all (the platform admin)."""
    if user.role == "platform_admin":
        return None
    return {user.org_id} | partner_ids(user.org_id)


def _may(user, org_id: int) -> bool:
    allowed = allowed_orgs(user)
    return allowed is None or org_id in allowed


def resolve(user, args) -> Scope:
    """The scope asked for in `args` (org, site, area, scope=all), checked against `user`."""
    own = user.org_id
    if args.get("site"):
        site = db.session.get(Site, _int(args.get("site")))
        if site is None or not _may(user, site.org_id):
            abort(404)
        return Scope(
            "site",
            f"site-{site.id}",
            site.name,
            [site.org_id],
            site_id=site.id,
            suppress=site.org_id != own,
            params={"site": site.id},
        )
    if args.get("area"):
        area = args.get("area", "").strip()
        stmt = select(Organisation.id).where(Organisation.area == area)
        allowed = allowed_orgs(user)
        if allowed is not None:
            stmt = stmt.where(Organisation.id.in_(allowed))
        ids = list(db.session.scalars(stmt))
        slug = "".join(c if c.isalnum() else "-" for c in area.lower()).strip("-") or "area"
        return Scope(
            "area",
            f"area-{slug}",
            area,
            ids,
            suppress=set(ids) != {own},
            params={"area": area},
        )
    if args.get("scope") == "all":
        allowed = allowed_orgs(user)
        ids = None if allowed is None else sorted(allowed)
        return Scope(
            "all",
            "all",
            _("Everything you may see"),
            ids,
            suppress=ids != [own],
            params={"scope": "all"},
        )
    org_id = _int(args.get("org")) if args.get("org") else own
    if not _may(user, org_id):
        abort(404)
    org = db.session.get(Organisation, org_id)
    if org is None:
        abort(404)
    return Scope(
        "org", f"org-{org.id}", org.name, [org.id], suppress=org.id != own, params={"org": org.id}
    )


def choices(user) -> tuple[list[Organisation], list[Site], list[str]]:
    """Organisations, sites and areas `user` may pick in the scope form."""
    stmt = select(Organisation).order_by(Organisation.name)
    allowed = allowed_orgs(user)
    if allowed is not None:
        stmt = stmt.where(Organisation.id.in_(allowed))
    orgs = list(db.session.scalars(stmt))
    ids = [o.id for o in orgs]
    sites = list(db.session.scalars(select(Site).where(Site.org_id.in_(ids)).order_by(Site.name)))
    areas = sorted({o.area for o in orgs})
    return orgs, sites, areas


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        abort(404)
    if not 1 <= number <= MAX_ID:
        abort(404)  # no such record; a bigger number would overflow the query
    return number
