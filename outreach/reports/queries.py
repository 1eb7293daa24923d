"""Aggregate queries behind the monthly report: one grouped query per table, never rows."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, func, select

from outreach.contacts.models import ContactReferral, ContactService, OutreachContact
from outreach.extensions import db
from outreach.handouts.models import REPORT_GROUPS, Handout
from outreach.overdoses.models import OverdoseReport
from outreach.reports.scope import Scope, local_month_bucket, local_range
from outreach.tenancy import live
from outreach.trainings.models import TrainingAttendance, TrainingSession
from outreach.vocab import DISTRIBUTOR_KINDS


def where(model, scope: Scope, start: datetime, end: datetime) -> list:
    """Live records (no voided one counts) in the scope and the local months from `start` to
    `end` (naive local midnights) of each organisation, as plain ranges so the occurred_at
    indexes are used."""
    clauses = local_range(model.occurred_at, model.org_id, scope.zones, start, end)
    clauses.append(live(model))
    if scope.org_ids is not None:
        clauses.append(model.org_id.in_(scope.org_ids))
    if scope.site_id is not None:
        clauses.append(model.site_id == scope.site_id)
    return clauses


def handout_figures(scope: Scope, start: datetime, end: datetime) -> dict:
    """Kits by product, setting, supply, reason and recipient, from one grouped scan."""
    h = Handout
    groups = [getattr(h, name) for name in REPORT_GROUPS]
    stmt = (
        select(
            *groups,
            func.sum(h.quantity),
            func.count(),
            func.coalesce(func.sum(h.people_trained), 0),
        )
        .where(*where(h, scope, start, end))
        .group_by(*groups)
    )
    out = _empty_handout_figures()
    for row in db.session.execute(stmt):
        _add_handout_group(out, *row)
    return out


def _empty_handout_figures() -> dict:
    return {
        "kits": 0,
        "by_product": defaultdict(int),
        "by_setting": defaultdict(int),
        # Per code, kits and supplies (a supply: one handout to one recipient; a tally is
        # counted under "tally", with its kits only: first or repeat is not asked there).
        "supply": defaultdict(int),
        "supply_n": defaultdict(int),
        "reasons": defaultdict(int),
        "reasons_n": defaultdict(int),
        "recipients": defaultdict(int),
        "recipients_n": defaultdict(int),
        "trained_tally": 0,
        "trained_single": 0,
    }


def _add_handout_group(
    out: dict, kind, product, setting, supply, reason, recipient, trained, kits, n, people
) -> None:
    """Add one group's kits, supplies and people trained to the month's figures."""
    kits = int(kits or 0)
    out["kits"] += kits
    out["by_product"][product] += kits
    out["by_setting"][setting] += kits
    single = kind == "single"
    supply_code = (supply or "not_recorded") if single else "tally"
    recipient_code = (recipient or "not_recorded") if single else "tally"
    for key, code in (("supply", supply_code), ("recipients", recipient_code)):
        out[key][code] += kits
        out[key + "_n"][code] += int(n) if single else 0
    if single and supply == "repeat":
        out["reasons"][reason or "not_given"] += kits
        out["reasons_n"][reason or "not_given"] += int(n)
    out["trained_tally"] += int(people or 0)
    if single and trained:
        out["trained_single"] += int(n)


def overdose_figures(scope: Scope, start: datetime, end: datetime) -> dict:
    o = OverdoseReport
    stmt = (
        select(o.outcome, o.administered_by, func.count())
        .where(*where(o, scope, start, end))
        .group_by(o.outcome, o.administered_by)
    )
    out = {"reports": 0, "outcomes": defaultdict(int), "by_whom": defaultdict(int)}
    for outcome, by_whom, n in db.session.execute(stmt):
        out["reports"] += n
        out["outcomes"][outcome] += n
        out["by_whom"][by_whom] += n
    return out


def contact_figures(scope: Scope, start: datetime, end: datetime) -> dict:
    c = OutreachContact
    out: dict = {
        "contacts": 0,
        "people": 0,
        "by_setting": {},
        "by_service": defaultdict(int),
        "referrals": defaultdict(int),
    }
    stmt = (
        select(c.setting, func.count(), func.sum(c.people_count))
        .where(*where(c, scope, start, end))
        .group_by(c.setting)
    )
    for setting, n, people in db.session.execute(stmt):
        out["by_setting"][setting] = (int(n), int(people or 0))
        out["contacts"] += int(n)
        out["people"] += int(people or 0)
    for link, column, key in (
        (ContactService, ContactService.service, "by_service"),
        (ContactReferral, ContactReferral.referral, "referrals"),
    ):
        stmt = (
            select(column, func.count())
            .join(c, c.id == link.contact_id)
            .where(*where(c, scope, start, end))
            .group_by(column)
        )
        for code, n in db.session.execute(stmt):
            out[key][code] = int(n)
    return out


def training_figures(scope: Scope, start: datetime, end: datetime) -> dict | None:
    """Peers trained and community members trained in sessions held in the month.

    Training sessions have no site, so a site's report leaves them out (None)."""
    if scope.site_id is not None:
        return None
    s, a = TrainingSession, TrainingAttendance
    held = [s.held_on >= start.date(), s.held_on < end.date()]
    if scope.org_ids is not None:
        held.append(s.org_id.in_(scope.org_ids))
    peers = db.session.scalar(
        select(func.count())
        .select_from(a)
        .join(s, s.id == a.session_id)
        .where(*held, a.user_id.is_not(None), a.passed.is_(True), s.kind.in_(DISTRIBUTOR_KINDS))
    )
    # Community members counted on any session (a brief intervention, or a course that
    # community members attended), not brief interventions only.
    counted = db.session.scalar(select(func.coalesce(func.sum(s.community_count), 0)).where(*held))
    coded = db.session.scalar(
        select(func.count())
        .select_from(a)
        .join(s, s.id == a.session_id)
        .where(*held, a.client_hash.is_not(None))
    )
    return {"peers": int(peers or 0), "sessions_community": int(counted or 0) + int(coded or 0)}


