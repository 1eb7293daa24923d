"""The counts behind the national returns, per local authority (the area each record is filed
under) and, for people, per area of the return: grouped queries, never rows.

Additive counts (kits, supplies, new people, overdose reports) are counted once per local
authority and summed into each area; unique people cannot be summed (one person supplied in two
local authorities is one person in their board), so they are counted per area of the return.

Every query counts the whole scope and, in the same scan, the viewer's own organisation's part
(`own`): each returns a pair (everything, own part), so a return that mixes partners' data costs
one scan, not two (the disclosure rule needs both parts: outreach/reports/returns.py)."""

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
from outreach.reports.scope import Scope, add_month, local_range, month_start
from outreach.tenancy import live
from outreach.vocab import AGE_BANDS

USED = ("used_self", "used_other")
BAND_ORDER = list(AGE_BANDS)  # youngest first: a person counts in the band of their oldest age

Split = tuple[dict, dict]  # (everything in the scope, the viewer's own organisation's part)


def _where(model, scope: Scope, leaves, start: datetime, end: datetime) -> list:
    clauses = local_range(model.occurred_at, model.org_id, scope.zones, start, end)
    clauses += [live(model), model.area_id.in_(sorted(leaves))]
    if scope.org_ids is not None:
        clauses.append(model.org_id.in_(scope.org_ids))
    return clauses


def _pair() -> tuple[defaultdict, defaultdict]:
    return defaultdict(Counter), defaultdict(Counter)


def supply_counts(scope: Scope, leaves, start: datetime, end: datetime, own=None) -> Split:
    """Per local authority: kits (by route, setting, outlet type), supplies (coded or not, by
    recipient, first or repeat and the reason), new people and first supplies to people at
    risk. Two narrow grouped scans, not one wide one: far fewer groups to sort and read."""
    h = Handout
    where = _where(h, scope, leaves, start, end)
    routes = dict(db.session.execute(select(Product.id, Product.route)).all())
    outlets = dict(db.session.execute(select(Site.id, Site.outlet_type)).all())
    every, mine = _pair()
    kit_groups = (h.area_id, h.org_id, h.site_id, h.setting, h.product_id)
    stmt = select(*kit_groups, func.sum(h.quantity)).where(*where).group_by(*kit_groups)
    for area, org, site, setting, product, kits in db.session.execute(stmt):
        kits = int(kits or 0)
        counts = Counter(
            {
                "kits": kits,
                "kits_" + routes.get(product, "unknown"): kits,
                "setting:" + setting: kits,
                "outlet:" + outlet_type(outlets.get(site), setting): kits,
            }
        )
        every[area].update(counts)
        if org == own:
            mine[area].update(counts)
    # A supply had a code when it has a new_person mark (firsts.py: None exactly without a
    # code, and kept when retention removes the code): no need to read the code itself.
    supply_groups = (
        h.area_id,
        h.org_id,
        h.kind,
        h.supply,
        h.recipient_type,
        h.repeat_reason,
        h.new_person,
    )
    stmt = (
        select(*supply_groups, func.sum(h.quantity), func.count())
        .where(*where)
        .group_by(*supply_groups)
    )
    for area, org, kind, supply, recipient, reason, new, kits, n in db.session.execute(stmt):
        counts = _supply_group(kind, supply, recipient, reason, new, int(kits or 0), int(n))
        every[area].update(counts)
        if org == own:
            mine[area].update(counts)
    return every, mine


def _supply_group(kind, supply, recipient, reason, new, kits, n) -> Counter:
    c: Counter = Counter()
    if kind != "single":
        c["tally_kits"] += kits
        return c
    c["supplies"] += n
    c["supplies_coded" if new is not None else "supplies_uncoded"] += n
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
    return c


def totals(scope: Scope, leaves, start: datetime, end: datetime, own=None) -> tuple:
    """The headline counts of the whole area over a period compared with (kits, supplies, first
    supplies to people at risk, new people, overdose reports), everything and own part."""
    h, o = Handout, OverdoseReport
    single = h.kind == "single"
    mine = case((h.org_id == own, 1), else_=0)
    columns = {
        "kits": h.quantity,
        "supplies": case((single, 1), else_=0),
        "first_at_risk": case(
            ((h.supply == "first") & (h.recipient_type == "at_risk") & single, 1), else_=0
        ),
        "new_people": case((h.new_person.is_(True), 1), else_=0),
    }
    sums = [func.coalesce(func.sum(c), 0) for c in columns.values()]
    sums += [func.coalesce(func.sum(c * mine), 0) for c in columns.values()]
    row = db.session.execute(select(*sums).where(*_where(h, scope, leaves, start, end))).one()
    every = Counter(dict(zip(columns, map(int, row[: len(columns)]), strict=True)))
    own_part = Counter(dict(zip(columns, map(int, row[len(columns) :]), strict=True)))
    ods = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((o.org_id == own, 1), else_=0)), 0)).where(
            *_where(o, scope, leaves, start, end)
        )
    ).one()
    every["overdoses"], own_part["overdoses"] = int(ods[0]), int(ods[1])
    return every, own_part


