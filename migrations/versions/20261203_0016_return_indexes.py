"""return indexes: the national returns read an area's supplies from the index alone

Three indexes of live handouts, area first (reports/programme.py): the grouped breakdowns
(ix_handouts_area_cover), the people (ix_handouts_area_people, coded rows only) and the
people at risk first supplied there (ix_handouts_area_reach). bench/returns_bench.py measures
them; docs/performance.md has the figures.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 16:50:00

"""

from alembic import op
import sqlalchemy as sa

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

COVER = (
    "area_id", "occurred_at", "org_id", "kind", "supply", "recipient_type", "repeat_reason",
    "setting", "site_id", "product_id", "new_person", "quantity", "voided_at",
)  # fmt: skip
PEOPLE = (
    "area_id", "occurred_at", "org_id", "client_hash", "age_band", "sex", "recipient_type",
    "voided_at",
)  # fmt: skip
REACH = ("area_id", "occurred_at", "org_id", "voided_at", "new_person", "recipient_type")
LIVE = "voided_at IS NULL"
CODED = "voided_at IS NULL AND client_hash IS NOT NULL"
REACH_ROWS = "voided_at IS NULL AND new_person IS {true} AND recipient_type = 'at_risk'"


def _index(name, columns, where_sqlite, where_postgresql):
    op.create_index(
        name,
        "handouts",
        list(columns),
        unique=False,
        sqlite_where=sa.text(where_sqlite),
        postgresql_where=sa.text(where_postgresql),
    )


def upgrade():
    _index("ix_handouts_area_cover", COVER, LIVE, LIVE)
    _index("ix_handouts_area_people", PEOPLE, CODED, CODED)
    _index(
        "ix_handouts_area_reach", REACH, REACH_ROWS.format(true=1), REACH_ROWS.format(true="true")
    )


def downgrade():
    for name in ("ix_handouts_area_reach", "ix_handouts_area_people", "ix_handouts_area_cover"):
        op.drop_index(name, table_name="handouts")