def trend(scope: Scope, start: datetime, end: datetime) -> dict[str, dict]:
    """Per local month: kits, first and repeat supplies (handouts, not kits), overdoses and
    contacts (one query per table).

    The month of a row is worked out in a subquery and grouped outside it: the CASE carries
    bound times, which PostgreSQL would not match between SELECT and GROUP BY."""
    months: dict[str, dict] = defaultdict(
        lambda: {"kits": 0, "first": 0, "repeat": 0, "overdoses": 0, "contacts": 0}
    )
    count = (end.year - start.year) * 12 + end.month - start.month

    def rows(model, *columns):
        bucket = local_month_bucket(model.occurred_at, model.org_id, scope.zones, start, count)
        inner = select(bucket.label("month"), *columns).where(*where(model, scope, start, end))
        return inner.subquery()

    h = rows(Handout, Handout.supply, Handout.quantity, Handout.kind)
    stmt = select(h.c.month, h.c.supply, h.c.kind, func.sum(h.c.quantity), func.count())
    stmt = stmt.group_by(h.c.month, h.c.supply, h.c.kind)
    for month, supply, kind, kits, n in db.session.execute(stmt):
        months[month]["kits"] += int(kits or 0)
        if kind == "single" and supply in ("first", "repeat"):
            months[month][supply] += int(n)
    for model, key in ((OverdoseReport, "overdoses"), (OutreachContact, "contacts")):
        sub = rows(model)
        stmt = select(sub.c.month, func.count()).group_by(sub.c.month)
        for month, n in db.session.execute(stmt):
            months[month][key] = int(n)
    return months


def kits_by_product(scope: Scope, start: datetime, end: datetime) -> dict[int, int]:
    """Kits handed out per product between `start` and `end` (for average monthly use)."""
    h = Handout
    stmt = (
        select(h.product_id, func.sum(h.quantity))
        .where(and_(*where(h, scope, start, end)))
        .group_by(h.product_id)
    )
    return {p: int(n or 0) for p, n in db.session.execute(stmt)}