def people_counts(scope: Scope, units, start: datetime, end: datetime, own=None) -> Split:
    """Per area of the return (`units`, which must not overlap): unique people supplied
    (distinct client codes), those supplied as a person at risk, and people by age band and sex
    (a person's band: the oldest they were at a supply in the period). The own part: people the
    viewer's organisation supplied."""
    h = Handout
    every, mine = _pair()
    if not units:
        return every, mine
    unit = case(*[(h.area_id.in_(sorted(u.leaves)), u.area.id) for u in units], else_=None)
    order = case(*[(h.age_band == b, i) for i, b in enumerate(BAND_ORDER)], else_=None)
    leaves = set().union(*(u.leaves for u in units))
    per_person = (
        select(
            unit.label("unit"),
            func.max(order).label("band"),
            func.max(h.sex).label("sex"),
            func.max(case((h.recipient_type == "at_risk", 1), else_=0)).label("at_risk"),
            func.max(case((h.org_id == own, 1), else_=0)).label("mine"),
        )
        .where(*_where(h, scope, leaves, start, end), h.client_hash.is_not(None))
        .group_by(unit, h.client_hash)
        .subquery()
    )
    p = per_person.c
    stmt = select(p.unit, p.band, p.sex, p.at_risk, p.mine, func.count()).group_by(
        p.unit, p.band, p.sex, p.at_risk, p.mine
    )
    for area, band, sex, at_risk, is_mine, n in db.session.execute(stmt):
        band_code = BAND_ORDER[band] if band is not None else "not_recorded"
        counts = Counter(
            {
                "people": n,
                "people_at_risk": n if at_risk else 0,
                f"people_band:{band_code}": n,
                f"people_sex:{sex or 'not_recorded'}": n,
            }
        )
        every[area].update(counts)
        if is_mine:
            mine[area].update(counts)
    return every, mine


def overdose_counts(scope: Scope, leaves, start: datetime, end: datetime, own=None) -> Split:
    """Per local authority: overdose reports by place, follow-on care, outcome, naloxone route
    and the age band and sex of the person helped (where their code was taken)."""
    o = OverdoseReport
    groups = (
        o.area_id,
        o.org_id,
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
    every, mine = _pair()
    for (
        area,
        org,
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
        c: Counter = Counter()
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
        every[area].update(c)
        if org == own:
            mine[area].update(c)
    return every, mine


def reach_counts(scope: Scope, leaves, end: datetime, own=None) -> Split:
    """Per local authority: people first supplied as a person at risk, from the programme's
    first record to `end` (new_person survives retention, so this never falls)."""
    h = Handout
    stmt = (
        select(h.area_id, h.org_id, func.count())
        .where(
            *_where(h, scope, leaves, datetime(2000, 1, 1), end),
            h.new_person.is_(True),
            h.recipient_type == "at_risk",
        )
        .group_by(h.area_id, h.org_id)
    )
    every, mine = _pair()
    for area, org, n in db.session.execute(stmt):
        every[area]["reach"] += int(n)
        if org == own:
            mine[area]["reach"] += int(n)
    return every, mine


def monthly(scope: Scope, leaves, start: datetime, months: int, own=None) -> Split:
    """Per local month from `start`: kits, supplies, new people and overdose reports; one small
    aggregate per month (each a range of the covering index), everything and own part."""
    every, mine = _pair()
    first = (start.year, start.month)
    for i in range(months):
        lo = month_start(*add_month(*first, i))
        hi = month_start(*add_month(*first, i + 1))
        key = f"{lo.year:04d}-{lo.month:02d}"
        whole, part = totals(scope, leaves, lo, hi, own)
        every[key].update(whole)
        mine[key].update(part)
    return every, mine


def summed(counts: dict[int, Counter], leaves) -> Counter:
    """The counts of the local authorities `leaves` added up."""
    total: Counter = Counter()
    for leaf in leaves:
        total.update(counts.get(leaf, {}))
    return total
