"""The monthly report as titled tables of figures; partners' data only through outreach.disclosure
(outreach.reports.parts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from outreach import disclosure
from outreach.extensions import db
from outreach.products.models import Product
from outreach.reports import parts
from outreach.reports.scope import Scope, split, zone_names
from outreach.reports.sections import Hider, Table, stock_tables, trend_tables
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


def _counts(scope: Scope, start: datetime, end: datetime) -> dict:
    """The report's counts: exact for the viewer's own organisation, as Parts (own exact,
    partners' through outreach.disclosure) when the scope includes other organisations."""
    if scope.suppress:
        return parts.split_figures(*split(scope), start, end)
    raw = parts.gather(scope, start, end)
    raw["checks"] = parts.checks(raw["flows"])
    return raw


def build(scope: Scope, start: datetime, end: datetime) -> Report:
    """Every figure of the report for `scope` and the month starting at `start`."""
    threshold = disclosure.threshold() if scope.suppress else None
    hide = Hider(threshold)
    raw = _counts(scope, start, end)
    kits, ods, contacts, training = raw["kits"], raw["ods"], raw["contacts"], raw["training"]
    flows, use, expiring = raw["flows"], raw["use"], raw["expiring"]
    ids = set(kits["by_product"]) | set(flows) | set(use) | {e[0] for e in expiring}
    names = dict(
        db.session.execute(select(Product.id, Product.name).where(Product.id.in_(ids))).all()
    )
    tables = _kit_tables(kits, names, hide) + _supply_tables(kits, hide)
    tables += _overdose_tables(ods, hide)
    community = None
    if training is not None:
        community = training["sessions_community"] + kits["trained_tally"] + kits["trained_single"]
        tables.append(_training_table(training["peers"], community, hide))
    tables += _contact_tables(contacts, hide)
    stock, balanced = stock_tables(flows, expiring, use, names, hide, raw["checks"])
    trend, month = trend_tables(raw["months"], start, hide)
    tables += stock + trend
    used = kits["reasons_n"].get("used_self", 0) + kits["reasons_n"].get("used_other", 0)
    tiles = [
        (_("Kits handed out"), hide(kits["kits"])),
        (_("Repeat supplies after use on an overdose"), hide(used)),
        (_("First supplies"), hide(kits["supply_n"].get("first", 0))),
        (_("Reported overdoses"), hide(ods["reports"])),
        (_("Outreach contacts"), hide(contacts["contacts"])),
    ]
    if community is not None:
        tiles.append((_("People trained"), hide(training["peers"] + community)))
    return Report(month, scope, tables, tiles, balanced, threshold, zone_names(scope))


def _coded(key, title, mapping, counts, hide, columns=None, chart=None) -> Table:
    """A count per code of `mapping` (kits, unless `columns` names other counts)."""
    rows = [[str(label), hide(counts.get(code, 0))] for code, label in mapping.items()]
    return Table(key, title, list(columns or (_("Category"), _("Kits"))), rows, chart)


def _kit_tables(kits: dict, names: dict, hide: Hider) -> list[Table]:
    """Kits by product, by setting, and prison release against the community."""
    product_rows = sorted(
        ((names.get(p, "?"), n) for p, n in kits["by_product"].items()), key=lambda r: r[0]
    )
    prison = kits["by_setting"].get("prison_release", 0)
    return [
        Table(
            "kits_by_product",
            _("Kits handed out by product"),
            [_("Product"), _("Kits")],
            [[name, hide(n)] for name, n in product_rows]
            + [[_("All products"), hide(kits["kits"])]],
            "bar",
            True,
        ),
        _coded(
            "kits_by_setting",
            _("Kits handed out by setting"),
            SETTINGS,
            kits["by_setting"],
            hide,
            chart="bar",
        ),  # fmt: skip
        Table(
            "prison_release",
            _("Prison release and community"),
            [_("Category"), _("Kits")],
            [[_("Prison release"), hide(prison)], [_("Community"), hide(kits["kits"] - prison)]],
        ),
    ]


def _two_counts(table, title, first_column, rows, counts, hide, chart=None) -> Table:
    """A table of supplies (handouts to one recipient each) and their kits per category: rows
    are (label, code), `counts` a (kits, supplies) pair of dicts by code; a tally row has kits
    only, as first or repeat is not asked there."""
    kits, supplies = counts
    body = [
        [
            str(label),
            "—" if code == "tally" else hide(supplies.get(code, 0)),
            hide(kits.get(code, 0)),
        ]
        for label, code in rows
    ]
    return Table(table, title, [first_column, _("Supplies"), _("Kits")], body, chart)


def _supply_tables(kits: dict, hide: Hider) -> list[Table]:
    """First and repeat supplies, the reasons for a repeat, recipient types."""
    tally = (_("Tallies (first or repeat, and recipient, not asked)"), "tally")
    not_recorded = (_("Not recorded"), "not_recorded")
    supply_rows = [(label, code) for code, label in SUPPLY.items()]
    if kits["supply"].get("tally"):
        supply_rows.append(tally)
    reasons = dict(kits["reasons"]), dict(kits["reasons_n"])
    for counts in reasons:
        counts["used"] = counts.get("used_self", 0) + counts.get("used_other", 0)
    reason_rows = [(_("Used on an overdose (on self or someone else)"), "used")]
    reason_rows += [(label, code) for code, label in REPEAT_REASONS.items()]
    if kits["reasons"].get("not_given"):
        reason_rows.append((_("Reason not given"), "not_given"))
    recipient_rows = [(label, code) for code, label in RECIPIENT_TYPES.items()]
    recipient_rows += [row for row in (not_recorded, tally) if kits["recipients"].get(row[1])]
    return [
        _two_counts(
            "supply",
            _("First and repeat supplies"),
            _("Supply"),
            supply_rows,
            (kits["supply"], kits["supply_n"]),
            hide,
        ),
        _two_counts(
            "repeat_reasons",
            _("Reasons for a repeat supply"),
            _("Reason"),
            reason_rows,
            reasons,
            hide,
            "bar",
        ),
        _two_counts(
            "recipients",
            _("Recipient types"),
            _("Recipient"),
            recipient_rows,
            (kits["recipients"], kits["recipients_n"]),
            hide,
        ),
    ]


def _overdose_tables(ods: dict, hide: Hider) -> list[Table]:
    return [
        Table(
            "outcomes",
            _("Reported overdoses and outcomes"),
            [_("Outcome"), _("Reports")],
            [[str(label), hide(ods["outcomes"].get(code, 0))] for code, label in OUTCOMES.items()]
            + [[_("All reported overdoses"), hide(ods["reports"])]],
            "bar",
            True,
        ),
        Table(
            "administered_by",
            _("Naloxone administered by"),
            [_("Who"), _("Reports")],
            [
                [str(label), hide(ods["by_whom"].get(code, 0))]
                for code, label in ADMINISTERED_BY.items()
            ],
        ),
    ]


def _training_table(peers: int, community: int, hide: Hider) -> Table:
    return Table(
        "training",
        _("People trained"),
        [_("Who"), _("People")],
        [
            [_("Peers trained as distributors (passed)"), hide(peers)],
            [_("Community members trained"), hide(community)],
        ],
    )


def _contact_tables(contacts: dict, hide: Hider) -> list[Table]:
    by_setting = contacts["by_setting"]
    setting_rows = [
        [str(label), hide(by_setting.get(code, (0, 0))[0]), hide(by_setting.get(code, (0, 0))[1])]
        for code, label in SETTINGS.items()
    ]
    setting_rows.append([_("All settings"), hide(contacts["contacts"]), hide(contacts["people"])])
    return [
        Table(
            "contacts_by_setting",
            _("Outreach contacts by setting"),
            [_("Setting"), _("Contacts"), _("People reached")],
            setting_rows,
        ),
        _coded(
            "contacts_by_service",
            _("Outreach contacts by service offered"),
            SERVICES,
            contacts["by_service"],
            hide,
            columns=(_("Service"), _("Contacts")),
            chart="bar",
        ),
        _coded(
            "referrals",
            _("Referrals made"),
            REFERRALS,
            contacts["referrals"],
            hide,
            columns=(_("Referred to"), _("Referrals")),
        ),
    ]
