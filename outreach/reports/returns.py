"""The national programmes' returns: figures per area of a level and a period, shaped as the
Welsh Harm Reduction Database's quarterly return, Scotland's National Naloxone Programme return
by health board and financial year, and a Swedish regional summary by kommun and calendar year.
docs/reports.md names every column and what it counts.

A return covers what the viewer may see (tenancy.aggregate_org_ids). Its figures are exact when
that is the viewer's own organisation only; otherwise every figure is the viewer's own part plus
partners' part through outreach.disclosure, as the monthly report's are: so are the unique and
new people, whose partners' part is the people partners add to the viewer's own. What is counted:
returns_counts.py; the tables: returns_tables.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from outreach import disclosure
from outreach.areas.models import Area
from outreach.areas.queries import Unit, unit_of, units
from outreach.extensions import db
from outreach.i18n import current_language
from outreach.orgs.models import Organisation
from outreach.orgs.retention import cutoff_day
from outreach.reports.periods import Period
from outreach.reports.returns_counts import Cells, count
from outreach.reports.returns_tables import tables as return_tables
from outreach.reports.scope import Scope, zone_groups, zone_names
from outreach.reports.sections import Table
from outreach.tenancy import aggregate_org_ids

LEVEL_LABELS = {
    "country": _l("Country"),
    "board": _l("Health board or region"),
    "partnership": _l("Area Planning Board or Alcohol and Drug Partnership"),
    "local_authority": _l("Local authority or kommun"),
}


@dataclass(frozen=True)
class Shape:
    """A programme's return: its title, the area it covers, the level it breaks down by and the
    kind of period it is made for (each may be changed on the page)."""

    title: object
    root: str
    level: str
    period: str


SHAPES = {
    "wales": Shape(
        _l("Wales: quarterly return (Harm Reduction Database)"), "W92000004", "board", "quarter"
    ),
    "scotland": Shape(
        _l("Scotland: return by health board and financial year (National Naloxone Programme)"),
        "S92000003",
        "board",
        "financial_year",
    ),
    "sweden": Shape(
        _l("Sweden: regional summary by kommun and calendar year"),
        "SE-14",
        "local_authority",
        "year",
    ),
}


@dataclass
class Return:
    shape: str
    title: str
    root: Area
    level: str
    period: Period
    tables: list[Table]
    tiles: list[tuple[str, object]]
    suppressed_below: int | None
    zone: str
    units: list[Unit] = field(default_factory=list)
    codes_kept_from: date | None = None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


def _scope(org_ids, label: str) -> Scope:
    return Scope("return", "return", label, org_ids, zones=zone_groups(org_ids))


def build(user, shape: str, root: Area, level: str, period: Period) -> Return:
    """Every table of the return `shape` for the areas of `level` in `root` over `period`, as
    `user` may see it."""
    allowed = aggregate_org_ids(db.session, user)
    org_ids = None if allowed is None else sorted(allowed)
    suppress = org_ids != [user.org_id]
    language = current_language()
    parts = units(root, level)
    whole = unit_of(root)
    every_scope = _scope(org_ids, root.name)
    every, own = count(every_scope, whole, parts, period, user.org_id)
    cells = Cells(own if suppress else None, every, period.span)
    rows = [*parts, whole]
    name = {u.area.id: u.area.label(language) for u in rows}
    name[whole.area.id] = _("All of %(area)s", area=root.label(language))
    tables = return_tables(cells, rows, whole, name, period)
    tiles = [
        (_("Kits supplied"), cells.unit(whole, "kits")),
        (_("People supplied"), cells.unit(whole, "people")),
        (_("New people"), cells.unit(whole, "new_people")),
        (_("First supplies to people at risk"), cells.unit(whole, "first_at_risk")),
        (_("Overdose reports"), cells.unit(whole, "overdoses")),
    ]
    title = _(
        "%(return)s: %(area)s, %(period)s",
        **{"return": SHAPES[shape].title, "area": root.label(language), "period": period.label},
    )
    zones = zone_names(every_scope)
    threshold = disclosure.threshold() if suppress else None
    result = Return(shape, title, root, level, period, tables, tiles, threshold, zones, parts)
    result.codes_kept_from = codes_kept_from(org_ids, period)
    return result


def codes_kept_from(org_ids: list[int] | None, period: Period) -> date | None:
    """The first local day whose client codes every organisation in the return still keeps,
    when the period starts before it (retention removes codes after each organisation's
    retention period: outreach/retention); None when the whole period's codes are kept.

    Kits, supplies, new people and reach do not need the codes (new_person is kept), so they
    never change; unique people are counted from the codes, so a period older than that
    counts only the people whose codes are still there, and the return says so."""
    stmt = select(Organisation)
    if org_ids is not None:
        stmt = stmt.where(Organisation.id.in_(org_ids))
    days = [cutoff_day(org, org.retention_months) for org in db.session.scalars(stmt)]
    latest = max(days, default=None)
    return latest if latest is not None and period.start.date() < latest else None


class ReturnArgsError(ValueError):
    """A return asked for with a value it cannot have: the field and the reason, translated."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class Asked:
    shape: str
    root: Area
    level: str
    period: Period


