"""The monthly report as titled tables of figures, with small numbers suppressed for partners."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from outreach.extensions import db
from outreach.products.models import Product
from outreach.reports import queries, stockflow
from outreach.reports.scope import Scope, add_month, month_start, zone_names
from outreach.reports.sections import Hider, Table, stock_tables, trend_tables
from outreach.timezones import local_today, zone
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
class Report:
    month: str
    scope: Scope
    tables: list[Table]
    tiles: list[tuple[str, object]]
    balanced: bool
    suppressed_below: int | None
    zone: str = "UTC"  # the time zone(s) its months are counted in

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


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
    today = local_today(zone(next(iter(scope.zones), None)))
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
    stock, balanced = stock_tables(flows, expiring, use, names, hide, threshold)
    trend, month = trend_tables(months, start, hide, threshold)
    tables += stock + trend
    tiles = [
        (_("Kits handed out"), hide(kits["kits"])),
        (_("Repeat supplies after use on an overdose"), hide(used)),
        (_("First supplies"), hide(kits["supply"].get("first", 0))),
        (_("Reported overdoses"), hide(ods["reports"])),
        (_("Outreach contacts"), hide(contacts["contacts"])),
    ]
    if community is not None:
        tiles.append((_("People trained"), hide(training["peers"] + community)))
    return Report(month, scope, tables, tiles, balanced, threshold, zone_names(scope))
