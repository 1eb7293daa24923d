"""The national programmes' returns: figures per area of a level and a period, shaped as the
Welsh Harm Reduction Database's quarterly return, Scotland's National Naloxone Programme return
by health board and financial year, and a Swedish regional summary by kommun and calendar year.
docs/reports.md names every column and what it counts.

A return covers what the viewer may see (tenancy.aggregate_org_ids). Its figures are exact when
that is the viewer's own organisation only; otherwise every figure is the viewer's own part plus
partners' part through outreach.disclosure, as the monthly report's are: so are the unique and
new people, whose partners' part is the people partners add to the viewer's own."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from outreach import disclosure
from outreach.areas.models import Area
from outreach.areas.queries import Unit, unit_of, units
from outreach.extensions import db
from outreach.orgs.models import Organisation
from outreach.orgs.retention import cutoff_day
from outreach.reports import programme
from outreach.reports.periods import Period
from outreach.reports.scope import Scope, zone_groups, zone_names
from outreach.reports.sections import Table
from outreach.tenancy import aggregate_org_ids
from outreach.vocab import (
    AGE_BANDS,
    OUTCOMES,
    OUTLET_TYPES,
    PLACE_TYPES,
    RECIPIENT_TYPES,
    REPEAT_REASONS,
    ROUTES,
    SETTINGS,
    SEX,
)

TREND_MONTHS = 24

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


@dataclass
class Counts:
    """Every count of a return for one part (everything in the scope, or the viewer's own
    organisation): per local authority (additive), per area of the return (people), for the
    return's root, over the period, the periods it is compared with and the trend's months."""

    supplies: dict
    people: dict
    overdoses: dict
    reach: dict
    compared: dict
    months: dict
    trend_keys: list[str]

    def of(self, unit: Unit) -> Counter:
        """Every count of one area of the return, over the period."""
        total = programme.summed(self.supplies, unit.leaves)
        total += programme.summed(self.overdoses, unit.leaves)
        total += self.people.get(unit.area.id, Counter())
        total["reach"] = programme.summed(self.reach, unit.leaves)["reach"]
        return total


def count(scope: Scope, root: Unit, parts: list[Unit], period: Period, own: int | None):
    """(everything, the own part) of every count of the return, each query run once for both."""
    leaves, start, end = root.leaves, period.start, period.end
    supplies = programme.supply_counts(scope, leaves, start, end, own)
    # Areas of one level do not overlap; the root overlaps them all, so is counted apart.
    people = programme.people_counts(scope, parts, start, end, own)
    root_people = programme.people_counts(scope, [root], start, end, own)
    for whole, part in zip(people, root_people, strict=True):
        whole.update(part)
    overdoses = programme.overdose_counts(scope, leaves, start, end, own)
    reach = programme.reach_counts(scope, leaves, end, own)
    compared: tuple[dict, dict] = ({}, {})
    done: dict[str, tuple] = {}
    for name, other in (("previous", period.previous()), ("year_before", period.year_before())):
        if other.key not in done:  # a year's previous period is the same period last year
            totals = programme.totals(scope, leaves, other.start, other.end, own)
            people_then = programme.people_counts(scope, [root], other.start, other.end, own)
            for t, p in zip(totals, people_then, strict=True):
                t.update(p.get(root.area.id, Counter()))
            done[other.key] = totals
        compared[0][name], compared[1][name] = done[other.key]
    first = period.shifted(period.months - TREND_MONTHS)
    months = programme.monthly(scope, leaves, first.start, TREND_MONTHS, own)
    keys = Period("range", first.first, TREND_MONTHS).month_keys()
    return tuple(
        Counts(supplies[i], people[i], overdoses[i], reach[i], compared[i], months[i], keys)
        for i in (0, 1)
    )


# Figures whose value depends on other organisations' records even when they count only the
# viewer's own: whether a person is new is decided by every organisation's supplies. They are
# shown only under the disclosure rule, whole (never exact), so that no return can tell of one
# person whether they were supplied elsewhere before (the throttled, audited look-up does that:
# outreach/handouts/lookup.py).
CROSS_ORGANISATION = frozenset({"new_people", "new_at_risk", "reach"})


class Cells:
    """A return's figures as they may be shown: exact when the viewer sees only their own
    organisation, else own part plus partners' part through disclosure.figure; a figure of
    CROSS_ORGANISATION always whole through the rule."""

    def __init__(self, own: Counts | None, every: Counts, key: str):
        self.own, self.every, self.key = own, every, key

    def pair(self, pick) -> tuple[float, float]:
        total = pick(self.every)
        if self.own is None:
            return total, 0
        mine = pick(self.own)
        return mine, total - mine

    def show(self, pick, name: str, measure: str = ""):
        key = f"{self.key}|{name}"
        if measure in CROSS_ORGANISATION:
            return disclosure.figure(0, pick(self.every), key)
        own, partners = self.pair(pick)
        if self.own is None:
            return own
        return disclosure.figure(own, partners, key)

    def unit(self, unit: Unit, measure: str):
        return self.show(lambda c: c.of(unit)[measure], f"{unit.area.code}|{measure}", measure)

    def unit_value(self, unit: Unit, measure: str) -> float | None:
        shown = self.unit(unit, measure)
        return shown if isinstance(shown, int | float) else None


def _share(part: float | None, whole: float | None):
    """`part` as a percentage of `whole`, to one decimal; "—" when either is hidden or 0."""
    if part is None or not whole:
        return "—"
    return round(100 * part / whole, 1)


def _scope(org_ids, label: str) -> Scope:
    return Scope("return", "return", label, org_ids, zones=zone_groups(org_ids))


def build(user, shape: str, root: Area, level: str, period: Period) -> Return:
    """Every table of the return `shape` for the areas of `level` in `root` over `period`, as
    `user` may see it."""
    allowed = aggregate_org_ids(db.session, user)
    org_ids = None if allowed is None else sorted(allowed)
    suppress = org_ids != [user.org_id]
    language = str(get_locale() or "en")[:2]
    parts = units(root, level)
    whole = unit_of(root)
    every_scope = _scope(org_ids, root.name)
    every, own = count(every_scope, whole, parts, period, user.org_id)
    cells = Cells(own if suppress else None, every, f"return|{period.key}")
    rows = [*parts, whole]
    name = {u.area.id: u.area.label(language) for u in rows}
    name[whole.area.id] = _("All of %(area)s", area=root.label(language))
    tables = [
        _supply_table(cells, rows, name),
        _people_table(cells, rows, name),
        _outlet_table(cells, rows, name),
        _comparison_table(cells, whole, period),
        *_breakdown_tables(cells, whole),
        *_overdose_tables(cells, whole),
        _reach_table(cells, rows, name),
        _trend_table(cells),
    ]
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


def _supply_table(cells: Cells, rows: list[Unit], name: dict) -> Table:
    columns = [
        ("kits", _("Kits")),
        ("kits_intranasal", _("Nasal kits")),
        ("kits_intramuscular", _("Injectable kits")),
        ("supplies", _("Supplies")),
        ("supplies_uncoded", _("Supplies without a client code")),
        ("first_at_risk", _("First supplies to people at risk")),
        ("repeat", _("Repeat supplies")),
        ("repeat_used", _("Repeat supplies after use on an overdose")),
    ]
    body = []
    for unit in rows:
        row = [name[unit.area.id]] + [cells.unit(unit, key) for key, _label in columns]
        used, repeats = cells.unit_value(unit, "repeat_used"), cells.unit_value(unit, "repeat")
        body.append(row + [_share(used, repeats)])
    heads = [_("Area")] + [label for _key, label in columns]
    heads.append(_("Share of repeats after use on an overdose (%)"))
    return Table("supplies_by_area", _("Kits and supplies by area"), heads, body, "bar", True)


def _people_table(cells: Cells, rows: list[Unit], name: dict) -> Table:
    columns = [
        ("people", _("People supplied")),
        ("new_people", _("New people")),
        ("people_at_risk", _("People at risk supplied")),
        ("new_at_risk", _("New people at risk")),
    ]
    body = [[name[u.area.id]] + [cells.unit(u, key) for key, _label in columns] for u in rows]
    heads = [_("Area")] + [label for _key, label in columns]
    return Table("people_by_area", _("People supplied by area"), heads, body, "bar", True)


def _outlet_table(cells: Cells, rows: list[Unit], name: dict) -> Table:
    body = [
        [name[u.area.id]] + [cells.unit(u, f"outlet:{code}") for code in OUTLET_TYPES] for u in rows
    ]
    heads = [_("Area")] + [str(label) for label in OUTLET_TYPES.values()]
    return Table("outlets_by_area", _("Kits by outlet type and area"), heads, body, None, True)


def _comparison_table(cells: Cells, whole: Unit, period: Period) -> Table:
    measures = [
        ("kits", _("Kits")),
        ("supplies", _("Supplies")),
        ("people", _("People supplied")),
        ("new_people", _("New people")),
        ("first_at_risk", _("First supplies to people at risk")),
        ("overdoses", _("Overdose reports")),
    ]
    body = []
    for key, label in measures:
        now = cells.unit(whole, key)
        row = [label, now]
        for when, other in (("previous", period.previous()), ("year_before", period.year_before())):
            shown = cells.show(lambda c, w=when, k=key: c.compared[w][k], f"{other.key}|{key}", key)
            change = "—"
            if isinstance(now, int | float) and isinstance(shown, int | float):
                change = now - shown
            row += [shown, change]
        body.append(row)
    heads = [
        _("Measure"),
        period.label,
        _("Previous period (%(period)s)", period=period.previous().label),
        _("Change on the previous period"),
        _("Same period last year (%(period)s)", period=period.year_before().label),
        _("Change on the same period last year"),
    ]
    return Table("comparison", _("Compared with earlier periods"), heads, body)


def _coded_rows(cells: Cells, whole: Unit, prefix: str, mapping: dict, extra=()) -> list[list]:
    codes = list(mapping.items()) + list(extra)
    return [[str(label), cells.unit(whole, f"{prefix}:{code}")] for code, label in codes]


def _breakdown_tables(cells: Cells, whole: Unit) -> list[Table]:
    not_recorded = [("not_recorded", _("Not recorded"))]
    recipients = [
        [
            str(label),
            cells.unit(whole, f"recipient:{code}"),
            cells.unit(whole, f"recipient_kits:{code}"),
        ]
        for code, label in [*RECIPIENT_TYPES.items(), *not_recorded]
    ]
    repeats = cells.unit_value(whole, "repeat")
    reasons = []
    for code, label in [*REPEAT_REASONS.items(), ("not_given", _("Reason not given"))]:
        reasons.append(
            [
                str(label),
                cells.unit(whole, f"reason:{code}"),
                _share(cells.unit_value(whole, f"reason:{code}"), repeats),
            ]
        )
    used = cells.unit_value(whole, "repeat_used")
    reasons.insert(
        0,
        [
            _("Previous kit used on an overdose (on self or someone else)"),
            cells.unit(whole, "repeat_used"),
            _share(used, repeats),
        ],
    )
    bands = [*AGE_BANDS.items(), *not_recorded]
    sexes = [*SEX.items(), *not_recorded]
    people = [[str(label)] + [cells.unit(whole, f"people_band:{band}")] for band, label in bands]
    people_sex = [[str(label), cells.unit(whole, f"people_sex:{sex}")] for sex, label in sexes]
    return [
        Table(
            "recipients",
            _("Supplies by recipient"),
            [_("Recipient"), _("Supplies"), _("Kits")],
            recipients,
            "bar",
        ),
        Table(
            "settings",
            _("Kits by setting"),
            [_("Setting"), _("Kits")],
            _coded_rows(cells, whole, "setting", SETTINGS),
            "bar",
        ),
        Table(
            "repeat_reasons",
            _("Repeat supplies and their reasons"),
            [_("Reason"), _("Repeat supplies"), _("Share of repeat supplies (%)")],
            reasons,
        ),
        Table(
            "people_age",
            _("People supplied by age band"),
            [_("Age band"), _("People")],
            people,
            "bar",
        ),
        Table("people_sex", _("People supplied by sex"), [_("Sex"), _("People")], people_sex),
    ]


def _overdose_tables(cells: Cells, whole: Unit) -> list[Table]:
    not_recorded = [("not_recorded", _("Not recorded"))]
    care = []
    for code, label in (
        ("ambulance", _("Ambulance called")),
        ("stayed", _("Someone stayed with the person")),
        ("referred", _("Referred on")),
        ("hospital", _("Taken to hospital")),
    ):
        care.append(
            [label]
            + [cells.unit(whole, f"{code}:{answer}") for answer in ("yes", "no", "not_recorded")]
        )
    bands = [*AGE_BANDS.items(), *not_recorded]
    helped = [[str(label)] + [cells.unit(whole, f"od_band:{band}")] for band, label in bands] + [
        [str(label), cells.unit(whole, f"od_sex:{sex}")] for sex, label in [*SEX.items()]
    ]
    return [
        Table(
            "overdose_places",
            _("Overdose reports by place"),
            [_("Place"), _("Reports")],
            _coded_rows(cells, whole, "place", PLACE_TYPES, not_recorded),
            "bar",
        ),
        Table(
            "overdose_care",
            _("What followed an overdose"),
            [_("Follow-on care"), _("Yes"), _("No"), _("Not recorded")],
            care,
        ),
        Table(
            "overdose_outcomes",
            _("Overdose outcomes and naloxone route"),
            [_("Outcome or route"), _("Reports")],
            _coded_rows(cells, whole, "outcome", OUTCOMES)
            + _coded_rows(cells, whole, "route", ROUTES, not_recorded),
        ),
        Table(
            "overdose_people",
            _("The person helped: age band and sex"),
            [_("Age band or sex"), _("Reports")],
            helped,
        ),
    ]


def _reach_table(cells: Cells, rows: list[Unit], name: dict) -> Table:
    body = []
    for unit in rows:
        reached = cells.unit(unit, "reach")
        estimate = unit.area.at_risk_estimate
        shown = cells.unit_value(unit, "reach")
        per_1000 = round(1000 * shown / estimate, 1) if estimate and shown is not None else "—"
        body.append(
            [name[unit.area.id], reached, estimate or "—", per_1000, _share(shown, estimate)]
        )
    heads = [
        _("Area"),
        _("People at risk supplied since the programme began"),
        _("Estimated people at risk"),
        _("Per 1,000 people at risk"),
        _("Percentage of people at risk"),
    ]
    return Table("reach", _("Reach"), heads, body, None, True)


def _trend_table(cells: Cells) -> Table:
    measures = [
        ("kits", _("Kits")),
        ("supplies", _("Supplies")),
        ("new_people", _("New people")),
        ("overdoses", _("Overdose reports")),
    ]
    body = [
        [month]
        + [
            cells.show(
                lambda c, m=month, k=key: c.months.get(m, {}).get(k, 0), f"{month}|{key}", key
            )
            for key, _label in measures
        ]
        for month in cells.every.trend_keys
    ]
    return Table(
        "trend",
        _("The last 24 months"),
        [_("Month")] + [label for _key, label in measures],
        body,
        "line",
    )


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
    language = str(get_locale() or "en")[:2]
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
