"""The monthly report as titled tables of figures, with small numbers suppressed for partners."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from outreach.extensions import db
from outreach.products.models import Product
from outreach.reports import queries, stockflow
from outreach.reports.scope import Scope, add_month, month_start
from outreach.vocab import (
    ADMINISTERED_BY,
    OUTCOMES,
    RECIPIENT_TYPES,
    REFERRALS,
    REPEAT_REASONS,
    SERVICES,
    SETTINGS,
    SUPPLY,
)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]  # the first names the row labels
    rows: list[list] = field(default_factory=list)
    chart: str | None = None  # "bar": the first value column drawn as bars
    total: bool = False  # the last row is the total (not drawn as a bar)


@dataclass
class Report:
    month: str
    scope: Scope
    tables: list[Table]
    tiles: list[tuple[str, object]]
    balanced: bool
    suppressed_below: int | None

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


class Hider:
    """Counts under the threshold become "<N"; the others are rounded to the nearest 5.

    Rounding is what stops a hidden count being worked out from a total minus the shown
    parts (ONS-style rounding): a total and its parts are each rounded independently."""

    def __init__(self, threshold: int | None):
        self.threshold = threshold

    def __call__(self, n: int):
        if self.threshold is None:
            return n
        if abs(n) < self.threshold:
            return f"<{self.threshold}"
        return (1 if n > 0 else -1) * 5 * ((abs(n) + 2) // 5)


def build(scope: Scope, start: datetime, end: datetime) -> Report:
    """Every figure of the report for `scope` and the month starting at `start`."""
    threshold = int(current_app.config.get("REPORT_SUPPRESS_BELOW", 5)) if scope.suppress else None
    hide = Hider(threshold)
    kits = queries.handout_figures(scope, start, end)
    ods = queries.overdose_figures(scope, start, end)
    contacts = queries.contact_figures(scope, start, end)
    training = queries.training_figures(scope, start, end)
    first12 = month_start(*add_month(start.year, start.month, -11))
    months = queries.trend(scope, first12, end)
    three = month_start(*add_month(start.year, start.month, -2))
    use = queries.kits_by_product(scope, three, end)
    flows = stockflow.stock_flow(scope, start, end)
    today = datetime.now(UTC).date()
    expiring = stockflow.expiring(scope, today, today + timedelta(days=90))
    ids = set(kits["by_product"]) | set(flows) | set(use) | {e[0] for e in expiring}
    names = dict(
        db.session.execute(select(Product.id, Product.name).where(Product.id.in_(ids))).all()
    )

    def coded(key, title, mapping, counts, extra=(), chart=None) -> Table:
        rows = [[str(label), hide(counts.get(code, 0))] for code, label in mapping.items()]
        rows += [[str(label), hide(counts[code])] for code, label in extra if counts.get(code)]
        return Table(key, title, [_("Category"), _("Kits")], rows, chart)

    not_recorded = ("not_recorded", _("Not recorded (tally)"))
    tables = []
    product_rows = sorted((names.get(p, "?"), n) for p, n in kits["by_product"].items())
    tables.append(
        Table(
            "kits_by_product",
            _("Kits handed out by product"),
            [_("Product"), _("Kits")],
            [[name, hide(n)] for name, n in product_rows]
            + [[_("All products"), hide(kits["kits"])]],
            "bar",
            True,
        )
    )
    tables.append(
        coded(
            "kits_by_setting",
            _("Kits handed out by setting"),
            SETTINGS,
            kits["by_setting"],
            chart="bar",
        )
    )
    prison = kits["by_setting"].get("prison_release", 0)
    tables.append(
        Table(
            "prison_release",
            _("Prison release and community"),
            [_("Category"), _("Kits")],
            [[_("Prison release"), hide(prison)], [_("Community"), hide(kits["kits"] - prison)]],
        )
    )
    tables.append(
        coded("supply", _("First and repeat supplies"), SUPPLY, kits["supply"], [not_recorded])
    )
    reasons = kits["reasons"]
    used = reasons.get("used_self", 0) + reasons.get("used_other", 0)
    reason_rows = [[_("Used on an overdose (on self or someone else)"), hide(used)]]
    reason_rows += [
        [str(label), hide(reasons.get(code, 0))] for code, label in REPEAT_REASONS.items()
    ]
    if reasons.get("not_given"):
        reason_rows.append([_("Reason not given"), hide(reasons["not_given"])])
    tables.append(
        Table(
            "repeat_reasons",
            _("Reasons for a repeat supply"),
            [_("Reason"), _("Kits")],
            reason_rows,
            "bar",
        )
    )
    tables.append(
        coded(
            "recipients", _("Recipient types"), RECIPIENT_TYPES, kits["recipients"], [not_recorded]
        )
    )
    tables.append(
        Table(
            "outcomes",
            _("Reported overdoses and outcomes"),
            [_("Outcome"), _("Reports")],
            [[str(label), hide(ods["outcomes"].get(code, 0))] for code, label in OUTCOMES.items()]
            + [[_("All reported overdoses"), hide(ods["reports"])]],
            "bar",
            True,
        )
    )
    tables.append(
        Table(
            "administered_by",
            _("Naloxone administered by"),
            [_("Who"), _("Reports")],
            [
                [str(label), hide(ods["by_whom"].get(code, 0))]
                for code, label in ADMINISTERED_BY.items()
            ],
        )
    )
    community = None
    if training is not None:
        community = training["sessions_community"] + kits["trained_tally"] + kits["trained_single"]
        tables.append(
            Table(
                "training",
                _("People trained"),
                [_("Who"), _("People")],
                [
                    [_("Peers trained as distributors (passed)"), hide(training["peers"])],
                    [_("Community members trained"), hide(community)],
                ],
            )
        )
    setting_rows = [
        [
            str(label),
            hide(contacts["by_setting"].get(code, (0, 0))[0]),
            hide(contacts["by_setting"].get(code, (0, 0))[1]),
        ]
        for code, label in SETTINGS.items()
    ]
    setting_rows.append([_("All settings"), hide(contacts["contacts"]), hide(contacts["people"])])
    tables.append(
        Table(
            "contacts_by_setting",
            _("Outreach contacts by setting"),
            [_("Setting"), _("Contacts"), _("People reached")],
            setting_rows,
        )
    )
    tables.append(
        Table(
            "contacts_by_service",
            _("Outreach contacts by service offered"),
            [_("Service"), _("Contacts")],
            [
                [str(label), hide(contacts["by_service"].get(code, 0))]
                for code, label in SERVICES.items()
            ],
            "bar",
        )
    )
    tables.append(
        Table(
            "referrals",
            _("Referrals made"),
            [_("Referral"), _("Contacts")],
            [
                [str(label), hide(contacts["referrals"].get(code, 0))]
                for code, label in REFERRALS.items()
            ],
        )
    )
    balanced = all(stockflow.balances(f) for f in flows.values())
    flow_rows = []
    for p, flow in sorted(flows.items(), key=lambda kv: names.get(kv[0], "")):
        check = _("Balances") if stockflow.balances(flow) else _("Does not balance")
        flow_rows.append(
            [names.get(p, "?")] + [hide(flow[k]) for k in stockflow.FLOW_KEYS] + [check]
        )
    tables.append(
        Table(
            "stock_flow",
            _("Stock flow per product"),
            [
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
            ],
            flow_rows,
        )
    )
    tables.append(
        Table(
            "expiring",
            _("Batches expiring within 90 days"),
            [_("Product"), _("Batch"), _("Expiry date"), _("Kits"), _("Days left")],
            [
                [names.get(p, "?"), number, expiry.isoformat(), hide(n), days]
                for p, number, expiry, n, days in expiring
            ],
        )
    )
    use_rows = []
    for p in sorted(set(use) | set(flows), key=lambda p: names.get(p, "")):
        average = use.get(p, 0) / 3
        closing = flows.get(p, {}).get("closing", 0)
        left = round(closing / average, 1) if average and threshold is None else None
        if average and threshold is not None and closing >= threshold and average >= threshold:
            left = round(closing / average, 1)
        use_rows.append(
            [names.get(p, "?"), hide(round(average)), hide(closing), "—" if left is None else left]
        )
    tables.append(
        Table(
            "stock_use",
            _("Average monthly use and months of stock left"),
            [
                _("Product"),
                _("Average kits a month (last 3 months)"),
                _("Closing balance"),
                _("Months of stock left"),
            ],
            use_rows,
        )
    )
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
    tables.append(
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
        change = (
            now - before
            if threshold is None
            else (hide(now - before) if now >= threshold and before >= threshold else "—")
        )
        comparison.append([label, hide(now), hide(before), change])
    tables.append(
        Table(
            "comparison",
            _("Compared with the previous month"),
            [_("Measure"), _("This month"), _("Previous month"), _("Change on the previous month")],
            comparison,
        )
    )
    tiles = [
        (_("Kits handed out"), hide(kits["kits"])),
        (_("Repeat supplies after use on an overdose"), hide(used)),
        (_("First supplies"), hide(kits["supply"].get("first", 0))),
        (_("Reported overdoses"), hide(ods["reports"])),
        (_("Outreach contacts"), hide(contacts["contacts"])),
    ]
    if community is not None:
        tiles.append((_("People trained"), hide(training["peers"] + community)))
    return Report(keys[-1], scope, tables, tiles, balanced, threshold)