def asked(args, today) -> Asked:
    """The return asked for by `args` (return, area, level, period), defaults from its shape:
    the one reading of a return's parameters, for the page, the downloads and the API."""
    from outreach.areas.queries import BREAKDOWN_LEVELS, by_code
    from outreach.reports.periods import PeriodError, last_full, parse

    shape = (args.get("return") or "wales").strip()
    if shape not in SHAPES:
        raise ReturnArgsError("return", _("Choose Wales, Scotland or Sweden."))
    preset = SHAPES[shape]
    root = by_code(args.get("area") or preset.root)
    if root is None or root.level == "local_authority":
        if root is None and not db.session.scalar(select(func.count()).select_from(Area)):
            raise ReturnArgsError(
                "area",
                _(
                    "No areas are loaded yet. An administrator loads them with "
                    "flask --app outreach areas-load."
                ),
            )
        raise ReturnArgsError("area", _("Choose a country, board, region or partnership."))
    level = (args.get("level") or preset.level).strip()
    if level not in BREAKDOWN_LEVELS:
        raise ReturnArgsError("level", _("Choose a level to break the return down by."))
    try:
        period = parse(args.get("period"), last_full(preset.period, today))
    except PeriodError:
        raise ReturnArgsError(
            "period",
            _(
                "Write the period as a month (2026-10), a quarter (2026-Q3), a financial year "
                "(FY2025 for April 2025 to March 2026), a calendar year (2025) or a range of "
                "months (2025-04..2026-03)."
            ),
        ) from None
    return Asked(shape, root, level, period)


def header_lines(result) -> list[tuple[str, str]]:
    """What every copy of a return says about itself: the period, the areas, the time zone and,
    when partners' data is in it, the suppression note."""
    language = current_language()
    lines = [
        (
            _("Period"),
            f"{result.period.label} ({result.period.start:%Y-%m-%d} – "
            f"{result.period.end:%Y-%m-%d})",
        ),
        (_("Area"), f"{result.root.label(language)} ({result.root.code})"),
        (_("Broken down by"), str(LEVEL_LABELS[result.level])),
        (_("Time zone"), _("Each organisation's local calendar (%(zone)s)", zone=result.zone)),
    ]
    if result.codes_kept_from:
        lines.append(
            (
                _("People"),
                _(
                    "Client codes before %(day)s are removed after the retention period, so "
                    "people supplied before then are counted only where their codes are still "
                    "kept. Kits, supplies, new people and reach are complete.",
                    day=result.codes_kept_from.isoformat(),
                ),
            )
        )
    if result.suppressed_below:
        lines.append((_("Partner data"), disclosure.note()))
    return lines
