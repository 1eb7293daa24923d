"""The tables of a national return, each figure through returns_counts.Cells (docs/reports.md
names every column)."""

from __future__ import annotations

from flask_babel import gettext as _

from outreach.areas.queries import Unit
from outreach.reports.periods import Period
from outreach.reports.returns_counts import Cells
from outreach.reports.sections import Table
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


def tables(cells: Cells, rows: list[Unit], whole: Unit, name: dict, period: Period) -> list[Table]:
    """Every table of a return, in the order the page, the downloads and the API give them."""
    return [
        _supply_table(cells, rows, name),
        _people_table(cells, rows, name),
        _outlet_table(cells, rows, name),
        _comparison_table(cells, whole, period),
        *_breakdown_tables(cells, whole),
        *_people_tables(cells, whole),
        *_overdose_tables(cells, whole),
        _reach_table(cells, rows, name),
        _trend_table(cells, whole),
    ]


def _share(part: float | None, whole: float | None):
    """`part` as a percentage of `whole`, to one decimal; "—" when either is hidden or 0."""
    if part is None or not whole:
        return "—"
    return round(100 * part / whole, 1)


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
            shown = cells.show(
                lambda c, w=when, k=key: c.compared[w][k],
                f"{other.span}|{whole.area.code}|{key}",
                key,
            )
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
    ]


def _people_tables(cells: Cells, whole: Unit) -> list[Table]:
    """People supplied by age band and by sex."""
    not_recorded = [("not_recorded", _("Not recorded"))]
    bands = [*AGE_BANDS.items(), *not_recorded]
    sexes = [*SEX.items(), *not_recorded]
    people = [[str(label)] + [cells.unit(whole, f"people_band:{band}")] for band, label in bands]
    people_sex = [[str(label), cells.unit(whole, f"people_sex:{sex}")] for sex, label in sexes]
    return [
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


def _trend_table(cells: Cells, whole: Unit) -> Table:
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
                lambda c, m=month, k=key: c.months.get(m, {}).get(k, 0),
                f"{month}+1|{whole.area.code}|{key}",
                key,
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
