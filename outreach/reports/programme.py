"""The counts behind the national returns, per local authority (the area each record is filed
under) and, for people, per area of the return: grouped queries, never rows.

Additive counts (kits, supplies, new people, overdose reports) are counted once per local
authority and summed into each area; unique people cannot be summed (one person supplied in two
local authorities is one person in their board), so they are counted per area of the return."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from sqlalchemy import case, func, select

from outreach.demographics import outlet_type
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.orgs.models import Site
from outreach.overdoses.models import OverdoseReport
from outreach.products.models import Product
from outreach.reports.scope import Scope, add_month, local_month_bucket, local_range, month_start
from outreach.tenancy import live
from outreach.vocab import AGE_BANDS

USED = ("used_self", "used_other")
BAND_ORDER = list(AGE_BANDS)  # youngest first: a person counts in the band of their oldest age


def _where(model, scope: Scope, leaves, start: datetime, end: datetime) -> list:
    clauses = local_range(model.occurred_at, model.org_id, scope.zones, start, end)
    clauses += [live(model), model.area_id.in_(sorted(leaves))]
    if scope.org_ids is not None:
        clauses.append(model.org_id.in_(scope.org_ids))
    return clauses


def supply_counts(scope: Scope, leaves, start: datetime, end: datetime) -> dict[int, Counter]:
    """Per local authority: kits (by route, setting, outlet type), supplies (coded or not, by
    recipient, first or repeat and the reason), new people and first supplies to people at
    risk."""
    h = Handout
    # A supply had a code when it has a new_person mark (firsts.py: None exactly without a
    # code, and kept when retention removes the code): no need to read the code itself.
    groups = (
        h.area_id,
        h.kind,
        h.supply,
        h.recipient_type,
        h.repeat_reason,
        h.setting,
        h.site_id,
        h.product_id,
        h.new_person,
    )
    stmt = (
        select(*groups, func.sum(h.quantity), func.count())
        .where(*_where(h, scope, leaves, start, end))
        .group_by(*groups)
    )
    routes = dict(db.session.execute(select(Product.id, Product.route)).all())
    outlets = dict(db.session.execute(select(Site.id, Site.outlet_type)).all())
    out: dict[int, Counter] = defaultdict(Counter)
    for (
        area,
        kind,
        supply,
        recipient,
        reason,
        setting,
        site,
        product,
        new,
        kits,
        n,
    ) in db.session.execute(stmt):
        coded = new is not None
        c = out[area]
        kits, n = int(kits or 0), int(n)
        c["kits"] += kits
        c["kits_" + routes.get(product, "unknown")] += kits
        c["setting:" + setting] += kits
        c["outlet:" + outlet_type(outlets.get(site), setting)] += kits
        if kind != "single":
            c["tally_kits"] += kits
            continue
        c["supplies"] += n
        c["supplies_coded" if coded else "supplies_uncoded"] += n
        c["recipient:" + (recipient or "not_recorded")] += n
        c["recipient_kits:" + (recipient or "not_recorded")] += kits
        if new:
            c["new_people"] += n
            if recipient == "at_risk":
                c["new_at_risk"] += n
        if supply == "first":
            c["first"] += n
            if recipient == "at_risk":
                c["first_at_risk"] += n
        elif supply == "repeat":
            c["repeat"] += n
            c["reason:" + (reason or "not_given")] += n
            if reason in USED:
                c["repeat_used"] += n
    return out


def people_counts(scope: Scope, units, start: datetime, end: datetime) -> dict[int, Counter]:
    """Per area of the return (`units`): unique people supplied (distinct client codes), those
    supplied as a person at risk, and people by age band and sex (a person's band: the oldest
    they were at a supply in the period)."""
    h = Handout
    if not units:
        return {}
    unit = case(*[(h.area_id.in_(sorted(u.leaves)), u.area.id) for u in units], else_=None)
    order = case(*[(h.age_band == b, i) for i, b in enumerate(BAND_ORDER)], else_=None)
    leaves = set().union(*(u.leaves for u in units))
    per_person = (
        select(
            unit.label("unit"),
            func.max(order).label("band"),
            func.max(h.sex).label("sex"),
            func.max(case((h.recipient_type == "at_risk", 1), else_=0)).label("at_risk"),
        )
        .where(*_where(h, scope, leaves, start, end), h.client_hash.is_not(None))
        .group_by(unit, h.client_hash)
        .subquery()
    )
    p = per_person.c
    stmt = select(p.unit, p.band, p.sex, p.at_risk, func.count()).group_by(
        p.unit, p.band, p.sex, p.at_risk
    )
    out: dict[int, Counter] = defaultdict(Counter)
    for area, band, sex, at_risk, n in db.session.execute(stmt):
        c = out[area]
        c["people"] += n
        c["people_at_risk"] += n if at_risk else 0
        band_code = BAND_ORDER[band] if band is not None else "not_recorded"
        c[f"people_band:{band_code}"] += n
        c[f"people_sex:{sex or 'not_recorded'}"] += n
    return out


def overdose_counts(scope: Scope, leaves, start: datetime, end: datetime) -> dict[int, Counter]:
    """Per local authority: overdose reports by place, follow-on care, outcome, naloxone route
    and the age band and sex of the person helped (where their code was taken)."""
    o = OverdoseReport
    groups = (
        o.area_id,
        o.place_type,
        o.emergency_called,
        o.someone_stayed,
        o.referred,
        o.taken_to_hospital,
        o.outcome,
        o.route,
        o.age_band,
        o.sex,
    )
    stmt = (
        select(*groups, func.count()).where(*_where(o, scope, leaves, start, end)).group_by(*groups)
    )
    out: dict[int, Counter] = defaultdict(Counter)
    for (
        area,
        place,
        called,
        stayed,
        referred,
        hospital,
        outcome,
        route,
        band,
        sex,
        n,
    ) in db.session.execute(stmt):
        c = out[area]
        c["overdoses"] += n
        c["place:" + (place or "not_recorded")] += n
        for name, value in (
            ("ambulance", called),
            ("stayed", stayed),
            ("referred", referred),
            ("hospital", hospital),
        ):
            c[f"{name}:" + {True: "yes", False: "no"}.get(value, "not_recorded")] += n
        c["outcome:" + outcome] += n
        c["route:" + (route or "not_recorded")] += n
        c["od_band:" + (band or "not_recorded")] += n
        c["od_sex:" + (sex or "not_recorded")] += n
    return out


def reach_counts(scope: Scope, leaves, end: datetime) -> dict[int, int]:
    """Per local authority: people first supplied as a person at risk, from the programme's
    first record to `end` (new_person survives retention, so this never falls)."""
    h = Handout
    stmt = (
        select(h.area_id, func.count())
        .where(
            *_where(h, scope, leaves, datetime(2000, 1, 1), end),
            h.new_person.is_(True),
            h.recipient_type == "at_risk",
        )
        .group_by(h.area_id)
    )
    return {area: int(n) for area, n in db.session.execute(stmt)}


def monthly(scope: Scope, leaves, start: datetime, months: int) -> dict[str, Counter]:
    """Per local month from `start`: kits, supplies and new people, and overdose reports."""
    end = month_start(*add_month(start.year, start.month, months))
    out: dict[str, Counter] = defaultdict(Counter)
    h = Handout
    bucket = local_month_bucket(h.occurred_at, h.org_id, scope.zones, start, months)
    single = case((h.kind == "single", 1), else_=0)
    new = case((h.new_person.is_(True), 1), else_=0)
    inner = (
        select(bucket.label("month"), h.quantity, single.label("single"), new.label("new"))
        .where(*_where(h, scope, leaves, start, end))
        .subquery()
    )
    stmt = select(
        inner.c.month, func.sum(inner.c.quantity), func.sum(inner.c.single), func.sum(inner.c.new)
    ).group_by(inner.c.month)
    for month, kits, supplies, new_people in db.session.execute(stmt):
        out[month].update(
            kits=int(kits or 0), supplies=int(supplies or 0), new_people=int(new_people or 0)
        )
    o = OverdoseReport
    bucket = local_month_bucket(o.occurred_at, o.org_id, scope.zones, start, months)
    inner = select(bucket.label("month")).where(*_where(o, scope, leaves, start, end)).subquery()
    stmt = select(inner.c.month, func.count()).group_by(inner.c.month)
    for month, n in db.session.execute(stmt):
        out[month]["overdoses"] = int(n)
    return out


def summed(counts: dict[int, Counter], leaves) -> Counter:
    """The counts of the local authorities `leaves` added up."""
    total: Counter = Counter()
    for leaf in leaves:
        total.update(counts.get(leaf, {}))
    return total
