"""Who may see which report, and when its month is: the viewer's organisation in full, partners
only suppressed; a month is each organisation's own local calendar month."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import and_, case, false, literal, or_, select

from outreach.extensions import db
from outreach.limits import MAX_DB_INT
from outreach.orgs.models import Organisation, Site
from outreach.tenancy import aggregate_org_ids, every_org_id
from outreach.timezones import to_utc, zone

LAST_YEAR = 9998  # the month's end is the 1st of the next month, which must be a datetime


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
    # The scope's organisations by time zone: {zone name: org ids, or None for every org}.
    zones: dict[str, list[int] | None] = field(default_factory=dict)
    own_id: int | None = None  # the viewer's organisation, whose figures are its own

    def __post_init__(self):
        if not self.zones:
            self.zones = zone_groups(self.org_ids)


def zone_groups(org_ids: list[int] | None) -> dict[str, list[int] | None]:
    """The organisations (None: all) grouped by the zone they work in."""
    stmt = select(Organisation.timezone, Organisation.id)
    if org_ids is not None:
        stmt = stmt.where(Organisation.id.in_(org_ids))
    groups: dict[str, list[int]] = {}
    for name, org_id in db.session.execute(stmt.order_by(Organisation.id)):
        groups.setdefault(name, []).append(org_id)
    if org_ids is None and len(groups) == 1:
        return dict.fromkeys(groups)  # one zone for everyone: no need to name them
    return dict(groups)


def _bounds(zones: dict, moment: datetime) -> dict[str, datetime]:
    """The local wall-clock `moment` (naive: a month's first midnight) in UTC, per zone."""
    return {name: to_utc(moment, zone(name)) for name in zones}


def _per_zone(zones: dict, org_column, make) -> object:
    """One condition per zone group, each limited to that group's organisations."""
    if len(zones) == 1:
        return make(next(iter(zones)))
    return or_(*(and_(org_column.in_(ids), make(name)) for name, ids in zones.items()))


def local_range(column, org_column, zones: dict, start: datetime, end: datetime) -> list:
    """WHERE clauses: `column` in [start, end) of each organisation's local time.

    `start` and `end` are naive local midnights. The outer UTC range (the earliest start, the
    latest end) lets the time index do the work; with several zones a residual condition puts
    each organisation's records in its own local month."""
    if not zones:
        return [false()]
    lo, hi = _bounds(zones, start), _bounds(zones, end)
    clauses = [column >= min(lo.values()), column < max(hi.values())]
    if len(zones) > 1:
        clauses.append(
            _per_zone(zones, org_column, lambda z: and_(column >= lo[z], column < hi[z]))
        )
    return clauses


def local_after(column, org_column, zones: dict, moment: datetime):
    """A condition: `column` is at or after the local wall-clock `moment` of its organisation."""
    if not zones:
        return false()
    at = _bounds(zones, moment)
    return _per_zone(zones, org_column, lambda z: column >= at[z])


def local_month_bucket(column, org_column, zones: dict, first: datetime, months: int):
    """'YYYY-MM' of the local month `column` falls in, for `months` months from `first`; rows
    must already be limited to that range (local_range)."""
    keys, ends = [], []
    year, month = first.year, first.month
    for _i in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = add_month(year, month, 1)
        ends.append(month_start(year, month))
    whens = []
    for name, ids in zones.items():
        for key, end in zip(keys, ends, strict=True):
            condition = column < to_utc(end, zone(name))
            if len(zones) > 1:
                condition = and_(org_column.in_(ids), condition)
            whens.append((condition, key))
    return case(*whens, else_=keys[-1]) if whens else literal(keys[-1])


def zone_names(scope: Scope) -> str:
    """The zones a report's months are in, for its header."""
    return ", ".join(sorted(scope.zones)) or "UTC"


def month_bounds(text: str | None, today: date) -> tuple[datetime, datetime]:
    """First and last-exclusive local midnights (naive) of the month `text`, default the last
    full month before `today` (the viewer's local day). Each organisation's records are then
    counted in its own local month (local_range)."""
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
    """Local midnight on the 1st, naive: made UTC per organisation zone by local_range."""
    return datetime(year, month, 1)


def add_month(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def split(scope: Scope) -> tuple[Scope | None, Scope]:
    """A suppressed scope as (the viewer's own organisation's part, or None when outside it;
    the partners' part), each counted on its own (outreach.reports.parts)."""
    ids = sorted(every_org_id(db.session)) if scope.org_ids is None else scope.org_ids
    others = [i for i in ids if i != scope.own_id]
    mine = None
    if scope.own_id in ids:
        mine = replace(scope, org_ids=[scope.own_id], suppress=False, zones={})
    theirs = replace(scope, org_ids=others, zones=zone_groups(others))
    return mine, theirs


def _may(user, org_id: int) -> bool:
    allowed = aggregate_org_ids(db.session, user)
    return allowed is None or org_id in allowed


def resolve(user, args) -> Scope:
    """The scope asked for in `args` (org, site, area, scope=all), checked against `user`."""
    scope = _resolve(user, args)
    scope.own_id = user.org_id
    return scope


def _resolve(user, args) -> Scope:
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
        allowed = aggregate_org_ids(db.session, user)
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
        allowed = aggregate_org_ids(db.session, user)
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
    allowed = aggregate_org_ids(db.session, user)
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
    if not 1 <= number <= MAX_DB_INT:
        abort(404)  # no such record; a bigger number would overflow the query
    return number
