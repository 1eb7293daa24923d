"""monthly tallies: what the national returns sum, kept by every write

Three tables of counts per organisation and local month (outreach/tallies): supply_kit_months
(kits by area, site, setting, product), supply_months (supplies and kits by area, kind, first or
repeat and its reason, recipient, new person) and overdose_months (overdose reports by area,
place, what followed, outcome, route, age band and sex). Counted here from the records already
stored, each in its organisation's own zone. The returns no longer read handouts through
ix_handouts_area_cover and ix_handouts_area_reach, which are dropped (every supply written no
longer writes them); ix_handouts_area_people stays for unique people.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 22:30:00

"""

import json
from collections import defaultdict
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from alembic import op
import sqlalchemy as sa

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

# Kept here (not imported from the app) so this revision always does what it did.
TALLIES = {
    "supply_kit_months": (
        "handouts",
        [("site_id", sa.Integer), ("setting", sa.String(20)), ("product_id", sa.Integer)],
        True,
    ),
    "supply_months": (
        "handouts",
        [
            ("kind", sa.String(10)),
            ("supply", sa.String(10)),
            ("recipient_type", sa.String(20)),
            ("repeat_reason", sa.String(30)),
            ("new_person", sa.Boolean),
        ],
        True,
    ),
    "overdose_months": (
        "overdose_reports",
        [
            ("place_type", sa.String(20)),
            ("emergency_called", sa.Boolean),
            ("someone_stayed", sa.Boolean),
            ("referred", sa.Boolean),
            ("taken_to_hospital", sa.Boolean),
            ("outcome", sa.String(20)),
            ("route", sa.String(20)),
            ("age_band", sa.String(10)),
            ("sex", sa.String(10)),
        ],
        False,
    ),
}
COVER = (
    "area_id", "occurred_at", "org_id", "kind", "supply", "recipient_type", "repeat_reason",
    "setting", "site_id", "product_id", "new_person", "quantity", "voided_at",
)  # fmt: skip
REACH = ("area_id", "occurred_at", "org_id", "voided_at", "new_person", "recipient_type")
REACH_ROWS = "voided_at IS NULL AND new_person IS {true} AND recipient_type = 'at_risk'"


def _create(name, columns, kits):
    extra = [sa.Column(c, t, nullable=True) for c, t in columns]
    if kits:
        extra.append(sa.Column("kits", sa.Integer(), nullable=False))
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("records", sa.Integer(), nullable=False),
        *extra,
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
        sa.UniqueConstraint("org_id", "month", "key", name=f"uq_{name}_cell"),
    )
    op.create_index(f"ix_{name}_area_month", name, ["area_id", "month"], unique=False)


def _count(bind, name, source, columns, kits):
    """Each live record's cell, in its organisation's local month, summed."""
    names = ["area_id", *[c for c, _ in columns]]
    read = ", ".join(f"r.{c}" for c in names)
    quantity = "r.quantity" if kits else "1"
    rows = bind.execute(
        sa.text(
            f"SELECT o.timezone, r.org_id, r.occurred_at, {quantity}, {read} "  # noqa: S608
            f"FROM {source} r JOIN organisations o ON o.id = r.org_id "
            "WHERE r.voided_at IS NULL"
        ).execution_options(yield_per=20000)
    )
    counted = defaultdict(lambda: [0, 0])
    zones = {}
    for timezone, org_id, occurred, n, *values in rows:
        tz = zones.setdefault(timezone, ZoneInfo(timezone or "Europe/London"))
        if isinstance(occurred, str):  # SQLite gives the text it keeps
            occurred = datetime.fromisoformat(occurred)
        moment = occurred if occurred.tzinfo else occurred.replace(tzinfo=UTC)
        local = moment.astimezone(tz)
        values = [
            bool(v) if isinstance(v, int) and c in BOOLS else v for c, v in zip(names, values)
        ]
        cell = counted[(org_id, local.year * 100 + local.month, tuple(values))]
        cell[0] += 1
        cell[1] += int(n or 0)
    table = sa.table(
        name,
        *[sa.column(c) for c in ("org_id", "month", "key", "records", *names)],
        *([sa.column("kits")] if kits else []),
    )
    out = []
    for (org_id, month, values), (records, n) in counted.items():
        row = {
            "org_id": org_id,
            "month": month,
            "key": json.dumps(list(values)),
            "records": records,
        }
        row.update(zip(names, values))
        if kits:
            row["kits"] = n
        out.append(row)
    for start in range(0, len(out), 1000):
        bind.execute(table.insert(), out[start : start + 1000])


BOOLS = {
    "new_person", "emergency_called", "someone_stayed", "referred", "taken_to_hospital",
}  # fmt: skip


def upgrade():
    for name, (_source, columns, kits) in TALLIES.items():
        _create(name, columns, kits)
    bind = op.get_bind()
    for name, (source, columns, kits) in TALLIES.items():
        _count(bind, name, source, columns, kits)
    op.drop_index("ix_handouts_area_cover", table_name="handouts")
    op.drop_index("ix_handouts_area_reach", table_name="handouts")


def downgrade():
    op.create_index(
        "ix_handouts_area_cover",
        "handouts",
        list(COVER),
        unique=False,
        sqlite_where=sa.text("voided_at IS NULL"),
        postgresql_where=sa.text("voided_at IS NULL"),
    )
    op.create_index(
        "ix_handouts_area_reach",
        "handouts",
        list(REACH),
        unique=False,
        sqlite_where=sa.text(REACH_ROWS.format(true=1)),
        postgresql_where=sa.text(REACH_ROWS.format(true="true")),
    )
    for name in TALLIES:
        op.drop_index(f"ix_{name}_area_month", table_name=name)
        op.drop_table(name)
