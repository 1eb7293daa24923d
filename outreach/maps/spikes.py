"""Emerging spikes (ODMAP-style): overdose reports over a threshold in 24 hours or 7 days, and
improbable for the place's usual rate (outreach/geo/surveillance.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import case, func, select

from outreach import disclosure
from outreach.extensions import db
from outreach.geo.grid import cell_centre
from outreach.geo.surveillance import ALPHA, spike_threshold
from outreach.maps.models import SpikeAlert
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation
from outreach.overdoses.models import OverdoseReport
from outreach.tenancy import live, partnerships
from outreach.timezones import zone

SPIKE_CELL_DEG = 0.01  # about 1.1 km north-south, 0.7 km east-west in Wales
WINDOWS = {"24h": timedelta(hours=24), "7d": timedelta(days=7)}
# The usual rate of a place: its reports in the 8 weeks before the window (for the 24-hour
# window, the last 6 days count too). In an organisation's first weeks only the days since its
# first report count; before it has a week of reports, the 7-day window is judged on the fixed
# count alone.
BASELINE = timedelta(days=56)
DAY = timedelta(days=1)


def thresholds() -> dict[str, int]:
    cfg = current_app.config
    return {"24h": int(cfg.get("MAP_SPIKE_24H", 3)), "7d": int(cfg.get("MAP_SPIKE_7D", 8))}


def _counts(now: datetime, org_ids: set[int] | None = None) -> list:
    """Overdose reports per organisation and ~1 km cell: in the last 24 hours and 7 days (with
    their first and newest), and in the baseline period before those 7 days (only of `org_ids`
    when given)."""
    m = OverdoseReport
    day = now - WINDOWS["24h"]
    week = now - WINDOWS["7d"]
    in_day = m.occurred_at >= day
    in_week = m.occurred_at >= week
    row = func.floor(m.latitude / SPIKE_CELL_DEG).label("row")
    col = func.floor(m.longitude / SPIKE_CELL_DEG).label("col")
    stmt = (
        select(
            m.org_id,
            row,
            col,
            func.sum(case((in_day, 1), else_=0)),
            func.sum(case((in_week, 1), else_=0)),
            func.min(case((in_day, m.occurred_at))),
            func.min(case((in_week, m.occurred_at))),
            func.max(case((in_day, m.created_at))),
            func.max(case((in_week, m.created_at))),
            func.sum(case((in_week, 0), else_=1)),
        )
        .where(live(m), m.occurred_at >= week - BASELINE, m.occurred_at <= now)
        .group_by(m.org_id, row, col)
    )
    if org_ids is not None:
        stmt = stmt.where(m.org_id.in_(sorted(org_ids)))
    return db.session.execute(stmt).all()


def _baseline_days(now: datetime, org_ids: set[int]) -> dict[int, dict[str, float]]:
    """Days of each organisation's baseline period before each window: from BASELINE before the
    last 7 days, or from its first overdose report when that is more recent (a new
    organisation's rate is not diluted by days it did not record); at least one day."""
    if not org_ids:
        return {}
    m = OverdoseReport
    first = dict(
        db.session.execute(
            select(m.org_id, func.min(m.occurred_at))
            .where(live(m), m.org_id.in_(sorted(org_ids)))
            .group_by(m.org_id)
        ).all()
    )
    week = now - WINDOWS["7d"]
    out = {}
    for org in org_ids:
        since = max(week - BASELINE, first.get(org) or now)
        out[org] = {w: max((now - WINDOWS[w] - since) / DAY, 1.0) for w in WINDOWS}
    return out


class _Part:
    """Reports of one side (own or partners'): how many, first, newest, per cell, and their
    usual rate (reports a day in the baseline period)."""

    def __init__(self) -> None:
        self.n = 0
        self.rate = 0.0
        self.started: datetime | None = None
        self.newest: datetime | None = None
        self.cells: dict[tuple[int, int], int] = defaultdict(int)

    def add(self, n: int, started, newest, key: tuple[int, int], rate: float = 0.0) -> None:
        self.rate += rate
        if not n:
            return
        self.n += n
        self.started = min(filter(None, (self.started, started)), default=None)
        self.newest = max(filter(None, (self.newest, newest)), default=None)
        self.cells[key] += n


class _Tally:
    """Counts for one key and window, split into the viewer's own part and partners' part.

    Partners' part counts only as outreach.disclosure.partner_part allows: a hidden part
    feeds nothing (not the count, the start, the newest report nor the centre); a shown one
    adds its coarse count, its start as a whole local day and its cells' coarse weights.
    """

    def __init__(self, name: str, tz) -> None:
        self.name, self.tz = name, tz
        self.mine, self.partners = _Part(), _Part()

    def add(self, n: int, started, newest, own: bool, key: tuple[int, int], rate=0.0) -> None:
        if n or rate:
            (self.mine if own else self.partners).add(n, started, newest, key, rate)

    def partner_count(self) -> int:
        return disclosure.partner_part(self.partners.n, self.name)

    def count(self) -> int:
        return self.mine.n + self.partner_count()

    def usual_rate(self) -> float:
        """Reports a day before the window, of the shown parts (a hidden partners' part feeds
        nothing; a shown one its rate rounded to a tenth)."""
        theirs = round(self.partners.rate, 1) if self.partner_count() else 0.0
        return self.mine.rate + theirs

    @property
    def started(self) -> datetime | None:
        theirs = None
        first = self.partners.started
        if self.partner_count() and first is not None:
            first = first if first.tzinfo else first.replace(tzinfo=UTC)
            theirs = disclosure.whole_days(first, first, self.tz)[0]
        return min(filter(None, (self.mine.started, theirs)), default=None)

    @property
    def newest(self) -> datetime | None:
        theirs = self.partners.newest if self.partner_count() else None
        return max(filter(None, (self.mine.newest, theirs)), default=None)

    def centre(self) -> tuple[float, float]:
        """The weighted centre of the own cells and of partners' cells shown on their own."""
        weights: dict[tuple[int, int], float] = defaultdict(float, self.mine.cells)
        for key, n in self.partners.cells.items():
            weights[key] += disclosure.partner_part(n, f"spike:{key[0]}:{key[1]}")
        total = sum(weights.values())
        if not total:  # only partners' small cells: their plain middle, to a tenth of a degree
            points = [cell_centre(k, SPIKE_CELL_DEG) for k in self.partners.cells]
            lat = sum(p[0] for p in points) / len(points)
            lon = sum(p[1] for p in points) / len(points)
            return round(lat, 1), round(lon, 1)
        points = {k: cell_centre(k, SPIKE_CELL_DEG) for k in weights}
        lat = sum(points[k][0] * w for k, w in weights.items()) / total
        lon = sum(points[k][1] * w for k, w in weights.items()) / total
        return round(lat, 6), round(lon, 6)


def _open_or_unchanged(last: SpikeAlert | None, tally: _Tally, now: datetime) -> bool:
    if last is None:
        return False
    still_open = last.acknowledged_at is None and last.detected_at > now - WINDOWS[last.window]
    newest = tally.newest
    no_new_reports = newest is not None and newest <= last.detected_at
    return still_open or no_new_reports


def _tallies(viewer, seen, rows, spans, areas, tz) -> dict[tuple[str, str], _Tally]:
    """The viewer's tallies per key (its area, each ~1 km cell) and window, of the
    organisations it may count (`seen`)."""
    tallies: dict[tuple[str, str], _Tally] = {}
    for org, r, c, n_day, n_week, start_day, start_week, new_day, new_week, base in rows:
        if org not in seen:
            continue
        key = (int(r), int(c))
        mine = org == viewer
        keys = [f"cell:{SPIKE_CELL_DEG}:{key[0]}:{key[1]}"]
        if areas.get(org) == areas[viewer]:
            keys.append(f"area:{areas[viewer]}")
        n_day, n_week, base = int(n_day or 0), int(n_week or 0), int(base or 0)
        rate_day = (base + n_week - n_day) / spans[org]["24h"]
        rate_week = base / spans[org]["7d"]
        for k in keys:
            for w, args in (
                ("24h", (n_day, start_day, new_day, mine, key, rate_day)),
                ("7d", (n_week, start_week, new_week, mine, key, rate_week)),
            ):
                tallies.setdefault((k, w), _Tally(f"spike:{k}:{w}", tz)).add(*args)
    return tallies


def detect_spikes(now: datetime | None = None, org_ids=None, partners=None) -> list[SpikeAlert]:
    """Raise alerts where overdose reports reach the threshold, per organisation's area and per
    ~1 km cell, counting the organisation's own reports and its partners' (outreach.disclosure).
    One alert per organisation, key and window until acknowledged or expired and new reports
    arrive. Flushes; the caller commits (then calls send_pending_emails)."""
    now = now or utcnow()
    limits = thresholds()
    alpha = float(current_app.config.get("MAP_SPIKE_ALPHA", ALPHA))
    areas = dict(db.session.execute(select(Organisation.id, Organisation.area)).all())
    zones = dict(db.session.execute(select(Organisation.id, Organisation.timezone)).all())
    partners = partnerships(db.session) if partners is None else partners
    viewers = set(areas) if org_ids is None else set(org_ids) & set(areas)
    # Only the reports some viewer may count: its own and its partners'.
    counted = None
    if org_ids is not None:
        counted = set().union(*({v} | partners.get(v, set()) for v in viewers))
    rows = _counts(now, counted)
    spans = _baseline_days(now, {r[0] for r in rows})
    recent = db.session.scalars(
        select(SpikeAlert)
        .where(SpikeAlert.org_id.in_(viewers), SpikeAlert.detected_at >= now - WINDOWS["7d"])
        .order_by(SpikeAlert.detected_at)
    )
    last = {(a.org_id, a.key, a.window): a for a in recent}
    created = []
    for viewer in sorted(viewers):
        seen = {viewer} | partners.get(viewer, set())
        tallies = _tallies(viewer, seen, rows, spans, areas, zone(zones.get(viewer)))
        for (key, window), tally in sorted(tallies.items()):
            count = tally.count()
            if count < limits[window] or count == 0:
                continue
            threshold = spike_threshold(
                tally.usual_rate(), WINDOWS[window] / DAY, limits[window], DAY / BASELINE, alpha
            )
            if count < threshold:
                continue
            if _open_or_unchanged(last.get((viewer, key, window)), tally, now):
                continue
            alert = _alert(viewer, key, window, tally, count, threshold, now, areas)
            db.session.add(alert)
            last[(viewer, key, window)] = alert
            created.append(alert)
    db.session.flush()
    return created


def _alert(viewer, key, window, tally, count, threshold, now, areas) -> SpikeAlert:
    latitude, longitude = tally.centre()
    return SpikeAlert(
        org_id=viewer,
        scope=key.split(":", 1)[0],
        key=key,
        area=areas[viewer],
        window=window,
        started_at=tally.started or now,
        detected_at=now,
        count=count,
        threshold=threshold,
        latitude=latitude,
        longitude=longitude,
    )


def check_after_report(report: OverdoseReport) -> list[SpikeAlert]:
    """Cheap detection after one overdose report is saved: only the organisations that can see
    it (its own and its partners). Call after the report is flushed, before the commit."""
    now = utcnow()
    if report.occurred_at < now - WINDOWS["7d"]:
        return []
    partners = partnerships(db.session)
    orgs = {report.org_id} | partners.get(report.org_id, set())
    return detect_spikes(now=now, org_ids=orgs, partners=partners)
