"""Unique people in a return: distinct client codes, which cannot be summed from monthly
tallies (one person supplied in two months, or two local authorities, is one person), so are
counted from the records, in one grouped scan per period: per area of the return and, from the
same per-person rows, for the return's whole area."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import Integer, case, func, literal, select, union_all

from outreach.areas.queries import Unit
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.reports.programme import Split, pair, tallied
from outreach.reports.scope import Scope, local_range, zone_groups
from outreach.tallies.models import SupplyMonth
from outreach.tenancy import live
from outreach.vocab import AGE_BANDS

BAND_ORDER = list(AGE_BANDS)  # youngest first: a person counts in the band of their oldest age


def _present(scope: Scope, leaves, start: datetime, end: datetime) -> list[int]:
    """The organisations of the scope with a supply in the areas `leaves` over the period (read
    from the tallies): the records to read are theirs, in their zones only (a return of Welsh
    areas reads London's calendar alone, with no per-zone condition on every row)."""
    s = SupplyMonth
    stmt = select(s.org_id).where(*tallied(s, scope, leaves, start, end), s.records > 0)
    return sorted(set(db.session.scalars(stmt.distinct())))


def _where(scope: Scope, leaves, start: datetime, end: datetime) -> list:
    h = Handout
    present = _present(scope, leaves, start, end)
    clauses = local_range(h.occurred_at, h.org_id, zone_groups(present), start, end)
    # `org_id + 0`: the organisations only filter; the planner must not take the
    # organisation-first index for them (SQLite without statistics did, 15 times slower than
    # ix_handouts_area_people, which reads the area's period and nothing else).
    return [
        *clauses,
        live(h),
        h.area_id.in_(sorted(leaves)),
        (h.org_id + 0).in_(present),
        h.client_hash.is_not(None),
    ]


def people_counts(
    scope: Scope, root: Unit, parts: list[Unit], start: datetime, end: datetime, own=None
) -> Split:
    """Per area of `parts` (which must not overlap) and for `root`: unique people supplied
    (distinct client codes), those supplied as a person at risk, and people by age band and sex
    (a person's band: the oldest they were at a supply in the period). The own part: people the
    viewer's organisation supplied."""
    h = Handout
    unit = case(*[(h.area_id.in_(sorted(u.leaves)), u.area.id) for u in parts], else_=None)
    order = case(*[(h.age_band == b, i) for i, b in enumerate(BAND_ORDER)], else_=None)
    groups = [unit, h.client_hash] if parts else [h.client_hash]
    per_person = (
        select(
            (unit if parts else literal(None, Integer)).label("unit"),
            h.client_hash.label("code"),
            func.max(order).label("band"),
            func.max(h.sex).label("sex"),
            func.max(case((h.recipient_type == "at_risk", 1), else_=0)).label("at_risk"),
            func.max(case((h.org_id == own, 1), else_=0)).label("mine"),
        )
        .where(*_where(scope, root.leaves, start, end))
        .group_by(*groups)
        .cte("per_person")
    )
    p = per_person.c
    traits = (p.band, p.sex, p.at_risk, p.mine)
    by_unit = select(p.unit, *traits, func.count()).where(p.unit.is_not(None))
    by_unit = by_unit.group_by(p.unit, *traits)
    person = select(*(func.max(t).label(t.name) for t in traits)).group_by(p.code).subquery()
    whole = select(literal(root.area.id), *person.c, func.count()).group_by(*person.c)
    every, mine = pair()
    for area, band, sex, at_risk, is_mine, n in db.session.execute(union_all(by_unit, whole)):
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
