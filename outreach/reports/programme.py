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
from outreach.orgs.models import Site
from outreach.products.models import Product
from outreach.reports.scope import Scope, add_month, month_start
from outreach.tallies.models import OverdoseMonth, SupplyKitMonth, SupplyMonth

USED = ("used_self", "used_other")

Split = tuple[dict, dict]  # (everything in the scope, the viewer's own organisation's part)


def _month(moment: datetime) -> int:
    """A period's bound (local midnight on the 1st) as a tally month, YYYYMM."""
    return moment.year * 100 + moment.month


def tallied(tally, scope: Scope, leaves, start: datetime | None, end: datetime) -> list:
    """WHERE clauses: the tally's cells of the areas `leaves`, in the local months from `start`
    (None: from the first) to `end`, of the scope's organisations (each month already its
    organisation's own: outreach/tallies)."""
    clauses = [tally.area_id.in_(sorted(leaves)), tally.month < _month(end)]
    if start is not None:
        clauses.append(tally.month >= _month(start))
    if scope.org_ids is not None:
        clauses.append(tally.org_id.in_(scope.org_ids))
    return clauses


def pair() -> tuple[defaultdict, defaultdict]:
    return defaultdict(Counter), defaultdict(Counter)


def _cells(tally, scope: Scope, leaves, start, end, columns, sums) -> list:
    """The tally's cells summed over the period, grouped by area, organisation and `columns`."""
    groups = (tally.area_id, tally.org_id, *columns)
    sums = [func.sum(c) for c in sums]
    stmt = select(*groups, *sums).where(*tallied(tally, scope, leaves, start, end))
    return db.session.execute(stmt.group_by(*groups)).all()


def supply_counts(scope: Scope, leaves, start: datetime, end: datetime, own=None) -> Split:
    """Per local authority: kits (by route, setting, outlet type), supplies (coded or not, by
    recipient, first or repeat and the reason), new people and first supplies to people at
    risk; summed from the monthly tallies (outreach/tallies)."""
    k, s = SupplyKitMonth, SupplyMonth
    routes = dict(db.session.execute(select(Product.id, Product.route)).all())
    outlets = dict(db.session.execute(select(Site.id, Site.outlet_type)).all())
    every, mine = pair()
    kit_columns = (k.site_id, k.setting, k.product_id)
    for area, org, site, setting, product, kits in _cells(
        k, scope, leaves, start, end, kit_columns, (k.kits,)
    ):
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
    supply_columns = (s.kind, s.supply, s.recipient_type, s.repeat_reason, s.new_person)
    for area, org, kind, supply, recipient, reason, new, kits, n in _cells(
        s, scope, leaves, start, end, supply_columns, (s.kits, s.records)
    ):
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


def _headline(scope: Scope, leaves, start: datetime, end: datetime, own=None) -> Split:
    """Per local month ('YYYY-MM'): kits, supplies, first supplies to people at risk, new
    people and overdose reports, everything and own part, from the tallies."""
    s, o = SupplyMonth, OverdoseMonth
    single = s.kind == "single"
    columns = {
        "kits": s.kits,
        "supplies": case((single, s.records), else_=0),
        "first_at_risk": case(
            ((s.supply == "first") & (s.recipient_type == "at_risk") & single, s.records),
            else_=0,
        ),
        "new_people": case((s.new_person.is_(True), s.records), else_=0),
    }
    every, mine = pair()
    for tally, named in ((s, columns), (o, {"overdoses": o.records})):
        mine_only = case((tally.org_id == own, 1), else_=0)
        sums = [func.sum(c) for c in named.values()]
        sums += [func.sum(c * mine_only) for c in named.values()]
        stmt = select(tally.month, *sums).where(*tallied(tally, scope, leaves, start, end))
        for month, *values in db.session.execute(stmt.group_by(tally.month)):
            key = f"{month // 100:04d}-{month % 100:02d}"
            values = [int(v or 0) for v in values]
            every[key].update(dict(zip(named, values[: len(named)], strict=True)))
            mine[key].update(dict(zip(named, values[len(named) :], strict=True)))
    return every, mine


def totals(scope: Scope, leaves, start: datetime, end: datetime, own=None) -> tuple:
    """The headline counts of the whole area over a period compared with (kits, supplies, first
    supplies to people at risk, new people, overdose reports), everything and own part."""
    every, mine = _headline(scope, leaves, start, end, own)
    whole = Counter(dict.fromkeys(HEADLINE, 0))
    part = Counter(dict.fromkeys(HEADLINE, 0))
    for month in every:
        whole.update(every[month])
        part.update(mine[month])
    return whole, part


FOLLOWED = ("ambulance", "stayed", "referred", "hospital")
HEADLINE = ("kits", "supplies", "first_at_risk", "new_people", "overdoses")


def overdose_counts(scope: Scope, leaves, start: datetime, end: datetime, own=None) -> Split:
    """Per local authority: overdose reports by place, follow-on care, outcome, naloxone route
    and the age band and sex of the person helped (where their code was taken)."""
    o = OverdoseMonth
    columns = (
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
    every, mine = pair()
    for area, org, place, *followed, outcome, route, band, sex, n in _cells(
        o, scope, leaves, start, end, columns, (o.records,)
    ):
        n = int(n or 0)
        c: Counter = Counter()
        c["overdoses"] += n
        c["place:" + (place or "not_recorded")] += n
        for name, value in zip(FOLLOWED, followed, strict=True):
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
    s = SupplyMonth
    stmt = (
        select(s.area_id, s.org_id, func.sum(s.records))
        .where(
            *tallied(s, scope, leaves, None, end),
            s.new_person.is_(True),
            s.recipient_type == "at_risk",
            s.kind == "single",
        )
        .group_by(s.area_id, s.org_id)
    )
    every, mine = pair()
    for area, org, n in db.session.execute(stmt):
        every[area]["reach"] += int(n or 0)
        if org == own:
            mine[area]["reach"] += int(n or 0)
    return every, mine


def monthly(scope: Scope, leaves, start: datetime, months: int, own=None) -> Split:
    """Per local month from `start`: kits, supplies, new people and overdose reports,
    everything and own part (one grouped sum of each tally)."""
    end = month_start(*add_month(start.year, start.month, months))
    every, mine = _headline(scope, leaves, start, end, own)
    for i in range(months):  # months with nothing recorded are there, as zeros
        year, month = add_month(start.year, start.month, i)
        key = f"{year:04d}-{month:02d}"
        for part in (every, mine):
            part[key].update(dict.fromkeys(HEADLINE, 0))
    return every, mine


def summed(counts: dict[int, Counter], leaves) -> Counter:
    """The counts of the local authorities `leaves` added up."""
    total: Counter = Counter()
    for leaf in leaves:
        total.update(counts.get(leaf, {}))
    return total
