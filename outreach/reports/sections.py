"""Report tables: the titled table, the small-number hider, and the stock and trend sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _

from outreach import disclosure
from outreach.reports import stockflow
from outreach.reports.parts import Part
from outreach.reports.scope import add_month


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]  # the first names the row labels
    rows: list[list] = field(default_factory=list)
    chart: str | None = None  # "bar": the first value column drawn as bars
    total: bool = False  # the last row is the total (not drawn as a bar)


class Hider:
    """A report's figures as they may be shown: as they are (threshold None: the viewer's own
    organisation), or by the disclosure rule (outreach.disclosure: a figure of own and
    partners' parts, a reports.parts.Part, through disclosure.figure; "<5" or rounded to 5)."""

    def __init__(self, threshold: int | None):
        self.threshold = threshold

    def __call__(self, n):
        if self.threshold is None:
            return n
        if isinstance(n, Part):
            return n.shown()
        return disclosure.marked(n, self.threshold)

    def value(self, n) -> float | None:
        """The figure as shown, as a number to work with (None when hidden): a change or a
        ratio is worked out from shown figures only."""
        shown = self(n)
        return shown if isinstance(shown, int | float) else None


def stock_tables(
    flows: dict, expiring: list, use: dict, names: dict, hide: Hider, checks: dict
) -> tuple[list[Table], bool]:
    """Stock flow per product, batches expiring soon and months of stock left; and whether
    every product's flow balances (`checks`, worked out on exact figures per part)."""
    balanced = all(checks.get(p, True) for p in flows)
    tables = [
        _flow_table(flows, names, hide, checks),
        Table(
            "expiring",
            _("Batches expiring within 90 days"),
            [
                _("Product"),
                _("Batch"),
                _("Expiry date"),
                _("Kits"),
                _("Days left after the month ends"),
            ],
            [
                [names.get(p, "?"), number, expiry.isoformat(), hide(n), days]
                for p, number, expiry, n, days in expiring
            ],
        ),
        _use_table(flows, use, names, hide),
    ]
    return tables, balanced


def _flow_table(flows: dict, names: dict, hide: Hider, checks: dict) -> Table:
    rows = []
    for p, flow in sorted(flows.items(), key=lambda kv: names.get(kv[0], "")):
        check = _("Balances") if checks.get(p, True) else _("Does not balance")
        rows.append([names.get(p, "?")] + [hide(flow[k]) for k in stockflow.FLOW_KEYS] + [check])
    columns = [
        _("Product"),
        _("Opening balance"),
        _("Received"),
        _("Transferred in"),
        _("Transferred out"),
        _("Handed out"),
        _("Written off or recalled"),
        _("Adjustments (net)"),
        _("Closing balance"),
        _("Check"),
    ]
    return Table("stock_flow", _("Stock flow per product"), columns, rows)


def _use_table(flows: dict, use: dict, names: dict, hide: Hider) -> Table:
    """Average monthly use over the last 3 months and the months the closing balance lasts."""
    rows = []
    for p in sorted(set(use) | set(flows), key=lambda p: names.get(p, "")):
        average = use.get(p, 0) / 3
        closing = flows.get(p, {}).get("closing", 0)
        shown_closing, shown_average = hide.value(closing), hide.value(average)
        left = None
        if shown_closing is not None and shown_average:
            left = round(shown_closing / shown_average, 1)
        rows.append(
            [names.get(p, "?"), hide(round(average)), hide(closing), "—" if left is None else left]
        )
    columns = [
        _("Product"),
        _("Average kits a month (last 3 months)"),
        _("Closing balance"),
        _("Months of stock left"),
    ]
    return Table("stock_use", _("Average monthly use and months of stock left"), columns, rows)


def trend_tables(months: dict, start: datetime, hide: Hider) -> tuple[list[Table], str]:
    """The last 12 months and the comparison with the previous month; and the month's key."""
    out: list[Table] = []
    keys = [
        f"{y:04d}-{m:02d}"
        for y, m in (add_month(start.year, start.month, i) for i in range(-11, 1))
    ]
    measures = [
        ("kits", _("Kits out")),
        ("first", _("First supplies")),
        ("repeat", _("Repeat supplies")),
        ("overdoses", _("Reported overdoses")),
        ("contacts", _("Outreach contacts")),
    ]
    out.append(
        Table(
            "trend",
            _("The last 12 months"),
            [_("Month")] + [label for _key, label in measures],
            [
                [k] + [hide(months[k][key]) if k in months else hide(0) for key, _l in measures]
                for k in keys
            ],
        )
    )
    this, prev = keys[-1], keys[-2]
    comparison = []
    for key, label in measures:
        now, before = months.get(this, {}).get(key, 0), months.get(prev, {}).get(key, 0)
        shown_now, shown_before = hide.value(now), hide.value(before)
        change = "—" if shown_now is None or shown_before is None else shown_now - shown_before
        comparison.append([label, hide(now), hide(before), change])
    out.append(
        Table(
            "comparison",
            _("Compared with the previous month"),
            [_("Measure"), _("This month"), _("Previous month"), _("Change on the previous month")],
            comparison,
        )
    )
    return out, keys[-1]
